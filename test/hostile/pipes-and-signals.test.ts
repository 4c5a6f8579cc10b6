import assert from 'node:assert/strict'
import {execFileSync, spawn} from 'node:child_process'
import {once} from 'node:events'
import {mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync} from 'node:fs'
import {open} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, it} from 'node:test'

import {ExitStatus} from '../../src/exit-status.js'
import {root} from '../helpers/run.js'

/**
 * Real processes on bin/run.js (built by `npm test`): a reader that goes away (`| head -1`) and Ctrl-C
 * during a long read. Sizes are chosen so the reads outlast the pipe buffers, not for timing.
 */
const dir = mkdtempSync(join(tmpdir(), 'dovediag-pipes-'))
const sample = readFileSync(resolve(root, 'fixtures/sample.log'), 'utf8')
const bigLog = join(dir, 'big.log')
writeFileSync(bigLog, sample.repeat(Math.ceil((8 * 1024 * 1024) / sample.length)))
const CSV_HEADER = 'user,exit_code,attempt,started,finished,host,stderr\n'
const csvRows = (from: number, count: number) =>
  Array.from(
    {length: count},
    (_, i) => `user${from + i}@example.com,${(from + i) % 5 === 0 ? 75 : 0},1,2026-11-23T01:00:00Z,2026-11-23T01:00:22Z,mig-03,\n`,
  ).join('')
const bigCsv = join(dir, 'big.csv')
writeFileSync(bigCsv, CSV_HEADER + csvRows(1, 30_000))

