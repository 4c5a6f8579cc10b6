import assert from 'node:assert/strict'
import {copyFileSync, mkdtempSync, readFileSync, utimesSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, it} from 'node:test'

import type {LogRecord} from '../../src/ingest/record.js'
import type {LogsSummary} from '../../src/ingest/summary.js'
import {root, run, spawnCli} from '../helpers/run.js'

// The sample's stamps have no year: it comes from the file's mtime, which a clone sets to the checkout
// time. A copy with the mtime of the day it was written keeps the expected times fixed.
const sample = join(mkdtempSync(join(tmpdir(), 'dovediag-logs-')), 'sample.log')
copyFileSync(resolve(root, 'fixtures/sample.log'), sample)
utimesSync(sample, new Date('2026-11-22T23:00:00Z'), new Date('2026-11-22T23:00:00Z'))

describe('dovediag logs', () => {
  it('summarizes the bundled sample: format, counts, time span, levels, services', async () => {
    const {stdout, stderr, status} = await run(['logs', sample])
    assert.equal(status, 0)
    assert.equal(stderr, '')
    assert.match(stdout, /format {5}dovecot-file/)
    assert.match(stdout, /lines {6}549: 549 parsed \(2 continuation\), 0 skipped, 0 unparsed/)
    assert.match(stdout, /time span {2}2026-11-22 06:25:01 → 2026-11-22 08:12:48 UTC/)
    assert.match(stdout, /levels {5}panic 1, fatal 3, error 9, warning 4, info 530/)
    assert.match(stdout, /services {3}lmtp 267, imap-login 111, imap 74, auth 57/)
  })

  it('--json gives the documented summary document', async () => {
    const {result, status} = await run<LogsSummary>(['logs', sample, '--json'])
    assert.equal(status, 0)
    assert.deepEqual(result?.totals, {inputs: 1, lines: 549, parsed: 549, records: 547, skipped: 0, unparsed: 0, problems: 0})
    const input = result.inputs[0]
    assert.equal(input.format, 'dovecot-file')
    assert.equal(new Date(input.firstTime!).toISOString(), '2026-11-22T06:25:01.000Z')
    assert.equal(input.levels.panic, 1)
  })

  it('--records --json writes one JSON record a line, every record of the input', async () => {
    const {stdout, status} = await spawnCli(['logs', sample, '--records', '--json'])
    assert.equal(status, 0)
    const records = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LogRecord)
    assert.equal(records.length, 547)
    const panic = records.find((r) => r.level === 'panic')!
    assert.equal(panic.service, 'imap')
    assert.equal(panic.user, 'erin@example.com')
    assert.match(panic.continuation[0], /^Raw backtrace: /)
    assert.deepEqual(Object.keys(records[0]), [
      'time',
      'host',
      'source',
      'line',
      'format',
      'program',
      'dovecot',
      'service',
      'user',
      'pid',
      'session',
      'ip',
      'level',
      'levelSource',
      'message',
      'continuation',
      'text',
      'facility',
      'severity',
      'container',
      'wrappers',
      'rules',
    ])
  })

  it('reads piped stdin with no argument (journalctl -o json | dovediag logs)', async () => {
    const input = readFileSync(resolve(root, 'fixtures/logs/journal.json'), 'utf8')
    const {stdout, status} = await spawnCli(['logs', '--json'], {input})
    assert.equal(status, 0)
    const summary = JSON.parse(stdout) as LogsSummary
    assert.deepEqual([summary.inputs[0].input, summary.inputs[0].format, summary.totals.records], ['-', 'journal-json', 4])
  })

  it('bad inputs: one stderr line each, the rest still read and summarized, exit status 2', async () => {
    const {stdout, stderr, status} = await spawnCli(
      ['logs', '/nonexistent.log', resolve(root, 'fixtures/logs/mail.log'), '/nonexistent/*.log'],
      {env: {NO_COLOR: '1'}},
    )
    assert.equal(status, 2)
    assert.deepEqual(stderr.trim().split('\n'), ['dovediag: /nonexistent.log: not found', 'dovediag: /nonexistent/*.log: matches no file'])
    assert.match(stdout, /mail\.log\n {2}format {5}syslog-bsd/)
    assert.match(stdout, /1 input, 12 lines: 7 parsed into 7 records, 5 skipped, 0 unparsed; 2 input problems \(on stderr\)/)
  })

  it('--timezone reads zone-less stamps in that zone; an unknown zone is a usage error', async () => {
    const {result} = await run<LogsSummary>(['logs', sample, '--json', '--timezone', 'Europe/Berlin'])
    assert.equal(new Date(result!.inputs[0].firstTime!).toISOString(), '2026-11-22T05:25:01.000Z')
    const bad = await run(['logs', sample, '--timezone', 'Mars/Olympus'])
    assert.equal(bad.status, 64)
    assert.match(bad.stderr, /unknown time zone 'Mars\/Olympus'/)
  })
})

