import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {isRecord, parseLine} from '../../src/ingest/parse-line.js'
import type {LogRecord} from '../../src/ingest/record.js'
import {diagnose} from '../../src/diagnosis/diagnose.js'
import {spawnCli} from '../helpers/run.js'

const REFERENCE = Date.UTC(2026, 11, 31)
const parse = (line: string) => parseLine(line, {source: 't', reference: REFERENCE, timeZone: 'UTC'})
const records = (lines: string[]) => lines.map(parse).filter(isRecord)
const findings = async (lines: string[]) => (await diagnose(records(lines))).findings.map((f) => [f.rule, f.count])

// supervisord's own log as docker-mailserver, mailcow and iRedMail containers print it (lines from their issue trackers).
const SUPERVISORD = [
  "2017-08-13 21:18:54,348 INFO spawned: 'dovecot' with pid 14665",
  '2017-08-13 21:18:54,368 INFO success: dovecot entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)',
  '2017-08-13 21:18:54,369 INFO exited: dovecot (exit status 89; not expected)',
  '2024-08-02 00:14:06,365 WARN exited: dovecot (exit status 89; not expected)',
  '2022-02-18 11:38:00,485 INFO gave up: dovecot entered FATAL state, too many start retries too quickly',
]

describe("supervisord's log", () => {
  it('reads its lines about Dovecot: program supervisord, its level, the millisecond stamp', () => {
    const record = parse('2024-08-02 00:14:06,365 WARN exited: dovecot (exit status 89; not expected)') as LogRecord
    assert.ok(isRecord(record))
    assert.equal(record.format, 'supervisord')
    assert.equal(record.program, 'supervisord')
    assert.equal(record.dovecot, false)
    assert.equal(record.level, 'warning')
    assert.equal(record.message, 'exited: dovecot (exit status 89; not expected)')
    assert.equal(record.time, Date.UTC(2024, 7, 2, 0, 14, 6, 365))
    assert.equal(records(SUPERVISORD).length, SUPERVISORD.length)
  })

  it('skips its other lines, and reads no Dovecot line into it', () => {
    for (const line of [
      "2017-08-13 21:18:54,348 INFO spawned: 'postfix' with pid 14666",
      '2020-10-13 05:36:32,796 CRIT Supervisor is running as root.  Privileges were not dropped because no user is specified in the config file.',
      '2021-10-11 14:30:11,644 INFO reaped unknown pid 620',
    ])
      assert.equal(parse(line), 'skipped', line)
  })

  it('makes a finding of each exit with a fatal status, with and without docker compose around it', async () => {
    assert.deepEqual(await findings(SUPERVISORD), [['dovecot-exit-status', 2]])
    const composed = SUPERVISORD.map((line) => `mailserver_1    | ${line}`)
    assert.deepEqual(await findings(composed), [['dovecot-exit-status', 2]])
    assert.deepEqual(await findings(['2017-08-13 21:18:54,369 INFO exited: dovecot (exit status 0; expected)']), [])
  })
})

describe("Postfix's reports on Dovecot's LDA", () => {
  const deferred =
    'Jun 26 16:03:22 mydomain.tld postfix/local[163233]: 1B84532A: to=<myname@mydomain.tld>, relay=local, delay=1185, delays=1185/0.04/0/0.21, dsn=4.3.0, status=deferred (temporary failure. Command output: lda(myname): Error: net_connect_unix(/run/dovecot/stats-writer) failed: Permission denied )'

  it('keeps pipe and local lines that say a delivery through the LDA failed, as postfix records', () => {
    const record = parse(deferred)
    assert.ok(isRecord(record))
    assert.equal(record.program, 'postfix/local')
    assert.equal(record.dovecot, false)
  })

  it('skips successful deliveries and deliveries that are not the LDA', () => {
    for (const line of [
      'Nov 23 10:00:00 mail1 postfix/pipe[2345]: 4A1B2C3D4E: to=<jdoe@example.com>, relay=dovecot, delay=0.2, delays=0.1/0/0/0.1, dsn=2.0.0, status=sent (delivered via dovecot service)',
      'Nov 23 10:00:00 mail1 postfix/local[2345]: 4A1B2C3D4E: to=<root@example.com>, relay=local, delay=0.2, delays=0.1/0/0/0.1, dsn=5.3.0, status=bounced (Command died with status 127: "procmail -a "$EXTENSION"". Command output: sh: procmail: not found )',
      'Nov 23 10:00:00 mail1 postfix/smtp[2345]: 4A1B2C3D4E: to=<a@example.net>, relay=mx.example.net[192.0.2.1]:25, delay=1, delays=0/0/0.5/0.5, dsn=4.4.1, status=deferred (connect to dovecot.example.net: Connection refused)',
    ])
      assert.equal(parse(line), 'skipped', line)
  })

  it('makes lda-delivery-failed of them, the exit status as a variant', async () => {
    const report = await diagnose(records([deferred]))
    assert.deepEqual(
      report.findings.map((f) => [f.rule, f.variants.map((v) => v.id)]),
      [['lda-delivery-failed', ['tempfail']]],
    )
  })
})

describe('a container whose Dovecot supervisord restarts in a loop (fixtures/logs/supervisord-restart-loop.log)', () => {
  it('makes `logs --fail-on high` exit 1: the exit status 89, explained by the stale pid file', async () => {
    const {stdout, status} = await spawnCli(['logs', 'fixtures/logs/supervisord-restart-loop.log', '--fail-on', 'high', '--json'])
    assert.equal(status, 1)
    const report = JSON.parse(stdout) as {
      findings: {rule: string; count: number; notes: string[]}[]
      inputs: {skipped: number; unparsed: number}[]
    }
    assert.deepEqual(
      report.findings.map((f) => [f.rule, f.count]),
      [
        ['dovecot-exit-status', 3],
        ['already-running', 3],
      ],
    )
    assert.match(report.findings[0].notes.join(' '), /already-running/)
    assert.deepEqual([report.inputs[0].skipped, report.inputs[0].unparsed], [2, 0])
  })
})