function start(args: string[]) {
  const child = spawn(process.execPath, [resolve(root, 'bin/run.js'), ...args], {
    env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1'},
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  const done = once(child, 'close').then(([status, signal]) => ({
    status: status as number | null,
    signal: signal as string | null,
    stdout,
    stderr,
  }))
  return {child, done}
}

describe('output into a closed pipe (dovediag ... | head -1)', () => {
  for (const args of [
    ['logs', bigLog],
    ['logs', bigLog, '--records'],
    ['migration', 'check', bigCsv],
    ['migration', 'check', bigCsv, '--format', 'junit'],
  ]) {
    it(`${args.join(' ').replace(dir + '/', '')} ends quietly`, async () => {
      const {child, done} = start(args)
      // Read one chunk, then close the read end, as head does after its first line.
      await once(child.stdout, 'data')
      child.stdout.destroy()
      const result = await done
      assert.equal(result.signal, null, 'not killed by SIGPIPE')
      assert.doesNotMatch(result.stderr, /EPIPE|Error:|\n\s+at /, result.stderr)
      for (const line of result.stderr.split('\n').filter(Boolean)) assert.match(line, /^dovediag: /)
      assert.notEqual(result.status, ExitStatus.INTERNAL)
    })
  }
})

describe('Ctrl-C during a long read', () => {
  /** Feeds stdin until the CLI has surely consumed part of it (the pipe holds 64 KiB), then sends SIGINT. */
  async function interruptAfterReading(args: string[], firstPart: string) {
    const {child, done} = start(args)
    await new Promise<void>((resolveWrite) => child.stdin.write(firstPart, () => resolveWrite()))
    child.kill('SIGINT')
    return done // stdin stays open: the CLI must stop by itself
  }

  it('logs: status 130, says so, reports the findings read so far', async () => {
    const result = await interruptAfterReading(['logs', '-'], sample.repeat(Math.ceil((2 * 1024 * 1024) / sample.length)))
    assert.equal(result.status, ExitStatus.INTERRUPTED, result.stderr)
    assert.match(result.stderr, /^dovediag: interrupted: reporting what was read so far/m)
    assert.match(result.stdout, /problems found/)
    assert.match(result.stdout, /Dovecot crashed/)
    const records = Number(/Records: ([\d,]+)/.exec(result.stdout)?.[1].replaceAll(',', ''))
    assert.ok(records > 0, result.stdout)
  })

  it('migration check: status 130, says so, the summary of the rows read so far, no half row', async () => {
    const sent = 60_000
    const result = await interruptAfterReading(['migration', 'check', '-', '--json'], CSV_HEADER + csvRows(1, sent))
    assert.equal(result.status, ExitStatus.INTERRUPTED, result.stderr)
    assert.match(result.stderr, /^dovediag: interrupted: reporting what was read so far/m)
    const report = JSON.parse(result.stdout) as {
      status: number
      totals: {rows: number}
      problems: unknown[]
      users: {user: string; code: number}[]
    }
    assert.equal(report.status, ExitStatus.INTERRUPTED)
    assert.ok(report.totals.rows > 0 && report.totals.rows <= sent, String(report.totals.rows))
    assert.deepEqual(report.problems, [], 'the row being read when Ctrl-C came is dropped, not half-parsed')
    assert.equal(report.users.length, report.totals.rows, 'a user per row read')
    for (const user of report.users) assert.equal(user.code, Number(user.user.match(/\d+/)![0]) % 5 === 0 ? 75 : 0)
  })

  it('migration check: the retry list is not written from part of the results', async () => {
    const retryFile = join(dir, 'retry.txt')
    writeFileSync(retryFile, 'previous\n')
    const result = await interruptAfterReading(['migration', 'check', '-', '--retry-file', retryFile], CSV_HEADER + csvRows(1, 60_000))
    assert.equal(result.status, ExitStatus.INTERRUPTED, result.stderr)
    assert.match(result.stdout, /^Migration check/)
    assert.match(result.stderr, /--retry-file and --remove-file not written/)
    assert.equal(readFileSync(retryFile, 'utf8'), 'previous\n')
  })
})

describe('Ctrl-C while reading a FIFO given as a path whose writer stays open (`mkfifo`, `<(tail -f log)`)', () => {
  /**
   * Writes `text` into a new FIFO the CLI reads, keeps the writing end open (as `tail -f` does), sends SIGINT
   * once the write returned (the CLI has then read all but what the pipe holds), and waits for the CLI to end.
   * Before the fix the report came, but the process lived on until the writer closed: here, never.
   */
  async function interruptFifo(args: (fifo: string) => string[], text: string) {
    const fifo = join(mkdtempSync(join(dir, 'fifo-')), 'log')
    execFileSync('mkfifo', [fifo])
    const {child, done} = start(args(fifo))
    const writer = await open(fifo, 'w') // returns once the CLI opened it for reading
    let timer: NodeJS.Timeout | undefined
    try {
      await writer.write(text)
      child.kill('SIGINT')
      const stuck = new Promise<'still running'>((resolveLate) => (timer = setTimeout(resolveLate, 15_000, 'still running')))
      const result = await Promise.race([done, stuck])
      assert.notEqual(result, 'still running', 'the CLI waits for the writer to close')
      return result as Awaited<typeof done>
    } finally {
      clearTimeout(timer)
      await writer.close()
      child.kill('SIGKILL')
    }
  }

  it('logs: ends at once with status 130 and the report of what was read', async () => {
    const result = await interruptFifo((fifo) => ['logs', fifo], sample.repeat(Math.ceil((1024 * 1024) / sample.length)))
    assert.equal(result.status, ExitStatus.INTERRUPTED, result.stderr)
    assert.match(result.stderr, /^dovediag: interrupted: reporting what was read so far/m)
    assert.match(result.stdout, /Dovecot crashed/)
    const records = Number(/Records: ([\d,]+)/.exec(result.stdout)?.[1].replaceAll(',', ''))
    assert.ok(records > 0, result.stdout)
  })

  it('migration check --json: ends at once with status 130 and the rows read', async () => {
    const result = await interruptFifo((fifo) => ['migration', 'check', fifo, '--json'], CSV_HEADER + csvRows(1, 30_000))
    assert.equal(result.status, ExitStatus.INTERRUPTED, result.stderr)
    const report = JSON.parse(result.stdout) as {status: number; totals: {rows: number}}
    assert.equal(report.status, ExitStatus.INTERRUPTED)
    assert.ok(report.totals.rows > 0, String(report.totals.rows))
  })
})

describe('a FIFO given as a path whose writer has not come yet (`mkfifo`, a writer started later)', () => {
  /** Resolves once the CLI holds `fifo` open (Linux: /proc), or after `ms` if it never does. */
  async function opened(pid: number, fifo: string, ms: number): Promise<boolean> {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise((wake) => setTimeout(wake, 50))) {
      try {
        if (readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSafe(`/proc/${pid}/fd/${fd}`) === fifo)) return true
      } catch {
        return false
      }
    }
    return false
  }
  const readlinkSafe = (path: string) => {
    try {
      return readlinkSync(path)
    } catch {
      return ''
    }
  }
  const skip = process.platform !== 'linux' && 'reads /proc; the open waits for a writer elsewhere'

  it('logs: Ctrl-C before any writer ends at once with status 130 and the report of the inputs read', {skip}, async () => {
    const fifo = join(mkdtempSync(join(dir, 'fifo-')), 'log')
    execFileSync('mkfifo', [fifo])
    const {child, done} = start(['logs', resolve(root, 'fixtures/sample.log'), fifo])
    let timer: NodeJS.Timeout | undefined
    try {
      // Before the fix the open itself waited in the thread pool: the FIFO never shows among the open files.
      assert.ok(await opened(child.pid!, fifo, 10_000), 'the CLI never opened the FIFO')
      child.kill('SIGINT')
      const stuck = new Promise<'still running'>((resolveLate) => (timer = setTimeout(resolveLate, 15_000, 'still running')))
      const result = await Promise.race([done, stuck])
      assert.notEqual(result, 'still running', 'the CLI waits for a writer')
      const ended = result as Awaited<typeof done>
      assert.equal(ended.status, ExitStatus.INTERRUPTED, ended.stderr)
      assert.match(ended.stderr, /^dovediag: interrupted: reporting what was read so far/m)
      assert.match(ended.stdout, /Dovecot crashed/)
    } finally {
      clearTimeout(timer)
      child.kill('SIGKILL')
    }
  })

  it('logs: a writer that comes after the CLI is waiting has every line read', {skip}, async () => {
    const fifo = join(mkdtempSync(join(dir, 'fifo-')), 'log')
    execFileSync('mkfifo', [fifo])
    const {child, done} = start(['logs', '--json', fifo])
    try {
      assert.ok(await opened(child.pid!, fifo, 10_000), 'the CLI never opened the FIFO')
      // Let the CLI wait on the FIFO with no writer: the read must not take that for the end.
      await new Promise((wake) => setTimeout(wake, 300))
      const writer = await open(fifo, 'w')
      await writer.write(sample)
      await writer.close()
      const result = await done
      assert.equal(result.status, ExitStatus.OK, result.stderr)
      const report = JSON.parse(result.stdout) as {inputs: {lines: number; complete: boolean}[]}
      assert.equal(report.inputs[0].lines, sample.split('\n').filter(Boolean).length)
      assert.equal(report.inputs[0].complete, true)
    } finally {
      child.kill('SIGKILL')
    }
  })
})
