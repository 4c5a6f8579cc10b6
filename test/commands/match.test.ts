import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {MatchJson} from '../../src/render/json-documents.js'
import {run, spawnCli} from '../helpers/run.js'

const DISK_FULL = 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: write(/var/vmail/x) failed: No space left on device'
const DISK_FULL_AT_INFO = 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: write(/var/vmail/x) failed: No space left on device'
const POSTFIX = 'Nov 23 10:00:00 mail1 postfix/smtp[12]: Timeout while waiting for lock'

// run() goes through @oclif/test, which joins the arguments and splits them on spaces again: a log line
// must be double-quoted to stay one argument (none of these lines contains a double quote).
const line = (text: string) => `"${text}"`

describe('dovediag match', () => {
  it('shows the parsed prefix, the rule that matched and its facts; status 0', async () => {
    const {stdout, status} = await run(['match', line(DISK_FULL)])
    assert.equal(status, 0)
    assert.equal(
      stdout,
      [
        `line 1: ${DISK_FULL}`,
        '  parsed: format=dovecot-file time=2026-11-23T10:00:00.000Z program=dovecot service=imap user=jdoe pid=1234 session=AbCdEf12 level=error',
        '  message: write(/var/vmail/x) failed: No space left on device',
        '  matched disk-full critical: The mail storage is out of space',
        '    facts: func=write path=/var/vmail/x',
        '',
        '1 of 1 line(s) matched a rule',
        '',
      ].join('\n'),
    )
  })

  it('says why a near rule missed (level, pattern, not a Dovecot line); status 1 when nothing matched', async () => {
    const {stdout, status} = await run([
      'match',
      line(DISK_FULL_AT_INFO),
      line(POSTFIX),
      line('Nov 23 10:00:00 imap(jdoe): Error: Mailbox INBOX: Timeout waiting'),
    ])
    assert.equal(status, 1)
    assert.match(
      stdout,
      /no rule matched\n {4}near disk-full: a pattern matched, but the rule wants level warning\/error\/fatal \(line is info\)/,
    )
    assert.match(
      stdout,
      /line 2: .*\n {2}skipped: a line of another program\n {2}no rule matched\n {4}near lock-timeout: the rule's literal "Timeout" is there, but the line is not one dovediag reads as a log record \(skipped\)/,
    )
    assert.match(stdout, /near lock-timeout: the message contains the rule's literal but none of its patterns matched/)
    assert.match(stdout, /0 of 3 line\(s\) matched a rule\n$/)
  })

  it('--json: one trace per line with prefix fields, matches (facts, variant) and near misses', async () => {
    const {result, status} = await run<MatchJson>(['match', '--json', line(DISK_FULL), line(DISK_FULL_AT_INFO)])
    assert.equal(status, 0)
    assert.equal(result?.matched, 1)
    const [hit, miss] = result.lines
    assert.equal(hit.result, 'record')
    assert.deepEqual(hit.matches, [
      {
        rule: 'disk-full',
        kind: 'problem',
        severity: 'critical',
        title: 'The mail storage is out of space',
        facts: {func: 'write', path: '/var/vmail/x'},
        variant: null,
      },
    ])
    assert.deepEqual(hit.near, [])
    assert.equal(hit.prefix?.user, 'jdoe')
    assert.equal(hit.prefix?.time, '2026-11-23T10:00:00.000Z')
    assert.equal(miss.matches.length, 0)
    assert.deepEqual(miss.near.find((near) => near.rule === 'disk-full')?.reason, 'conditions')
  })

  it('a mail_log line quoting a problem in its subject: no match, and the near miss says the subject is not read', async () => {
    const saved =
      'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=5, msgid=<a@b>, size=100, subject=Error: write(/x) failed: No space left on device'
    const {result, status} = await run<MatchJson>(['match', '--json', line(saved)])
    assert.equal(status, 1)
    assert.equal(result?.matched, 0)
    const near = result.lines[0].near
    assert.deepEqual(
      near.find((entry) => entry.rule === 'disk-full'),
      {
        rule: 'disk-full',
        reason: 'mail-field',
        detail:
          "the rule's literal \"No space left on device\" is there, but in a mail_log line's msgid=, from= or subject=: the mail's own text, which whoever sends it chooses, and which rules do not read",
      },
    )
    assert.deepEqual([...new Set(near.map((entry) => entry.reason))], ['mail-field'])
  })

  it('counts fact rules (a login) as matched', async () => {
    const {result, status} = await run<MatchJson>([
      'match',
      '--json',
      line(
        'Nov 23 10:00:00 imap-login: Info: Login: user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1, TLS, session=<AbCd>',
      ),
    ])
    assert.equal(status, 0)
    assert.deepEqual(
      result?.lines[0].matches.map((m) => [m.rule, m.facts]),
      [['login', {user: 'jdoe', ip: '203.0.113.5'}]],
    )
  })

  it('reads lines from stdin with - (and when piped with no argument)', async () => {
    const input = `${DISK_FULL}\n\n${POSTFIX}\n`
    for (const args of [
      ['match', '-', '--json'],
      ['match', '--json'],
    ]) {
      const {stdout, status} = await spawnCli(args, {input})
      assert.equal(status, 0)
      const result = JSON.parse(stdout) as MatchJson
      assert.deepEqual(
        result.lines.map((line) => [line.line, line.result]),
        [
          [1, 'record'],
          [2, 'blank'],
          [3, 'skipped'],
        ],
      )
    }
  })

  it('tries user rules from --rules', async () => {
    const {stdout, status} = await run([
      'match',
      '--rules',
      'fixtures/rules/site-rules.yaml',
      line('Nov 23 10:00:00 imap(jdoe): Error: backup lock held by nas1'),
    ])
    assert.equal(status, 0)
    assert.match(stdout, /matched backup-lock medium: The nightly backup held a mailbox lock\n {4}facts: host=nas1/)
  })

  it('without a line or piped input is a usage error (64)', async () => {
    const {stderr, status} = await spawnCli(['match'], {input: undefined})
    // spawnCli closes stdin: that is piped, empty input, so nothing matched.
    assert.equal(status, 1)
    assert.equal(stderr, '')
    const bad = await run(['match', '--rules', 'fixtures/rules/missing.yaml', line(DISK_FULL)])
    assert.equal(bad.status, 64)
    assert.equal(bad.stderr, 'dovediag: fixtures/rules/missing.yaml: not found\n')
  })
})
