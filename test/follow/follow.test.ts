import assert from 'node:assert/strict'
import {spawn, type ChildProcess} from 'node:child_process'
import {appendFileSync, mkdtempSync, renameSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {describe, it} from 'node:test'

import {FindingEvents} from '../../src/follow/finding-events.js'
import type {Diagnosis, Finding} from '../../src/diagnosis/report.js'
import {root} from '../helpers/run.js'

const PANIC = (time: string) =>
  `Nov 23 ${time} imap(jdoe)<1234><AbCdEf12>: Panic: file mail-transaction-log-file.c: line 105 (mail_transaction_log_file_free): assertion failed: (!file->locked)\n`
const CACHE =
  'Nov 23 12:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Corrupted index cache file /var/vmail/jdoe/Maildir/dovecot.index.cache: Cache file too large\n'

/** The built CLI following, its stdout as lines so far, and a wait for a line. */
function follow(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [join(root, 'bin/run.js'), 'logs', '--follow', '--poll-interval', '50', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (data: Buffer) => (stdout += data.toString()))
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  const lines = () => stdout.split('\n').filter(Boolean)
  const events = () => lines().map((line) => JSON.parse(line) as Record<string, unknown>)
  async function waitFor<T>(what: string, find: () => T | undefined): Promise<T> {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(50)) {
      const found = find()
      if (found !== undefined) return found
    }
    child.kill('SIGKILL')
    throw new Error(`timed out waiting for ${what}; stdout:\n${stdout}\nstderr:\n${stderr}`)
  }
  return {child, exited, lines, events, waitFor, stderr: () => stderr}
}

describe('logs --follow', () => {
  it('tail -F across a rotation: each finding when it appears and when it repeats, JSON Lines; SIGTERM reports and exits 143', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovediag-follow-'))
    const log = join(dir, 'dovecot.log')
    writeFileSync(log, PANIC('10:00:00'))
    const f = follow([log, '--json', '--repeat-interval', '0'])
    const first = await f.waitFor('the first event', () => f.events().find((e) => e.rule === 'panic'))
    assert.deepEqual([first.event, first.status, first.count, first.severity], ['finding', 'new', 1, 'critical'])

    appendFileSync(log, PANIC('10:00:01') + PANIC('10:00:02'))
    // Said once or twice (the lines may be seen in two looks): each added line counted once.
    await f.waitFor('a repeat', () => f.events().find((e) => e.rule === 'panic' && e.status === 'repeat' && e.count === 3))
    const panics = f.events().filter((e) => e.rule === 'panic')
    assert.equal(
      panics.reduce((sum, e) => sum + (e.added as number), 0),
      3,
    )

    // Written to the old file after the last look, then rotated: read before the new file.
    appendFileSync(log, PANIC('11:00:00'))
    renameSync(log, `${log}.1`)
    writeFileSync(log, CACHE)
    const cache = await f.waitFor("the new file's finding", () => f.events().find((e) => e.rule === 'index-cache-too-large'))
    assert.equal(cache.status, 'new')
    assert.deepEqual(cache.evidence, {source: log, line: 1, text: CACHE.trimEnd()})
    await f.waitFor("the rotated file's rest", () => f.events().find((e) => e.rule === 'panic' && e.count === 4))
    assert.match(f.stderr(), /was rotated since the last run: reading the rest of .*dovecot\.log\.1/)

    f.child.kill('SIGTERM')
    assert.equal(await f.exited, 143)
    const report = f.events().at(-1)! as {event: string; records: number; findings: Finding[]}
    assert.equal(report.event, 'report')
    assert.equal(report.records, 5)
    assert.deepEqual(
      report.findings.map((finding) => [finding.rule, finding.count]),
      [
        ['panic', 4],
        ['index-cache-too-large', 1],
      ],
    )
  })

  it('rotated, and the new file not there for many looks: the rest of the old one is read once, and said once', async () => {
    // logrotate renames the log; Dovecot writes a new one only once told to reopen it (postrotate): looks fall
    // in between. Each of them read the rest of the rotated copy again, and said so again.
    const dir = mkdtempSync(join(tmpdir(), 'dovediag-follow-'))
    const log = join(dir, 'dovecot.log')
    writeFileSync(log, PANIC('10:00:00'))
    const f = follow([log, '--json', '--repeat-interval', '0'])
    await f.waitFor('the first event', () => f.events().find((e) => e.rule === 'panic'))
    appendFileSync(log, PANIC('10:00:01'))
    renameSync(log, `${log}.1`)
    await f.waitFor('the rest of the rotated copy', () => f.events().find((e) => e.rule === 'panic' && e.count === 2))
    await sleep(1000) // twenty looks at --poll-interval 50
    writeFileSync(log, CACHE)
    await f.waitFor("the new file's finding", () => f.events().find((e) => e.rule === 'index-cache-too-large'))
    f.child.kill('SIGTERM')
    assert.equal(await f.exited, 143)
    const report = f.events().at(-1)! as {event: string; findings: Finding[]}
    assert.deepEqual(
      report.findings.map((finding) => [finding.rule, finding.count]),
      [
        ['panic', 2],
        ['index-cache-too-large', 1],
      ],
    )
    assert.equal(f.stderr().match(/reading the rest of/g)?.length, 1, f.stderr())
  })

  it('a generated stream on stdin: every line counted, Ctrl-C prints the text report and exits 130', async () => {
    const f = follow(['-'])
    const lines = 50_000
    for (let sent = 0; sent < lines; sent += 1000) {
      let chunk = ''
      for (let i = sent; i < sent + 1000; i++)
        chunk += i % 10_000 === 0 ? PANIC('10:00:00') : `Nov 23 10:00:00 imap(u${i}): Info: Disconnected: Logged out in=${i} out=1\n`
      if (!f.child.stdin!.write(chunk)) await new Promise((resolve) => f.child.stdin!.once('drain', resolve))
    }
    await f.waitFor('the first event', () => f.lines().find((line) => line.startsWith('new    critical panic')))
    await sleep(500)
    f.child.kill('SIGINT')
    assert.equal(await f.exited, 130)
    const text = f.lines().join('\n')
    assert.match(text, /Records: 50,000 \(panic 5, info 49,995\)/)
    assert.match(text, /CRITICAL panic/)
  })

  it('--follow with a report format is a usage error', async () => {
    const f = follow(['x.log', '--format', 'nagios'])
    assert.equal(await f.exited, 64)
    assert.match(f.stderr(), /--follow prints findings as they come/)
  })
})

describe('follow events', () => {
  const diagnosis = (count: number) =>
    ({
      findings: [{rule: 'panic', severity: 'critical', title: 't', count, firstSeen: null, lastSeen: null, evidence: [], docs: ''}],
    }) as unknown as Diagnosis
  it('a rule when it first appears, then at most once per interval while it grows', () => {
    const events = new FindingEvents(60_000)
    assert.deepEqual(
      events.next(diagnosis(1), 0).map((e) => [e.status, e.count, e.added]),
      [['new', 1, 1]],
    )
    assert.deepEqual(events.next(diagnosis(5), 30_000), [])
    assert.deepEqual(
      events.next(diagnosis(9), 60_000).map((e) => [e.status, e.count, e.added]),
      [['repeat', 9, 8]],
    )
    assert.deepEqual(events.next(diagnosis(9), 200_000), [], 'nothing new: nothing said')
  })
})
