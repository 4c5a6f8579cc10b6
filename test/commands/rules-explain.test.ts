import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {describeRule} from '../../src/catalog/describe.js'
import {RULES, ruleById} from '../../src/catalog/index.js'
import {explainCode} from '../../src/exit-codes/explain.js'
import {colors} from '../../src/render/color.js'
import {renderExplanation} from '../../src/render/exit-code-text.js'
import {terminalWidth} from '../../src/render/terminal.js'
import type {ExplainJson, RulesJson} from '../../src/render/json-documents.js'
import {run} from '../helpers/run.js'

describe('dovediag rules', () => {
  it('lists every rule with its severity (fact for counted ones) and title', async () => {
    const {stdout, status} = await run(['rules'])
    assert.equal(status, 0)
    for (const rule of RULES)
      assert.match(
        stdout,
        new RegExp(`│ ${rule.id} +│ ${rule.severity ?? 'fact'} +│ ${rule.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +│`),
      )
    assert.doesNotMatch(stdout, /built-in/, 'no origin column without user rules')
  })

  it('--json gives id, kind, severity, title, docs and origin per rule', async () => {
    const {result, status} = await run<RulesJson>(['rules', '--json'])
    assert.equal(status, 0)
    assert.equal(result?.rules.length, RULES.length)
    assert.deepEqual(
      result?.rules.find((rule) => rule.id === 'login'),
      {id: 'login', kind: 'fact', severity: null, title: 'Successful logins', docs: ruleById('login')?.docs, origin: 'built-in'},
    )
  })

  it('--rules adds the user rules with the file they came from', async () => {
    const {stdout, result} = await run<RulesJson>(['rules', '--rules', 'fixtures/rules/site-rules.yaml', '--json'])
    assert.deepEqual(result?.rules.at(-1), {
      id: 'backup-lock',
      kind: 'problem',
      severity: 'medium',
      title: 'The nightly backup held a mailbox lock',
      docs: 'https://wiki.example.com/mail/backup',
      origin: 'fixtures/rules/site-rules.yaml',
    })
    assert.ok(stdout.length > 0)
  })
})

describe('dovediag explain', () => {
  it('shows a rule as one page: meaning, evidence, remedy, sub-cases, facts, matching, docs', async () => {
    const {stdout, status} = await run(['explain', 'mkdir-eacces'])
    assert.equal(status, 0)
    const rule = ruleById('mkdir-eacces')!
    const order = [
      'mkdir-eacces  high  ' + rule.title,
      'What it means',
      rule.explanation,
      'Example evidence',
      rule.examples.match[0].line,
      'What to do',
      `1. ${rule.remedy![0]}`,
      'When the line shows aclMac (acl-mac)',
      'Facts extracted',
      'How it matches',
      `literal   ${JSON.stringify(rule.literal)}`,
      'Near misses',
      'Docs',
      rule.docs,
    ]
    // A paragraph longer than the terminal is wrapped under its indent: read it back as one line.
    const page = stdout.replace(/\n +/g, ' ')
    let at = 0
    for (const part of order) {
      const found = page.indexOf(part, at)
      assert.ok(found >= 0, `missing or out of order: ${part}`)
      at = found
    }
  })

  it('shows when a rule is harmless', async () => {
    const rule = RULES.find((candidate) => candidate.harmless)!
    const {stdout} = await run(['explain', rule.id])
    assert.ok(stdout.includes(`When it is harmless\n  ${rule.harmless}`))
  })

  it('--json is the rule description', async () => {
    const {result} = await run<ExplainJson>(['explain', 'disk-full', '--json'])
    assert.deepEqual(result, {kind: 'rule', rule: describeRule(ruleById('disk-full')!)})
  })

  it('explains an exit code exactly as dovediag exit does', async () => {
    const {stdout, status} = await run(['explain', '235'])
    assert.equal(status, 0)
    assert.equal(stdout, renderExplanation(explainCode(235), colors(false), terminalWidth()) + '\n')
    const {result} = await run<ExplainJson>(['explain', 'EX_TEMPFAIL', '--json'])
    assert.equal(result?.kind === 'exit-code' && result.code.code, 75)
  })

  it('explains a user rule given with --rules', async () => {
    const {stdout} = await run(['explain', 'backup-lock', '--rules', 'fixtures/rules/site-rules.yaml'])
    assert.match(stdout, /^backup-lock {2}medium {2}The nightly backup held a mailbox lock\nfrom fixtures\/rules\/site-rules.yaml/)
  })

  it('says "did you mean" for a near id, in one line with status 64', async () => {
    const {stderr, stdout, status} = await run(['explain', 'vsz-limit-om'])
    assert.equal(status, 64)
    assert.equal(stdout, '')
    assert.equal(stderr, "dovediag: 'vsz-limit-om' is neither a rule nor an exit code: did you mean vsz-limit-oom?\n")
    const far = await run(['explain', 'qwertyuiop'])
    assert.equal(far.status, 64)
    assert.match(far.stderr, /see 'dovediag rules' for the rule ids\n$/)
  })

  it('--json error for an unknown id keeps status 64', async () => {
    const {stdout, status} = await run(['explain', 'disk-ful', '--json'])
    assert.equal(status, 64)
    assert.match(JSON.parse(stdout).error.message, /did you mean disk-full\?/)
  })
})
