import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {RULES} from '../../src/catalog/index.js'
import {ExitStatus} from '../../src/exit-status.js'
import {parseLine, isRecord} from '../../src/ingest/parse-line.js'
import type {LogRecord} from '../../src/ingest/record.js'
import {matchRule} from '../../src/match/matcher.js'
import {run} from '../helpers/run.js'

/**
 * Issue 14, point 12: patterns that cannot backtrack without end. The built-in ones are proven by their
 * recorded verdicts (test/hostile/redos.test.ts, no quadratic one accepted) and measured by
 * bench/adversarial-lines.ts; here, what a user sees: the rewritten patterns still read real lines behind
 * crafted junk, and --tag-pattern runs on the linear engine as user rules do.
 */
const dir = mkdtempSync(join(tmpdir(), 'dovediag-linear-'))

function record(message: string): LogRecord {
  const parsed = parseLine(`Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: ${message}`, {
    source: 'test',
    reference: Date.UTC(2026, 11, 31),
    timeZone: 'UTC',
  })
  assert.ok(isRecord(parsed))
  return parsed
}

describe('rewritten built-in patterns read real lines behind crafted repeats', () => {
  const cases: {rule: string; junk: string; message: string; facts: Record<string, string>}[] = [
    {
      rule: 'disk-full',
      junk: 'ia'.repeat(2000),
      message: 'write(/var/vmail/jdoe/Maildir/tmp/1.M1) failed: No space left on device',
      facts: {func: 'write', path: '/var/vmail/jdoe/Maildir/tmp/1.M1'},
    },
    {
      rule: 'uidlist-broken',
      junk: 'yk'.repeat(2000) + ' ',
      message: '/var/vmail/jdoe/Maildir/dovecot-uidlist: Duplicate file entry at line 7: 1.M1 (uid 6 -> 7)',
      facts: {path: '/var/vmail/jdoe/Maildir/dovecot-uidlist', line: '7'},
    },
    {
      rule: 'chown-eperm',
      junk: 'chown(O'.repeat(500) + ', ',
      message:
        'fchown(/home/jdoe/mail/.imap/INBOX, group=12(mail)) failed: Operation not permitted (egid=1000(jdoe), group based on /var/mail/jdoe)',
      facts: {func: 'fchown', path: '/home/jdoe/mail/.imap/INBOX', gid: '12', egid: '1000'},
    },
    {
      rule: 'mkdir-eacces',
      junk: 'e(:'.repeat(1000) + ') ',
      message:
        'mkdir(/var/vmail/x/Maildir/.Sent) failed: Permission denied (euid=5000(vmail) egid=5000(vmail) missing +w perm: /var/vmail/x/Maildir)',
      facts: {func: 'mkdir', path: '/var/vmail/x/Maildir/.Sent', perm: 'w'},
    },
    {
      rule: 'quota-exceeded',
      junk: 'save failed to a'.repeat(300),
      message: 'save failed to INBOX: Quota exceeded (mailbox for user is full)',
      facts: {mailbox: 'INBOX', reason: 'Quota exceeded'},
    },
  ]
  for (const c of cases) {
    it(`${c.rule}: the facts of the real failure after ${c.junk.length} crafted characters`, () => {
      const rule = RULES.find((r) => r.id === c.rule)!
      const match = matchRule(rule, record(`${c.junk} ${c.message}`))
      assert.ok(match, 'no match')
      for (const [name, value] of Object.entries(c.facts)) assert.equal(match.facts[name], value, name)
    })
  }
})

describe('--tag-pattern runs on the linear engine (re2js), like user rules', () => {
  const responses = join(dir, 'responses.json')
  const tag = `${'a'.repeat(40)}!`
  writeFileSync(
    responses,
    JSON.stringify([
      ['doveadmResponse', [], 'jdoe@example.com#1'],
      ['error', {exitCode: 75, type: 'exitCode'}, tag],
    ]),
  )

  it('a pattern that backtracks exponentially on a crafted tag returns at once; the tag it reads is still read', async () => {
    // V8's RegExp needs about 2^40 steps for the second tag (hours); re2js is linear in the tag.
    const result = await run<{users: {user: string}[]; problems: {message: string}[]}>([
      'migration',
      'check',
      responses,
      '--tag-pattern',
      '^(?<user>(?:[a-z]+)+@example\\.com)(?:#(?<attempt>\\d+))?$',
      '--json',
    ])
    assert.deepEqual(
      result.result!.users.map((u) => u.user),
      ['jdoe@example.com'],
    )
    assert.match(result.result!.problems.map((p) => p.message).join('\n'), /response tag 'a+!' names no user/)
  })

  it('lookaround (only a backtracking engine runs it) is refused with one line, status 64', async () => {
    const result = await run(['migration', 'check', responses, '--tag-pattern', '^(?<user>(?=j).+)$'])
    assert.equal(result.status, ExitStatus.USAGE)
    assert.match(result.stderr, /^dovediag: --tag-pattern is not a valid regular expression \(RE2 syntax, no lookaround\): .*\(\?=/m)
    assert.equal(result.stderr.trim().split('\n').length, 1)
  })

  it('the default pattern still reads an address with an attempt suffix', async () => {
    const result = await run<{users: {user: string; attempts: number}[]}>(['migration', 'check', responses, '--json'])
    assert.ok(result.result!.users.some((u) => u.user === 'jdoe@example.com'))
  })
})