describe('dovediag logs: real-world inputs (issue #12)', () => {
  it('an input with no Dovecot line: one stderr line naming it and what it held, exit status 2; the others still read', async () => {
    const passwd = resolve(root, 'fixtures/logs/not-dovecot/passwd')
    const postfix = resolve(root, 'fixtures/logs/not-dovecot/postfix-only.log')
    // Without --fail-on: findings met by --fail-on (status 1) would outrank the input problems' 2.
    const {stdout, stderr, status} = await spawnCli(['logs', passwd, postfix, sample])
    assert.equal(status, 2)
    const lines = stderr.trim().split('\n')
    assert.equal(lines.length, 2, stderr)
    assert.match(
      lines[0],
      /^dovediag: .*passwd: no line is a Dovecot log line: 5 lines in no log format dovediag knows, such as line 1: "root:x:0:0:root:\/root:\/bin\/bash"$/,
    )
    assert.match(
      lines[1],
      /^dovediag: .*postfix-only\.log: no line is a Dovecot log line: 4 lines of other programs \(postfix\/smtpd 2, CRON 1, postfix\/master 1\)$/,
    )
    assert.match(stdout, /panic/, 'the sample is still diagnosed')
  })

  it('wrapped and raw lines: the summary shows the share understood, the raw lines and the wrappers met (text and --json)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovediag-wrapped-'))
    const log = join(dir, 'pasted.log')
    const text = [
      'mail.log:Nov 23 10:00:00 mail1 dovecot: master: Warning: service(imap): process_limit (100) reached, client connections are being dropped',
      'mailserver_1  | Nov 23 10:00:01 mail1 dovecot: master: Warning: service(imap): process_limit (100) reached, client connections are being dropped',
      "Time just moved backwards by 6 seconds. This might cause a lot of problems, so I'll just kill myself now.",
      'Nov 23 10:00:02 mail1 postfix/smtpd[1]: fatal: process_limit (100) reached, client connections are being dropped',
      'nothing anyone knows',
    ].join('\n')
    ;(await import('node:fs')).writeFileSync(log, text + '\n')
    const {stdout, status} = await spawnCli(['logs', log])
    assert.equal(status, 0)
    assert.match(stdout, /lines {6}5: 3 parsed, 1 skipped, 1 unparsed \(80% understood\)/)
    assert.match(stdout, /raw {8}1 recognized by their text alone/)
    assert.match(stdout, /wrappers {3}compose 1, grep-filename 1/)
    assert.match(stdout, /process-limit-reached[^]*2×/)
    assert.match(stdout, /time-moved-backwards[^]*1× time unknown[^]*pasted\.log:3 {2}Time just moved backwards/)
    const {result} = await run<LogsSummary>(['logs', log, '--json'])
    const input = result!.inputs[0]
    assert.deepEqual(
      [input.parseRate, input.raw, input.wrappers, input.otherPrograms],
      [0.8, 1, {'grep-filename': 1, compose: 1}, {'postfix/smtpd': 1}],
    )
  })
})

describe('dovediag logs: terminal safety', () => {
  it('shows control characters in unparsed lines as escapes, not as terminal commands', async () => {
    const {stdout} = await spawnCli(['logs', '-'], {
      input: 'Nov 22 09:00:01 master: Info: a\nclient sent \u001b[2J junk\n',
      env: {NO_COLOR: '1'},
    })
    assert.match(stdout, /unparsed {3}line 2: client sent \\e\[2J junk/)
    assert.doesNotMatch(stdout, /\u001b/)
  })
})
