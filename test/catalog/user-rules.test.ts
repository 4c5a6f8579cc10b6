import assert from 'node:assert/strict'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import type {LogsReport} from '../../src/diagnosis/report.js'
import {run} from '../helpers/run.js'

const GOOD = {
  id: 'backup-lock',
  title: 'Backup held a lock',
  severity: 'medium',
  literal: 'backup lock held by',
  pattern: 'backup lock held by (?<host>\\S+)',
  remedy: ['Check the backup host.'],
  examples: {match: [{line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: backup lock held by nas1', facts: {host: 'nas1'}}]},
}

describe('user rules (--rules FILE)', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dovediag-rules-'))
  })
  after(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  /** Writes a rules file and runs `dovediag rules --rules` on it: the status and the one stderr line. */
  async function load(name: string, content: string): Promise<{status: number; stderr: string; file: string}> {
    const file = join(dir, name)
    await writeFile(file, content)
    const {status, stderr} = await run(['rules', '--rules', file])
    return {status, stderr, file}
  }
  const rule = (changes: Record<string, unknown> | null) => JSON.stringify([changes === null ? null : {...GOOD, ...changes}])

  const rejected: [string, Record<string, unknown> | null, string][] = [
    ['a missing field', {title: undefined}, 'rules[0].title: is required'],
    ['a bad severity', {severity: 'urgent'}, "rules[0].severity: must be one of low, medium, high, critical (got 'urgent')"],
    ['a misspelt field', {remedies: ['x']}, 'rules[0].remedies: unknown field'],
    ['a bad id', {id: 'Backup Lock'}, "rules[0].id: 'Backup Lock' must be lower-case words joined by dashes"],
    ['a built-in id', {id: 'disk-full'}, "rules[0].id: 'disk-full' is already a rule"],
    ['a backreference (no linear-time engine can run it)', {pattern: '(a+)\\1'}, 'rules[0].pattern: not usable: invalid escape sequence'],
    ['a lookahead', {pattern: 'backup lock held by (?!nas9)'}, 'rules[0].pattern: not usable: invalid or unsupported Perl syntax'],
    ['an invalid pattern', {pattern: 'backup lock held by ([a-z'}, 'rules[0].pattern: not usable: missing closing ]'],
    ['no examples', {examples: {match: []}}, 'rules[0].examples.match: must be a non-empty list of log lines'],
    [
      'an example that does not match',
      {pattern: 'backup lock held by (?<host>\\d+)'},
      "rules[0].examples.match[0]: does not match: the message contains the rule's literal but none of its patterns matched",
    ],
    [
      'an example with the wrong facts',
      {examples: {match: [{line: GOOD.examples.match[0].line, facts: {host: 'nas2'}}]}},
      "rules[0].examples.match[0].facts.host: expected 'nas2', the pattern extracted 'nas1'",
    ],
    [
      'a pattern of no usable shape',
      {pattern: 5},
      'rules[0].pattern: must be a regular expression (RE2 syntax), or a non-empty list of them',
    ],
    ['an unknown level', {levels: ['bogus']}, "rules[0].levels[0]: must be one of debug, info, warning, error, fatal, panic (got 'bogus')"],
    ['a fact description that is not text', {facts: {host: 1}}, 'rules[0].facts.host: must be a string'],
    ['an empty remedy', {remedy: []}, 'rules[0].remedy: must be one step, or a non-empty list of steps'],
    ['a rule that is not an object', null, 'rules[0]: must be an object with id, title'],
    [
      'a near miss that matches',
      {examples: {match: GOOD.examples.match, nearMiss: ['Nov 23 10:00:00 imap(x): Error: backup lock held by y']}},
      'rules[0].examples.nearMiss[0]: matches, but is listed as a line the rule must not match',
    ],
    [
      'a near miss without the literal (the pattern never runs on it)',
      {examples: {match: GOOD.examples.match, nearMiss: ['Nov 23 10:00:00 imap(x): Error: backup lock released by y']}},
      "rules[0].examples.nearMiss[0]: its message lacks the literal 'backup lock held by', so the pattern of rule 'backup-lock' never runs on it: a near miss holds the literal and is refused by the pattern, levels, services or programs",
    ],
    [
      'a near miss that is no log line (it never reaches the rule)',
      {examples: {match: GOOD.examples.match, nearMiss: ['backup lock held by nas9']}},
      "rules[0].examples.nearMiss[0]: is not a log line dovediag reads (unparsed), so it tests nothing of rule 'backup-lock': give a whole line as it appears in the log",
    ],
    [
      'an example at the wrong level',
      {levels: ['warning'], examples: {match: [GOOD.examples.match[0].line]}},
      'rules[0].examples.match[0]: does not match: a pattern matched, but the rule wants level warning (line is error)',
    ],
  ]
  for (const [what, changes, message] of rejected) {
    it(`rejects ${what}, naming the file and the field (status 64)`, async () => {
      const {status, stderr, file} = await load('rules.json', rule(changes))
      assert.equal(status, 64)
      assert.ok(stderr.startsWith(`dovediag: ${file}: ${message}`), stderr)
      assert.equal(stderr.split('\n').length, 2, 'one line')
    })
  }

  it('reports a YAML syntax error with its line and column, and a duplicate id within the file', async () => {
    const bad = await load('broken.yaml', 'rules:\n  - id: x\n    title: [unclosed\n')
    assert.equal(bad.status, 64)
    assert.match(bad.stderr, new RegExp(`^dovediag: ${bad.file}:\\d+:\\d+: not valid YAML: `))
    const twice = await load('twice.json', JSON.stringify([GOOD, GOOD]))
    assert.match(twice.stderr, /rules\[1\]\.id: 'backup-lock' is already used in this file/)
  })

  it('loads YAML and JSON (RE2 (?P<name>) groups too) and logs finds their problems', async () => {
    const {status, result} = await run<LogsReport>([
      'logs',
      '--rules',
      'fixtures/rules/site-rules.yaml',
      '--rules',
      'fixtures/rules/site-rules.json',
      'fixtures/rules/site.log',
      '--json',
    ])
    assert.equal(status, 0)
    const finding = result!.findings.find((candidate) => candidate.rule === 'backup-lock')
    assert.equal(finding?.count, 2)
    assert.equal(finding?.severity, 'medium')
    assert.deepEqual(finding?.remedy, [
      'Check that the backup window on the named host ended on time.',
      'Move the job out of office hours if it did not.',
    ])
    const filtered = await run<LogsReport>([
      'logs',
      '--rules',
      'fixtures/rules/site-rules.yaml',
      '--rule',
      'backup-lock',
      'fixtures/rules/site.log',
      '--json',
    ])
    assert.deepEqual(
      filtered.result?.findings.map((f) => f.rule),
      ['backup-lock'],
    )
  })

  it('a pattern that would backtrack catastrophically in RegExp is run in linear time', async () => {
    const slow = {
      ...GOOD,
      id: 'slow',
      literal: 'aaaa',
      pattern: '(a+)+$',
      examples: {
        match: [`Nov 23 10:00:00 imap(x): Error: ${'a'.repeat(30)}`],
        nearMiss: [`Nov 23 10:00:00 imap(x): Error: ${'a'.repeat(40)}!`],
      },
    }
    const {status, stderr} = await load('slow.json', JSON.stringify([slow]))
    assert.equal(stderr, '')
    assert.equal(status, 0)
  })
})
