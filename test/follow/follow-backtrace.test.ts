import assert from 'node:assert/strict'
import {appendFileSync, mkdtempSync, unlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {followLogs} from '../../src/follow/follow-logs.js'
import type {LogRecord} from '../../src/ingest/record.js'

// Dovecot 2.3 writes a panic and its backtrace as two lines of the same process, at once (src/lib/failures.c).
const PANIC =
  'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Panic: file mail-transaction-log-file.c: line 105 (mail_transaction_log_file_free): assertion failed: (!file->locked)\n'
const BACKTRACE =
  'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Raw backtrace: /usr/lib/dovecot/libdovecot.so.0(backtrace_append+0x3d) [0x7f1c] -> /usr/lib/dovecot/libdovecot.so.0(i_panic+0x2b) [0x7f2a]\n'
const LOGIN =
  'Nov 23 10:00:05 imap-login: Info: Login: user=<alice>, method=PLAIN, rip=192.0.2.10, lip=192.0.2.1, mpid=1300, TLS, session=<abcDEF123>\n'

/**
 * Follows `log` for `looks` looks, calling `between(look, records)` after each (where the test writes what
 * the next look finds, or sees what came so far), and returns every record followLogs yielded.
 */
async function followFor(log: string, looks: number, between: (look: number, records: LogRecord[]) => void): Promise<LogRecord[]> {
  const controller = new AbortController()
  let look = 0
  const records: LogRecord[] = []
  const events = followLogs([{kind: 'file', name: log, path: log}], {
    saved: new Map(),
    pollInterval: 1,
    timeZone: 'UTC',
    signal: controller.signal,
    onNote: () => {},
    onRound() {
      between(look, records)
      if (++look === looks) controller.abort()
    },
  })
  for await (const event of events) if (event.type === 'records') records.push(...event.records)
  return records
}

describe('logs --follow: a crash whose backtrace comes in the next look', () => {
  it('joins the backtrace to the panic, as reading the whole file does', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'dovediag-follow-bt-')), 'dovecot.log')
    writeFileSync(log, PANIC)
    const records = await followFor(log, 3, (look) => look === 0 && appendFileSync(log, BACKTRACE + LOGIN))
    assert.deepEqual(
      records.map((record) => [record.level, record.continuation.length]),
      [
        ['panic', 1],
        ['info', 0],
      ],
    )
    assert.match(records[0].continuation[0], /^Raw backtrace: /)
  })

  it('gives the panic alone after one look with nothing new: never lost, never held for long', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'dovediag-follow-bt-')), 'dovecot.log')
    writeFileSync(log, PANIC)
    let seenAfterSecondLook = -1
    const records = await followFor(log, 4, (look, so) => {
      if (look === 1) seenAfterSecondLook = so.length
    })
    assert.equal(seenAfterSecondLook, 1, 'yielded by the end of the second look')
    assert.deepEqual(
      records.map((record) => record.level),
      ['panic'],
    )
  })

  it('gives the panic alone when its file is gone before the next look', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'dovediag-follow-bt-')), 'dovecot.log')
    writeFileSync(log, PANIC)
    let seenAfterSecondLook = -1
    await followFor(log, 3, (look, so) => {
      if (look === 0) unlinkSync(log)
      if (look === 1) seenAfterSecondLook = so.length
    })
    assert.equal(seenAfterSecondLook, 1)
  })

  it('gives a panic still held when following stops (Ctrl-C right after it)', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'dovediag-follow-bt-')), 'dovecot.log')
    writeFileSync(log, LOGIN + PANIC)
    const records = await followFor(log, 1, () => {})
    assert.deepEqual(
      records.map((record) => record.level),
      ['info', 'panic'],
    )
  })
})
