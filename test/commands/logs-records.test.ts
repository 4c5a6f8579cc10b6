import assert from 'node:assert/strict'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {root, run, spawnCli} from '../helpers/run.js'

// Dovecot 2.3 with log_path = dovecot.log and info_log_path = dovecot-info.log: one host's log, split by level.
const split = join(root, 'fixtures/logs/split-files')
const errors = join(split, 'dovecot.log')
const info = join(split, 'dovecot-info.log')

describe('logs --records', () => {
  it("merges one host's log_path and info_log_path back into one timeline, with the rule that matched each record", async () => {
    const {stdout, status} = await spawnCli(['logs', '--records', errors, info], {env: {COLUMNS: '300', TZ: 'UTC'}})
    assert.equal(status, 0)
    assert.equal(
      stdout,
      [
        '2026-11-23 10:30:00 info    master: Dovecot v2.3.19.1 (9b53102964) starting up for imap, lmtp (core dumps disabled)',
        '2026-11-23 10:30:01 warning master: fd limit (ulimit -n) is lower than required under max. load (1024 < 4200), because of default_client_limit [startup-limits-low]',
        '2026-11-23 10:30:05 info    imap-login(alice@example.com): Login: user=<alice@example.com>, method=PLAIN, rip=192.0.2.10, lip=192.0.2.1, mpid=4101, TLS, session=<q1bQXu9gkKzAAAIK> [login]',
        '2026-11-23 10:30:07 info    lmtp: Connect from local',
        '2026-11-23 10:30:07 info    lmtp(bob@example.com): msgid=<20261123103007.1@example.org>: saved mail to INBOX [mail-delivered]',
        '2026-11-23 10:30:08 error   imap(alice@example.com): write(/var/vmail/example.com/alice/Maildir/tmp/1795429808.M1P4101.mail1) failed: Disk quota exceeded [quota-exceeded]',
        '2026-11-23 10:30:09 info    imap(alice@example.com): Disconnected: Logged out in=112 out=1450 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0 [logout]',
        '2026-11-23 10:30:12 info    imap-login(carol@example.com): Login: user=<carol@example.com>, method=PLAIN, rip=192.0.2.11, lip=192.0.2.1, mpid=4105, TLS, session=<r2cRYu9gkqzAAAIL> [login]',
        '2026-11-23 10:30:15 error   imap(carol@example.com): write(/var/vmail/example.com/carol/dovecot.index.log) failed: No space left on device [disk-full]',
        '2026-11-23 10:30:18 fatal   imap(carol@example.com): master: service(imap): child 4105 returned error 83 (Out of memory (service imap { vsz_limit=256 MB }, you may need to increase it) - set CORE_OUTOFMEM=1 environment to get core dump) [vsz-limit-oom]',
        '2026-11-23 10:30:20 info    imap-login(dave@example.com): Disconnected (auth failed, 1 attempts in 2 secs): user=<dave@example.com>, method=PLAIN, rip=198.51.100.7, lip=192.0.2.1, TLS, session=<s3dSZu9gnKzAAAIM> [auth-failed]',
        '',
      ].join('\n'),
    )
    // The files in the other order give the same timeline.
    assert.equal((await spawnCli(['logs', '--records', info, errors], {env: {COLUMNS: '300', TZ: 'UTC'}})).stdout, stdout)
  })

  it('--json: one record a line, in time order, each with its source, line and rules', async () => {
    const {stdout, status} = await run<unknown>(['logs', '--records', '--json', errors, info])
    assert.equal(status, 0)
    const records = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as {source: string; line: number; level: string; rules: string[]})
    assert.deepEqual(
      records.map((record) => `${record.source.slice(split.length + 1)}:${record.line} ${record.rules.join(',')}`),
      [
        'dovecot-info.log:1 ',
        'dovecot.log:1 startup-limits-low',
        'dovecot-info.log:2 login',
        'dovecot-info.log:3 ',
        'dovecot-info.log:4 mail-delivered',
        'dovecot.log:2 quota-exceeded',
        'dovecot-info.log:5 logout',
        'dovecot-info.log:6 login',
        'dovecot.log:3 disk-full',
        'dovecot.log:4 vsz-limit-oom',
        'dovecot-info.log:7 auth-failed',
      ],
    )
  })

  it('--level keeps the records of those Dovecot levels (repeatable, or comma-separated)', async () => {
    const levels = async (...flags: string[]) =>
      (await run<unknown>(['logs', '--records', '--json', errors, info, ...flags])).stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as {level: string}).level)
    assert.deepEqual(await levels('--level', 'error,fatal'), ['error', 'error', 'fatal'])
    assert.deepEqual(await levels('--level', 'warning', '--level', 'fatal'), ['warning', 'fatal'])
    const wrong = await spawnCli(['logs', '--records', errors, '--level', 'eror'])
    assert.equal(wrong.status, 64)
    assert.match(wrong.stderr, /--level=eror to be one of: debug, info, warning, error, fatal, panic/)
  })

  it('--level narrows the report too', async () => {
    const {result} = await run<{findings: {rule: string}[]; records: number}>(['logs', '--json', errors, info, '--level', 'info'])
    assert.equal(result?.records, 7)
    assert.deepEqual(
      result?.findings.map((finding) => finding.rule),
      [],
    )
  })

  it('fits the terminal: a long record wraps under its message', async () => {
    const {stdout} = await spawnCli(['logs', '--records', errors, '--level', 'fatal'], {env: {COLUMNS: '80', TZ: 'UTC'}})
    assert.equal(
      stdout,
      [
        '2026-11-23 10:30:18 fatal   imap(carol@example.com): master: service(imap):',
        '                    child 4105 returned error 83 (Out of memory (service imap {',
        '                    vsz_limit=256 MB }, you may need to increase it) - set',
        '                    CORE_OUTOFMEM=1 environment to get core dump)',
        '                    [vsz-limit-oom]',
        '',
      ].join('\n'),
    )
  })
})
