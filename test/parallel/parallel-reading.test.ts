import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readdirSync, writeFileSync} from 'node:fs'
import {gzipSync} from 'node:zlib'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {Diagnoser} from '../../src/diagnosis/diagnose.js'
import type {InputStats} from '../../src/ingest/input-stats.js'
import {readLogs, type ReadLogsOptions} from '../../src/ingest/read-logs.js'
import type {InputProblem} from '../../src/input/problem.js'
import {parallelReading} from '../../src/parallel/parallel-reading.js'
import {root, spawnCli} from '../helpers/run.js'

/**
 * Reads files the way `dovediag logs` does, in one thread or on two (any size: the tests set
 * DOVEDIAG_SPLIT_MIN_BYTES and DOVEDIAG_READ_AHEAD_MIN_BYTES to 1). `merged` lists what became of each
 * part read by a worker: true when its result was merged, false when the main thread read it itself (the
 * report must be the same either way).
 */
async function diagnoseFiles(paths: string[], twoCores: boolean, signal?: AbortSignal) {
  const diagnoser = new Diagnoser({})
  const merged: boolean[] = []
  /** Other readers at work at once: never more than one (two cores). */
  let working = 0
  let mostWorking = 0
  const started = () => (mostWorking = Math.max(mostWorking, ++working))
  let options: Pick<ReadLogsOptions, 'split' | 'readAhead'> = {}
  if (twoCores) {
    const {split, readAhead} = parallelReading({diagnoser, rulesFiles: [], diagnose: {}, signal})
    options = {
      split(input, opened) {
        const plan = split!(input, opened)
        if (plan === null) return null
        started()
        return {
          ...plan,
          async rest() {
            const rest = await plan.rest()
            working--
            const at = merged.push(false) - 1
            return rest && {...rest, absorb: (lineOffset: number) => (merged[at] = rest.absorb(lineOffset))}
          },
        }
      },
      readAhead(input) {
        const ahead = readAhead!(input)
        if (ahead === null) return null
        started()
        const at = merged.push(false) - 1
        return ahead.then((read) => (working--, read) && {...read, absorb: () => (merged[at] = read.absorb())})
      },
    }
  }

  const stats: InputStats[] = []
  const problems: InputProblem[] = []
  for await (const event of readLogs(
    paths.map((path) => ({kind: 'file', name: path, path})),
    {...options, timeZone: 'UTC', signal},
  )) {
    if (event.type === 'records') for (const record of event.records) diagnoser.add(record)
    else if (event.type === 'problem') problems.push(event.problem)
    else if (event.type === 'input-done') stats.push(event.stats)
  }
  assert.ok(mostWorking <= 1, `${mostWorking} other readers at once`)
  return {report: {diagnosis: diagnoser.finish(), stats, problems}, merged}
}

const diagnoseFile = async (path: string, twoCores: boolean) => {
  const {report, merged} = await diagnoseFiles([path], twoCores)
  return {report, merged: merged.length === 0 ? null : merged[0]}
}

async function assertSameSplitOrNot(path: string): Promise<boolean | null> {
  const whole = await diagnoseFile(path, false)
  const halves = await diagnoseFile(path, true)
  assert.deepEqual(halves.report, whole.report, path)
  return halves.merged
}

