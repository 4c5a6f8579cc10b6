import assert from 'node:assert/strict'
import {chmodSync, mkdtempSync, readFileSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {Readable} from 'node:stream'
import {describe, it} from 'node:test'
import {gzipSync} from 'node:zlib'

import type {InputProblem} from '../../src/input/problem.js'
import type {InputStats} from '../../src/ingest/input-stats.js'
import {resolveLogInputs, type LogInput} from '../../src/ingest/inputs.js'
import {fileInput} from '../../src/input/resolve.js'
import {readLogs, type ReadLogsOptions} from '../../src/ingest/read-logs.js'
import type {LogRecord} from '../../src/ingest/record.js'
import {root} from '../helpers/run.js'

const fixture = (name: string) => resolve(root, 'fixtures/logs', name)

async function readAll(inputs: LogInput[], options: ReadLogsOptions = {}) {
  const records: LogRecord[] = []
  const problems: InputProblem[] = []
  const stats: InputStats[] = []
  for await (const event of readLogs(inputs, options)) {
    if (event.type === 'records') records.push(...event.records)
    else if (event.type === 'problem') problems.push(event.problem)
    else if (event.type === 'input-done') stats.push(event.stats)
  }

  return {records, problems, stats}
}

const readFixture = (name: string) => readAll([fileInput(fixture(name))])
const scratch = () => mkdtempSync(join(tmpdir(), 'dovediag-ingest-'))

describe('readLogs: every format from its fixture', () => {
  it('counts every line exactly once, for every fixture', async () => {
    for (const name of [
      'audit.log',
      'compose.log',
      'doveadm-log-errors.txt',
      'dovecot-2.2.log',
      'dovecot-2.3-real.log',
      'dovecot-2.4.log',
      'journal-short.txt',
      'journal.json',
      'mail.log',
      'mixed.log',
      'syslog-rfc3339.log',
    ]) {
      const {stats} = await readFixture(name)
      const s = stats[0]
      const physical = readFileSync(fixture(name), 'utf8').replace(/\n$/, '').split('\n').length
      assert.equal(s.lines, physical, name)
      assert.equal(s.parsed + s.skipped + s.unparsed, s.lines, name)
    }
  })

  it('real Dovecot 2.3.19 output: levels, services and users as Dovecot wrote them', async () => {
    const {records, stats} = await readFixture('dovecot-2.3-real.log')
    assert.equal(stats[0].format, 'dovecot-file')
    assert.deepEqual(stats[0].levels, {info: 6, error: 3, warning: 1})
    const mkdir = records.find((r) => r.message.startsWith('mkdir('))!
    assert.deepEqual(
      [mkdir.service, mkdir.user, mkdir.pid, mkdir.session, mkdir.level],
      ['imap', 'jdoe', 17022, 'OjXmCO9gIOV/AAAB', 'error'],
    )
    const mismatch = records.find((r) => r.message.endsWith('Password mismatch'))!
    assert.deepEqual([mismatch.service, mismatch.user, mismatch.ip, mismatch.session], ['auth', 'jdoe', '127.0.0.1', 'GnsMCe9gLuV/AAAB'])
  })

  it('2.2 and 2.4 prefixes and login wordings', async () => {
    const old = (await readFixture('dovecot-2.2.log')).records
    assert.deepEqual(
      old.map((r) => r.service),
      ['master', 'imap-login', 'imap', 'auth-worker', 'imap', 'imap-login', 'imap', 'dsync-local', 'doveadm'],
    )
    assert.deepEqual(
      old.map((r) => r.pid),
      [null, null, null, 812, null, null, null, null, null],
    )
    assert.equal(old[8].ip, '198.51.100.1')
    const current = (await readFixture('dovecot-2.4.log')).records
    assert.equal(current[1].message.startsWith('Logged in: '), true)
    assert.deepEqual([current[6].service, current[6].user, current[6].pid, current[6].session], ['lmtp', 'jdoe', 2345, 'XyZw'])
    assert.equal(new Date(current[0].time!).toISOString(), '2026-11-22T09:00:01.101Z')
  })

  it('a shared mail.log: Dovecot kept, postfix and cron skipped, chronyd and the OOM killer kept', async () => {
    const {records, stats} = await readFixture('mail.log')
    assert.deepEqual(
      records.map((r) => r.program),
      ['dovecot', 'dovecot', 'chronyd', 'dovecot', 'dovecot', 'kernel', 'dovecot'],
    )
    assert.deepEqual(
      records.map((r) => r.line),
      [2, 4, 5, 6, 8, 9, 11],
    )
    assert.equal(stats[0].skipped, 5)
    assert.equal(records[4].pid, 2345, 'the 2.3 prefix pid, not the syslog [990]')
    assert.deepEqual(stats[0].services, {master: 2, 'imap-login': 1, chronyd: 1, imap: 1, kernel: 1, lmtp: 1})
  })

  it('journal JSON: bytes MESSAGE, PRIORITY, hostname; systemd lines skipped', async () => {
    const {records, stats} = await readFixture('journal.json')
    assert.equal(stats[0].format, 'journal-json')
    assert.deepEqual(
      records.map((r) => [r.level, r.levelSource]),
      [
        ['info', 'priority'],
        ['info', 'priority'],
        ['error', 'word'],
        ['fatal', 'word'],
      ],
    )
    assert.match(records[2].message, /^Mailbox Entw\uFFFDrfe: Deleting corrupted cache/)
    assert.equal(records[0].host, 'mx1')
  })

  it('journalctl text, RFC 3339 syslog, doveadm log errors, containers and audit', async () => {
    assert.equal((await readFixture('journal-short.txt')).stats[0].format, 'journal-short')
    const rfc = (await readFixture('syslog-rfc3339.log')).records
    assert.equal(new Date(rfc[2].time!).toISOString(), '2026-11-22T08:00:04.500Z')
    const doveadm = (await readFixture('doveadm-log-errors.txt')).records
    assert.deepEqual(
      doveadm.map((r) => [r.format, r.service, r.level]),
      [
        ['doveadm-log-errors', 'imap', 'error'],
        ['doveadm-log-errors', 'imap', 'error'],
        ['doveadm-log-errors', 'master', 'warning'],
      ],
    )
    const compose = await readFixture('compose.log')
    assert.deepEqual(
      compose.records.map((r) => [r.format, r.service, r.level]),
      [
        ['container', 'imap-login', 'error'],
        ['container', 'master', 'warning'],
        ['container', 'master', 'fatal'],
        ['container', 'imap', 'info'],
      ],
    )
    assert.equal(compose.stats[0].skipped, 1, 'the postfix container line')
    const audit = await readFixture('audit.log')
    assert.deepEqual(
      audit.records.map((r) => [r.program, r.service, r.pid]),
      [['audit', 'imap', 1234]],
    )
  })

  it('a mixed file: shapes detected per line, the backtrace joined to its Panic, the stray line counted', async () => {
    const {records, stats} = await readFixture('mixed.log')
    assert.deepEqual(stats[0].formats, {'dovecot-file': 3, 'syslog-bsd': 1, 'syslog-rfc3339': 1})
    const panic = records.find((r) => r.level === 'panic')!
    assert.equal(panic.line, 5)
    assert.equal(panic.continuation.length, 1)
    assert.match(panic.continuation[0], /^Raw backtrace: /)
    assert.equal(records.at(-1)!.line, 7)
    assert.deepEqual([stats[0].continuations, stats[0].unparsed], [1, 1])
    assert.deepEqual(stats[0].unparsedSamples, [{line: 4, text: 'this line is not a log line at all'}])
  })
})

describe('readLogs: the input mechanics', () => {
  it('stdin, with its year from the current date', async () => {
    const stdin = Readable.from([Buffer.from('Nov 22 09:00:01 master: Info: a\nNov 22 09:00:02 imap(u)<1><S>: Error: b\n')])
    const {records, stats} = await readAll([{kind: 'stdin', name: '-'}], {stdin})
    assert.deepEqual(
      records.map((r) => [r.source, r.line, r.level]),
      [
        ['-', 1, 'info'],
        ['-', 2, 'error'],
      ],
    )
    assert.equal(stats[0].kind, 'stdin')
  })

  it('gzip is inflated while streaming, recognized by content whatever the name', async () => {
    const dir = scratch()
    const text = Array.from({length: 5000}, (_, i) => `Nov 22 09:00:01 imap(u${i})<${i}><S>: Info: line ${i + 1}`).join('\n') + '\n'
    writeFileSync(join(dir, 'dovecot.log.2.gz'), gzipSync(text))
    writeFileSync(join(dir, 'misnamed.log'), gzipSync(text))
    const {records, stats} = await readAll([fileInput(join(dir, 'dovecot.log.2.gz')), fileInput(join(dir, 'misnamed.log'))])
    assert.equal(records.length, 10_000)
    assert.deepEqual(
      stats.map((s) => [s.compressed, s.lines]),
      [
        [true, 5000],
        [true, 5000],
      ],
    )
    assert.equal(records[4999].message, 'line 5000')
    assert.equal(records[4999].line, 5000)
  })

  it('a truncated gzip: the lines before the cut are read, the problem is named', async () => {
    const dir = scratch()
    const text = Array.from({length: 20_000}, (_, i) => `Nov 22 09:00:01 master: Info: line ${i + 1} ${'x'.repeat(40)}`).join('\n')
    const gz = gzipSync(text)
    writeFileSync(join(dir, 'cut.log.gz'), gz.subarray(0, Math.floor(gz.length / 2)))
    const {records, problems, stats} = await readAll([fileInput(join(dir, 'cut.log.gz'))])
    assert.equal(problems.length, 1)
    assert.equal(problems[0].kind, 'truncated-gzip')
    assert.ok(records.length > 1000, 'lines before the cut are kept')
    assert.equal(stats[0].complete, false)
    assert.equal(stats[0].lines, records.length + stats[0].unparsed)
  })

  it('CRLF, no final newline, and a line over the limit: cut, reported with its number, numbering intact', async () => {
    const dir = scratch()
    const long = 'Nov 22 09:00:02 imap(u)<1><S>: Error: ' + 'y'.repeat(300_000)
    writeFileSync(join(dir, 'x.log'), `Nov 22 09:00:01 master: Info: a\r\n${long}\r\nNov 22 09:00:03 master: Info: c`)
    const {records, problems, stats} = await readAll([fileInput(join(dir, 'x.log'))], {maxLineBytes: 100_000})
    assert.deepEqual(
      records.map((r) => r.line),
      [1, 2, 3],
    )
    assert.equal(records[0].message, 'a')
    assert.equal(records[1].message.length, 100_000 - 'Nov 22 09:00:02 imap(u)<1><S>: Error: '.length)
    assert.equal(records[2].message, 'c')
    assert.deepEqual(
      problems.map((p) => [p.kind, p.line]),
      [['long-line', 2]],
    )
    assert.equal(stats[0].lines, 3)
  })

  it('a line of several megabytes spanning many chunks keeps memory bounded and numbering exact', async () => {
    const dir = scratch()
    writeFileSync(
      join(dir, 'big.log'),
      `Nov 22 09:00:01 master: Info: a\nNov 22 09:00:02 master: Error: ${'z'.repeat(5 * 1024 * 1024)}\nNov 22 09:00:03 master: Info: c\n`,
    )
    const {records, problems} = await readAll([fileInput(join(dir, 'big.log'))])
    assert.deepEqual(
      records.map((r) => [r.line, r.level]),
      [
        [1, 'info'],
        [2, 'error'],
        [3, 'info'],
      ],
    )
    assert.equal(records[1].text!.length, 1024 * 1024)
    assert.match(problems[0].message, /line is 5\.0 MB long/)
  })

  it('year-less stamps: the year comes from the file mtime, December before a January mtime is the year before', async () => {
    const dir = scratch()
    const path = join(dir, 'dovecot.log')
    writeFileSync(path, 'Dec 31 23:59:58 master: Info: old year\nJan  1 00:00:02 master: Info: new year\n')
    const mtime = new Date('2027-01-01T00:00:05Z')
    utimesSync(path, mtime, mtime)
    const {records} = await readAll([fileInput(path)])
    assert.deepEqual(
      records.map((r) => new Date(r.time!).toISOString()),
      ['2026-12-31T23:59:58.000Z', '2027-01-01T00:00:02.000Z'],
    )
  })

  it('binary input: one problem naming it, the next input still read', async () => {
    const dir = scratch()
    writeFileSync(join(dir, 'system.journal'), Buffer.concat([Buffer.from('LPKSHHRH'), Buffer.alloc(64)]))
    const {problems, records} = await readAll([fileInput(join(dir, 'system.journal')), fileInput(fixture('dovecot-2.2.log'))])
    assert.equal(problems[0].kind, 'binary')
    assert.match(problems[0].message, /journalctl --file .* -o json \| dovediag logs -/)
    assert.equal(records.length, 9)
  })

  it('an unreadable file is a problem, not a crash', async () => {
    // chmod 000 stops a normal user; root (how CI runs) reads anything, but the kernel refuses to open a
    // write-only sysfs attribute for reading even to root.
    let path = '/sys/bus/pci/rescan'
    if (process.getuid?.() !== 0) {
      path = join(scratch(), 'secret.log')
      writeFileSync(path, 'Nov 22 09:00:01 master: Info: a\n')
      chmodSync(path, 0o000)
    }
    const {problems} = await readAll([fileInput(path)])
    assert.deepEqual(
      problems.map((p) => [p.kind, p.message]),
      [['unreadable', 'cannot read: permission denied']],
    )
  })
})

describe('resolveLogInputs', () => {
  it('a rotated set is read oldest first, however it was named', async () => {
    const dir = fixture('rotated')
    const expected = ['dovecot.log.2.gz', 'dovecot.log.1', 'dovecot.log'].map((name) => join(dir, name))
    const names = (inputs: LogInput[]) => inputs.map((i) => (i.kind === 'file' ? i.path : i.name))
    assert.deepEqual(names((await resolveLogInputs([dir])).inputs), expected, 'a directory')
    assert.deepEqual(names((await resolveLogInputs([join(dir, 'dovecot.log*')])).inputs), expected, 'a glob')
    assert.deepEqual(
      names((await resolveLogInputs([join(dir, 'dovecot.log'), join(dir, 'dovecot.log.1'), join(dir, 'dovecot.log.2.gz')])).inputs),
      expected,
      'as the shell expands it',
    )
    const {records} = await readAll((await resolveLogInputs([dir])).inputs)
    assert.deepEqual(
      records.map((r) => r.message),
      ['oldest', 'older', 'older again', 'newest'],
    )
    // The year comes from each file's mtime (a clone's checkout time), so only month and day are fixed.
    assert.deepEqual(
      records.map((r) => new Date(r.time!).toISOString().slice(5, 10)),
      ['11-20', '11-21', '11-21', '11-22'],
    )
  })

  it('a missing path, a glob matching nothing, and a directory without logs are each reported', async () => {
    const empty = scratch()
    writeFileSync(join(empty, 'notes.txt'), 'x')
    const {inputs, problems} = await resolveLogInputs(['/nonexistent/dovecot.log', join(empty, '*.log'), empty, fixture('mail.log'), '-'])
    assert.deepEqual(
      problems.map((p) => [p.kind, p.input, p.message]),
      [
        ['not-found', '/nonexistent/dovecot.log', 'not found'],
        ['no-match', join(empty, '*.log'), 'matches no file'],
        ['empty-directory', empty, 'directory has no log files (*.log, mail.log, maillog, dovecot*)'],
      ],
    )
    assert.deepEqual(
      inputs.map((i) => i.kind),
      ['file', 'stdin'],
    )
  })
})

// The journal is read from journalctl's output (discovery's input); node:child_process is imported only then.
describe("readLogs: a command's output", () => {
  it('reads the lines a program prints, and says when it fails', async () => {
    const line = 'Nov 23 10:00:00 mail1 dovecot: imap-login: Login: user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10'
    const printing: LogInput = {
      kind: 'command',
      name: 'journal',
      command: process.execPath,
      args: ['-e', `console.log(${JSON.stringify(line)})`],
    }
    const {records, problems} = await readAll([printing])
    assert.deepEqual(problems, [])
    assert.equal(records.length, 1)
    assert.equal(records[0].service, 'imap-login')
    const failing: LogInput = {kind: 'command', name: 'journal', command: process.execPath, args: ['-e', 'process.exit(3)']}
    assert.ok(
      (await readAll([failing])).problems.some((problem) => problem.kind === 'command-failed' && /exit status 3/.test(problem.message)),
    )
  })
})
