import assert from 'node:assert/strict'
import {copyFileSync, mkdtempSync, utimesSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, it} from 'node:test'

import type {LogsReport} from '../../src/diagnosis/report.js'
import {root, run, spawnCli} from '../helpers/run.js'

// A copy of the sample with the mtime of the day it was written: year-less stamps resolve to 2026.
const sample = join(mkdtempSync(join(tmpdir(), 'dovediag-report-')), 'sample.log')
copyFileSync(resolve(root, 'fixtures/sample.log'), sample)
utimesSync(sample, new Date('2026-11-22T23:00:00Z'), new Date('2026-11-22T23:00:00Z'))
const ordinary = resolve(root, 'fixtures/ordinary/dovecot-2.3-own.log')

describe('dovediag logs: the findings report', () => {
  it('puts problems first, by severity then count, with remedies and a doc footer, above the input summary', async () => {
    const {stdout, status} = await run(['logs', sample])
    assert.equal(status, 0)
    const headings = [...stdout.matchAll(/^(CRITICAL|HIGH|MEDIUM|LOW) +(\S+)/gm)].map((m) => `${m[1]} ${m[2]}`)
    assert.deepEqual(headings.slice(0, 3), ['CRITICAL panic', 'HIGH net-connect-unix-eagain', 'HIGH time-moved-backwards'])
    assert.equal(headings.at(-1), 'LOW tls-handshake-failed')
    assert.match(stdout, /imap hit vsz_limit=256 MB 1 time\(s\)/)
    assert.match(stdout, /note: Suggested: service imap \{ vsz_limit = 1536M \}/)
    assert.match(stdout, new RegExp(`${sample.replaceAll('.', '\\.')}:246  Nov 22 07:10:40 imap\\(bob@example\\.com\\)`))
    // The client's "Internal error occurred" right after the mkdir failure is that finding's companion, not unrecognized.
    assert.match(stdout, /followed by \(1 line from the same process\):\n.*:432 .*Failed to autocreate mailbox: Internal error occurred/)
    assert.doesNotMatch(stdout, /Severe but unrecognized/)
    assert.match(stdout, /For more information:\n {2}https:\/\/doc\.dovecot\.org\/latest\/core\/admin\/debug\.html -- panic: /)
    assert.ok(stdout.indexOf('For more information:') < stdout.indexOf('format     dovecot-file'), 'findings above the input summary')
  })

  it('--json: findings[], unrecognized[], inputs[] in the documented shape', async () => {
    const {result, status} = await run<LogsReport>(['logs', sample, '--json'])
    assert.equal(status, 0)
    const report = result!
    assert.equal(report.inputs[0].format, 'dovecot-file')
    assert.equal(report.findings.length, 11)
    const oom = report.findings.find((f) => f.rule === 'vsz-limit-oom')!
    // By value, not by key (test/docs/json-schemas.test.ts holds the shape).
    assert.deepEqual(
      [oom.severity, oom.count, oom.firstSeen, oom.lastSeen, oom.affected.users, oom.docs],
      [
        'high',
        2,
        '2026-11-22T07:10:40.000Z',
        '2026-11-22T07:10:40.000Z',
        [{name: 'bob@example.com', count: 2}],
        'https://doc.dovecot.org/latest/core/admin/errors.html#dovecot-index-cache-is-too-large',
      ],
    )
    assert.match(oom.remedy[0], /^Raise the limit of the service named in the finding/)
    assert.deepEqual(
      oom.evidence.map((e) => e.line),
      [244, 246],
    )
    assert.deepEqual(report.unrecognized, [])
    assert.deepEqual(
      report.findings.find((f) => f.rule === 'mkdir-eacces')!.related.evidence.map((e) => e.line),
      [432],
    )
    assert.equal(report.levels.panic, 1)
    assert.equal(report.activity.authFailuresByIp[0].name, '185.220.101.7')
  })

  it('--format markdown gives a report for a ticket', async () => {
    const {stdout, status} = await run(['logs', sample, '--format', 'markdown', '--min-severity', 'critical'])
    assert.equal(status, 0)
    assert.match(stdout, /^## Dovecot log diagnosis\n\nTimes are in UTC\.\n\n\| severity \| rule \| count \| first seen \| last seen \|\n/)
    assert.match(
      stdout,
      /\| critical \| \[`panic`\]\(https:\/\/doc\.dovecot\.org\/latest\/core\/admin\/debug\.html\) \| 1 \| 2026-11-22 08:00:08 \|/,
    )
    assert.doesNotMatch(stdout, /vsz-limit-oom/)
    assert.match(
      stdout,
      /### Inputs\n\n.*\n.*\n\| `[^`]*sample\.log` \| dovecot-file \| 549 \| 549 \| 0 \| 0 \| 2026-11-22 06:25:01 \| 2026-11-22 08:12:48 \|/,
    )
  })

  it('--format markdown writes every time in the one zone it names', async () => {
    // Year-less stamps are read in the local zone and shown in it: the table and the sections agree.
    const {stdout} = await spawnCli(['logs', sample, '--format', 'markdown', '--rule', 'panic'], {env: {TZ: 'America/New_York'}})
    assert.match(stdout, /Times are in America\/New_York\./)
    assert.match(stdout, /\| 1 \| 2026-11-22 08:00:08 \| 2026-11-22 08:00:08 \|/)
    assert.match(stdout, /\*\*1×\*\*, 2026-11-22 08:00:08/)
    assert.doesNotMatch(stdout, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/, 'no UTC ISO stamps beside local ones')
  })

  it('says when nothing was read, or when the filters kept nothing, instead of "no known problems"', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dovediag-empty-'))
    const nothing = await spawnCli(['logs', `${empty}/*.log`])
    assert.equal(nothing.status, 2)
    assert.match(nothing.stdout, /^Nothing was read, so nothing could be diagnosed\./)
    const unmatched = await run(['logs', sample, '--user', 'nobody'])
    assert.match(unmatched.stdout, /^No record matches the filters \(547 records were read\)/)
    assert.doesNotMatch(unmatched.stdout, /No known problems/)
  })

  it('--records writes only the records inside the filters', async () => {
    const {stdout} = await run([
      'logs',
      sample,
      '--records',
      '--json',
      '--user',
      'bob@example.com',
      '--since',
      '2026-11-22T07:10:40',
      '--until',
      '2026-11-22T07:10:41',
    ])
    const records = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as {user: string; time: number; line: number})
    // bob's two Fatal lines of that second (244, 246); 245 is the backtrace continuing 244.
    assert.deepEqual(
      records.map((record) => record.line),
      [244, 246],
    )
    for (const record of records) {
      assert.equal(record.user, 'bob@example.com')
      assert.ok(record.time >= Date.parse('2026-11-22T07:10:40Z') && record.time < Date.parse('2026-11-22T07:10:41Z'))
    }
    const all = await run(['logs', sample, '--records', '--json'])
    assert.equal(all.stdout.trim().split('\n').length, 547)
  })

  it('--fail-on exits 1 when a finding at or above the severity exists, 0 otherwise', async () => {
    assert.equal((await spawnCli(['logs', sample, '--fail-on', 'critical'])).status, 1)
    // --fail-on judges every finding, also those --rule hides from the report.
    assert.equal((await spawnCli(['logs', sample, '--fail-on', 'high', '--rule', 'tls-handshake-failed'])).status, 1)
    assert.equal((await spawnCli(['logs', sample, '--fail-on', 'critical', '--user', 'bob@example.com'])).status, 0)
    assert.equal((await spawnCli(['logs', ordinary, '--fail-on', 'low'])).status, 0)
  })

  it('findings outrank unreadable input: exit 1 with --fail-on met, else 2; the rest is still reported', async () => {
    const {stdout, stderr, status} = await spawnCli(['logs', sample, '/nonexistent.log', '--fail-on', 'low', '--json'])
    assert.equal(status, 1)
    assert.match(stderr, /nonexistent\.log: not found/)
    assert.equal((JSON.parse(stdout) as LogsReport).findings.length, 11)
    assert.equal(
      (
        await spawnCli([
          'logs',
          sample,
          '/nonexistent.log',
          '--fail-on',
          'critical',
          '--rule',
          'tls-handshake-failed',
          '--min-severity',
          'low',
          '--user',
          'nobody',
        ])
      ).status,
      2,
    )
    assert.equal((await spawnCli(['logs', sample, '/nonexistent.log'])).status, 2)
  })

  it('--since/--until/--user/--service narrow the lines; a bad value is a usage error naming it', async () => {
    const {result} = await run<LogsReport>([
      'logs',
      sample,
      '--json',
      '--since',
      '2026-11-22T07:00',
      '--until',
      '2026-11-22T07:30',
      '--service',
      'imap-login',
    ])
    assert.deepEqual(
      result!.findings.map((f) => f.rule),
      ['net-connect-unix-eagain', 'tls-handshake-failed'],
    )
    const bob = await run<LogsReport>(['logs', sample, '--json', '--user', 'bob@example.com'])
    assert.deepEqual(
      bob.result!.findings.map((f) => f.rule),
      ['vsz-limit-oom'],
    )
    // run() splits arguments on spaces (runCommand), so values with spaces go through spawnCli.
    const bad = await spawnCli(['logs', sample, '--since', 'last tuesday'])
    assert.equal(bad.status, 64)
    assert.match(bad.stderr, /--since 'last tuesday' is not a time/)
  })
})
