import assert from 'node:assert/strict'
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {spawnCli} from '../helpers/run.js'

const PANIC =
  'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Panic: file mail-transaction-log-file.c: line 105 (mail_transaction_log_file_free): assertion failed: (!file->locked)\n'

function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'dovediag-lock-'))
  const log = join(dir, 'dovecot.log')
  writeFileSync(log, PANIC)
  return {log, state: join(dir, 'state.json'), lock: join(dir, 'state.json.lock')}
}

describe('logs --state: one run at a time per state file', () => {
  // Another live process, standing for a dovediag run that holds the state (a long cron run, a --follow).
  // Started when the suite runs, not when the file is imported: a shard may import this file minutes
  // before it reaches these tests, and a holder that has already exited is a stale lock.
  let other: ChildProcess
  before(() => {
    other = spawn('sleep', ['600'])
  })
  after(() => other.kill())

  it('a second run while another holds the state stops with exit 2 and leaves the state as it was', async () => {
    const {log, state, lock} = scratch()
    assert.equal((await spawnCli(['logs', log, '--state', state])).status, 0)
    const before = readFileSync(state, 'utf8')
    writeFileSync(lock, `${other.pid} ${hostname()} 2026-11-30T10:00:00.000Z\n`)

    const {status, stdout, stderr} = await spawnCli(['logs', log, '--state', state])
    assert.equal(status, 2)
    assert.equal(stdout, '')
    assert.match(stderr, new RegExp(`state file .*state\\.json is in use by another dovediag run \\(pid ${other.pid} on `))
    assert.equal(stderr.trim().split('\n').length, 1)
    assert.equal(readFileSync(state, 'utf8'), before)
    assert.ok(existsSync(lock), "the other run's lock is left alone")

    // A monitoring plugin says UNKNOWN, on stdout.
    const nagios = await spawnCli(['logs', log, '--state', state, '--format', 'nagios'])
    assert.equal(nagios.status, 3)
    assert.match(nagios.stdout, /^DOVEDIAG UNKNOWN - state file .* is in use by another dovediag run/)
  })

  it('a lock left by a run that is gone is taken over, and every run removes its own', async () => {
    const {log, state, lock} = scratch()
    const gone = spawnSync('true')
    writeFileSync(lock, `${gone.pid} ${hostname()} 2026-11-30T10:00:00.000Z\n`)
    const {status, stdout} = await spawnCli(['logs', log, '--state', state, '--json'])
    assert.equal(status, 0)
    assert.deepEqual(
      (JSON.parse(stdout) as {findings: {rule: string}[]}).findings.map((f) => f.rule),
      ['panic'],
    )
    assert.ok(existsSync(state))
    assert.ok(!existsSync(lock))
  })
})