const line = (time: string, user: string, text: string) => `Nov 23 ${time} imap(${user})<4242><AbCd${user.length}>: ${text}\n`
const ordinary = (i: number) =>
  line(
    `10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
    `user${i % 37}`,
    'Info: Disconnected: Logged out in=12 out=345',
  )
const quota = (i: number, user = `user${i % 7}`) =>
  line(
    `11:00:${String(i % 60).padStart(2, '0')}`,
    user,
    `Error: Mailbox INBOX: save failed to INBOX: Quota exceeded (mailbox for user is full)`,
  )

/** `before` and `after` joined so that the file's middle falls in the last line of `before`: the split is right after it. */
function splitAfter(first: string, second: string): string {
  const pad = (n: number) => line('09:00:00', 'pad', `Info: ${'x'.repeat(Math.max(n, 0))}`)
  const difference = Buffer.byteLength(first) - Buffer.byteLength(second)
  const padding = pad(Math.abs(difference) - pad(0).length)
  return difference > 0 ? first + second + padding : padding + first + second
}

describe('reading on two cores', () => {
  let dir: string
  before(() => {
    process.env.DOVEDIAG_SPLIT_MIN_BYTES = '1'
    process.env.DOVEDIAG_READ_AHEAD_MIN_BYTES = '1'
    process.env.DOVEDIAG_PARALLEL = '1'
    dir = mkdtempSync(join(tmpdir(), 'dovediag-split-'))
  })
  after(() => {
    delete process.env.DOVEDIAG_SPLIT_MIN_BYTES
    delete process.env.DOVEDIAG_READ_AHEAD_MIN_BYTES
    delete process.env.DOVEDIAG_PARALLEL
  })

  it('gives exactly the one-thread report for every bundled log', async () => {
    const logs = [
      'sample.log',
      ...readdirSync(join(root, 'fixtures/logs'))
        .filter((name) => !name.includes('rotated'))
        .map((name) => `logs/${name}`),
    ]
    const merged: Record<string, boolean | null> = {}
    for (const name of logs) merged[name] = await assertSameSplitOrNot(join(root, 'fixtures', name))
    // The plain Dovecot logs are merged, not read twice.
    assert.equal(merged['sample.log'], true)
    assert.equal(merged['logs/dovecot-2.3-real.log'], true)
  })

  it('merges the second half: counts, first and last seen, evidence line numbers, unrecognized lines', async () => {
    let text = ''
    for (let i = 0; i < 400; i++) text += i % 50 === 7 ? quota(i) : ordinary(i)
    text += line('12:00:00', 'bob', 'Error: something nobody has a rule for 17')
    for (let i = 400; i < 800; i++) text += i % 50 === 7 ? quota(i) : ordinary(i)
    const path = join(dir, 'big.log')
    writeFileSync(path, text)
    assert.equal(await assertSameSplitOrNot(path), true)
    const {report} = await diagnoseFile(path, true)
    const finding = report.diagnosis.findings.find((f) => f.rule === 'quota-exceeded')!
    assert.equal(finding.count, 16)
    assert.equal(finding.evidence.at(-1)!.line, 759) // in the second half: numbered on from the first
    assert.equal(report.stats[0].lines, 801)
  })

  it('reads on in one thread when the second half starts with the backtrace of a crash in the first', async () => {
    let first = ''
    for (let i = 0; i < 100; i++) first += ordinary(i)
    first += line('10:59:59', 'jdoe', 'Panic: file mail-index.c: line 123 (mail_index_free): assertion failed: (index->open_count == 0)')
    let second = line(
      '10:59:59',
      'jdoe',
      'Error: Raw backtrace: /usr/lib/dovecot/libdovecot.so.0(+0xdb6bb) [0x7f6ec0a5d6bb] -> /usr/lib/dovecot/libdovecot.so.0(+0xdb75e) [0x7f6ec0a5d75e]',
    )
    for (let i = 100; i < 200; i++) second += ordinary(i)
    const path = join(dir, 'backtrace.log')
    writeFileSync(path, splitAfter(first, second))
    assert.equal(await assertSameSplitOrNot(path), false)
    const {report} = await diagnoseFile(path, true)
    assert.equal(report.stats[0].continuations, 1)
  })

  it("reads on in one thread when a backtrace comes after blank, other programs' or unparsed lines at the start of the second half", async () => {
    const crash = line('10:59:59', 'jdoe', 'Fatal: pool_system_realloc(8192): Out of memory')
    const backtrace = line('10:59:59', 'jdoe', 'Error: Raw backtrace: /usr/lib/dovecot/libdovecot.so.0(+0xdb6bb) [0x7f6ec0a5d6bb]')
    let first = ''
    for (let i = 0; i < 100; i++) first += ordinary(i)
    first += crash
    let tail = ''
    for (let i = 100; i < 200; i++) tail += ordinary(i)
    for (const [name, between] of [
      ['blank', '\n' + backtrace],
      ['other program', 'Nov 23 10:59:59 mail1 postfix/smtpd[99]: connect from unknown[192.0.2.1]\n' + backtrace],
      ['unparsed', 'garbage line not a frame\n #1 0x0000 in foo()\n'],
    ]) {
      const path = join(dir, `continuation-${name.replace(' ', '-')}.log`)
      writeFileSync(path, splitAfter(first, between + tail))
      assert.equal(await assertSameSplitOrNot(path), false, name)
    }
  })

  it('reports an over-long line of the second half at its line number', async () => {
    let first = ''
    for (let i = 0; i < 20000; i++) first += ordinary(i)
    const path = join(dir, 'long-line.log')
    writeFileSync(path, first + line('12:00:00', 'bob', `Error: ${'x'.repeat(1.1 * 1024 * 1024)}`) + ordinary(1))
    assert.equal(await assertSameSplitOrNot(path), true)
    const {report} = await diagnoseFile(path, true)
    assert.deepEqual(
      report.problems.map((p) => [p.kind, p.line]),
      [['long-line', 20001]],
    )
  })

  it('reads on in one thread when the first half taught the parser something the second half cannot know', async () => {
    // journalctl's header makes every line journal-short; the worker starting in the middle never saw it.
    let text = '-- Logs begin at Mon 2026-11-23 00:00:01 UTC, end at Mon 2026-11-23 12:00:00 UTC. --\n'
    for (let i = 0; i < 300; i++)
      text += `Nov 23 10:00:${String(i % 60).padStart(2, '0')} mail1 dovecot[1]: imap(user${i % 9})<1><S>: Disconnected: Logged out in=1 out=2\n`
    const path = join(dir, 'journal.txt')
    writeFileSync(path, text)
    assert.equal(await assertSameSplitOrNot(path), false)
  })

  it('reads on in one thread when merging would pass a bound (more distinct users than are counted exactly)', async () => {
    let text = ''
    for (let i = 0; i < 1800; i++) text += quota(i, `u${i}`)
    const path = join(dir, 'many-users.log')
    writeFileSync(path, text)
    assert.equal(await assertSameSplitOrNot(path), false)
  })

  it('reads the next input of a set while this one is read, with the one-thread report, problems in order', async () => {
    const quotaLog = join(dir, 'quota.log')
    let text = ''
    for (let i = 0; i < 300; i++) text += i % 30 === 3 ? quota(i) : ordinary(i)
    writeFileSync(quotaLog, text)
    const binary = join(dir, 'binary.log')
    writeFileSync(binary, Buffer.from([0x4c, 0x50, 0, 0, 1, 2, 3]))
    const empty = join(dir, 'empty.log')
    writeFileSync(empty, '')
    const notGzip = join(dir, 'plain.log.gz')
    writeFileSync(notGzip, Buffer.concat([Buffer.from(ordinary(1) + quota(2)), Buffer.from([0xff, 0x0a])])) // and not UTF-8
    const rotated = ['dovecot.log.2.gz', 'dovecot.log.1', 'dovecot.log'].map((name) => join(root, 'fixtures/logs/rotated', name))
    const paths = [
      join(root, 'fixtures/sample.log'),
      quotaLog,
      binary,
      join(root, 'fixtures/logs/dovecot-2.3-real.log'),
      empty,
      notGzip,
      ...rotated,
      join(root, 'fixtures/logs/mail.log'),
    ]
    const whole = await diagnoseFiles(paths, false)
    const halves = await diagnoseFiles(paths, true) // every file split in two: none read ahead
    assert.deepEqual(halves.report, whole.report)
    process.env.DOVEDIAG_SPLIT_MIN_BYTES = String(1e9)
    try {
      const ahead = await diagnoseFiles(paths, true) // none split: every other one read ahead
      assert.deepEqual(ahead.report, whole.report)
      assert.ok(ahead.merged.filter(Boolean).length >= 4, `merged: ${ahead.merged.join(',')}`)
    } finally {
      process.env.DOVEDIAG_SPLIT_MIN_BYTES = '1'
    }
    assert.deepEqual(
      whole.report.problems.map((p) => p.kind),
      ['binary', 'empty', 'invalid-utf8', 'not-gzip'],
    )
  })

  it('reads a truncated gzip ahead as the main thread does with Ctrl-C handling: its partial last line is not a line', async () => {
    let text = ''
    for (let i = 0; i < 3000; i++) text += i % 30 === 3 ? quota(i) : ordinary(i)
    const gzip = gzipSync(text)
    const truncated = join(dir, 'truncated.log.gz')
    writeFileSync(truncated, gzip.subarray(0, gzip.length - 200))
    const paths = [join(root, 'fixtures/logs/mail.log'), truncated]
    const whole = await diagnoseFiles(paths, false, new AbortController().signal)
    process.env.DOVEDIAG_SPLIT_MIN_BYTES = String(1e9) // mail.log is not split: the gzip is read ahead
    try {
      const ahead = await diagnoseFiles(paths, true, new AbortController().signal)
      assert.deepEqual(ahead.report, whole.report)
      assert.deepEqual(ahead.merged, [true])
    } finally {
      process.env.DOVEDIAG_SPLIT_MIN_BYTES = '1'
    }
    assert.equal(whole.report.problems[0].kind, 'truncated-gzip')
  })

  it('never reads ahead a FIFO (it would wait for its writer) or a file it cannot open', {timeout: 10_000}, () => {
    const fifo = join(dir, 'pipe.log')
    execFileSync('mkfifo', [fifo])
    const {readAhead} = parallelReading({diagnoser: new Diagnoser({}), rulesFiles: [], diagnose: {}})
    assert.equal(readAhead!({kind: 'file', name: fifo, path: fifo}), null)
    assert.equal(readAhead!({kind: 'file', name: 'missing.log', path: join(dir, 'missing.log')}), null)
  })

  it('reads an input in one thread when the worker findings cannot be merged exactly', async () => {
    let first = ''
    let second = ''
    for (let i = 0; i < 700; i++) first += quota(i, `a${i}`)
    for (let i = 0; i < 700; i++) second += quota(i, `b${i}`)
    writeFileSync(join(dir, 'a.log'), first)
    writeFileSync(join(dir, 'b.log'), second)
    const paths = [join(dir, 'a.log'), join(dir, 'b.log')]
    process.env.DOVEDIAG_SPLIT_MIN_BYTES = String(1e9) // whole files only, here
    try {
      const halves = await diagnoseFiles(paths, true)
      assert.deepEqual(halves.merged, [false])
      assert.deepEqual(halves.report, (await diagnoseFiles(paths, false)).report)
    } finally {
      process.env.DOVEDIAG_SPLIT_MIN_BYTES = '1'
    }
  })

  it('runs the built worker from the command line with the same JSON as one thread, with user rules and filters', async () => {
    for (const args of [
      ['logs', '--json', 'fixtures/sample.log'],
      ['logs', '--json', '--rules', 'fixtures/rules/site-rules.yaml', 'fixtures/rules/site.log'],
      ['logs', '--json', '--service', 'imap', '--since', '2026-01-01', 'fixtures/logs/dovecot-2.3-real.log'],
      ['logs', '--json', 'fixtures/logs/rotated', 'fixtures/sample.log', 'fixtures/logs/mail.log'],
    ]) {
      const one = await spawnCli(args, {env: {DOVEDIAG_PARALLEL: '0'}})
      const two = await spawnCli(args, {env: {DOVEDIAG_PARALLEL: '1', DOVEDIAG_SPLIT_MIN_BYTES: '1', DOVEDIAG_READ_AHEAD_MIN_BYTES: '1'}})
      assert.equal(two.status, one.status, args.join(' '))
      assert.equal(two.stdout, one.stdout, args.join(' '))
      assert.ok(JSON.parse(two.stdout).findings.length > 0, args.join(' '))
    }
  })
})
