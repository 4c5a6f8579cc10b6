import {spawn} from 'node:child_process'
import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'
import {Readable, pipeline} from 'node:stream'
import {createGunzip} from 'node:zlib'

import type {InputProblem} from './input-problem.js'
import {InputStatsCounter, type InputStats} from './input-stats.js'
import type {InputSource} from './inputs.js'
import {LineSplitter} from './line-splitter.js'
import {isRecord, LineParser} from './parse-line.js'
import type {LogRecord} from './record.js'

export interface ReadLogsOptions {
  /** Zone for stamps without one (IANA name or offset); default the local zone. */
  timeZone?: string
  /** Longer lines are cut to this many bytes and reported. Default 1 MiB. */
  maxLineBytes?: number
  /** Where `-` reads from (default process.stdin). */
  stdin?: NodeJS.ReadableStream
}

/**
 * What `readLogs` yields, in input order:
 * - `records`: the records parsed from one chunk of an input, in line order (a batch, so that a
 *   gigabyte log does not cost one promise per line). A record is complete when yielded: its
 *   continuation lines are already joined.
 * - `problem`: something about an input that could not be read (missing, unreadable, binary, truncated
 *   gzip, over-long line...). Reading goes on with the rest of that input where possible, and with the
 *   next input.
 * - `input-done`: the counts for one input that was opened, after its last records.
 */
export type LogEvent =
  | {type: 'records'; records: LogRecord[]}
  | {type: 'problem'; problem: InputProblem}
  | {type: 'input-done'; stats: InputStats}

/**
 * Reads every input as one stream of parsed records, never holding more than a chunk of any of them:
 * files (gzip detected by its magic bytes and inflated while streaming), stdin, and commands (journalctl).
 */
export async function* readLogs(inputs: InputSource[], options: ReadLogsOptions = {}): AsyncGenerator<LogEvent> {
  for (const input of inputs) yield* readInput(input, options)
}

// A Fatal or Panic is followed by its `Raw backtrace:` from the same process (src/lib/failures.c).
const BACKTRACE = 'Raw backtrace:'
const endsInCrash = (record: LogRecord): boolean => record.level === 'panic' || record.level === 'fatal'

async function* readInput(input: InputSource, options: ReadLogsOptions): AsyncGenerator<LogEvent> {
  const problem = (kind: InputProblem['kind'], message: string, line: number | null = null): LogEvent => ({
    type: 'problem',
    problem: {kind, input: input.name, line, message},
  })
  let opened: {bytes: AsyncIterable<Buffer>; reference: number; finished?: () => Promise<string | null>}
  try {
    opened = await open(input, options)
  } catch (error) {
    yield problem('unreadable', `cannot read: ${describe(error)}`)
    return
  }

  const stats = new InputStatsCounter(input)
  const parser = new LineParser({source: input.name, reference: opened.reference, timeZone: options.timeZone})
  const splitter = new LineSplitter(options.maxLineBytes)
  const maxLineBytes = splitter.maxLineBytes
  let batch: LogRecord[] = []
  const problems: LogEvent[] = []
  /** The last record, held until the next line shows whether it continues it. */
  let pending: LogRecord | null = null

  const onLine = (text: string, cutBytes: number): void => {
    const line = ++stats.lines
    if (cutBytes > 0) {
      const size = ((maxLineBytes + cutBytes) / 1024 / 1024).toFixed(1)
      problems.push(problem('long-line', `line is ${size} MB long: read its first ${maxLineBytes} bytes, cut the rest`, line))
    }

    const result = parser.parse(text, line)
    if (isRecord(result)) {
      if (pending !== null && result.message.startsWith(BACKTRACE) && endsInCrash(pending) && result.service === pending.service && result.pid === pending.pid) {
        pending.continuation.push(result.message)
        stats.continuation()
        return
      }

      if (pending !== null) batch.push(pending)
      pending = result
      stats.record(result)
    } else if (result === 'unparsed') {
      // Unprefixed lines right after a crash (indented backtrace frames) belong to it.
      if (pending !== null && (endsInCrash(pending) || pending.continuation.length > 0) && /^(\s|->|#\d)/.test(text)) {
        pending.continuation.push(text)
        stats.continuation()
      } else stats.unparsedLine(line, text)
    } else stats.skip()
  }

  let first = true
  try {
    for await (const chunk of decompress(opened.bytes, stats)) {
      if (first) {
        first = false
        if (chunk.subarray(0, 4096).includes(0)) {
          stats.complete = false
          yield problem('binary', binaryAdvice(chunk, input.name))
          break
        }
      }

      splitter.push(chunk, onLine)
      yield* problems.splice(0)
      if (batch.length > 0) {
        yield {type: 'records', records: batch}
        batch = []
      }
    }

    if (stats.complete) splitter.end(onLine)
  } catch (error) {
    stats.complete = false
    splitter.end(onLine) // the partial last line was read: count it
    const code = (error as NodeJS.ErrnoException).code
    yield code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR'
      ? problem('truncated-gzip', `compressed data is truncated or corrupt (${(error as Error).message}) after ${stats.lines} lines: the lines before it were read`)
      : problem('unreadable', `read failed after line ${stats.lines}: ${describe(error)}`)
  }

  if (pending !== null) batch.push(pending)
  yield* problems.splice(0)
  if (batch.length > 0) yield {type: 'records', records: batch}
  const failure = opened.finished ? await opened.finished() : null
  if (failure !== null) {
    stats.complete = false
    yield problem('command-failed', failure)
  }

  yield {type: 'input-done', stats: stats.finish()}
}

async function open(input: InputSource, options: ReadLogsOptions) {
  switch (input.kind) {
    case 'file': {
      const info = await stat(input.path)
      if (info.isDirectory()) throw Object.assign(new Error('is a directory'), {code: 'EISDIR'})
      const stream = createReadStream(input.path, {highWaterMark: 256 * 1024})
      // Opening errors (EACCES) surface on the first read; wait for the open to report them here.
      await new Promise<void>((resolve, reject) => stream.once('ready', () => resolve()).once('error', reject))
      return {bytes: stream, reference: info.mtimeMs}
    }

    case 'stdin':
      return {bytes: (options.stdin ?? process.stdin) as AsyncIterable<Buffer>, reference: Date.now()}
    case 'command': {
      const child = spawn(input.command, input.args, {stdio: ['ignore', 'pipe', 'pipe']})
      let stderr = ''
      child.stderr.on('data', (data: Buffer) => {
        if (stderr.length < 1000) stderr += data.toString('utf8')
      })
      const exit = new Promise<string | null>((resolve) => {
        child.once('error', (error) => resolve(`${input.command} could not run: ${describe(error)}`))
        child.once('close', (status) =>
          resolve(status === 0 ? null : `${input.command} failed (exit status ${status}): ${stderr.trim().split('\n')[0] ?? ''}`),
        )
      })
      return {bytes: child.stdout, reference: Date.now(), finished: () => exit}
    }
  }
}

/** The bytes as they are, or inflated when they start with gzip's magic bytes, whatever the file is called. */
async function* decompress(source: AsyncIterable<Buffer>, stats: InputStatsCounter): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]()
  const first = await iterator.next()
  if (first.done) return
  const head = first.value as Buffer
  async function* all(): AsyncGenerator<Buffer> {
    yield head
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value as Buffer
  }

  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* all()
    return
  }

  stats.compressed = true
  const gunzip = createGunzip()
  pipeline(Readable.from(all()), gunzip, () => {}) // errors reach the loop below through gunzip
  yield* gunzip as AsyncIterable<Buffer>
}

function binaryAdvice(chunk: Buffer, name: string): string {
  if (chunk.subarray(0, 8).toString('latin1') === 'LPKSHHRH') {
    return `is a binary systemd journal file: read it with 'journalctl --file ${name} -o json | dovediag logs -'`
  }

  return 'is binary, not a text log (NUL bytes in its first 4 KiB): skipped'
}

const describe = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException
  if (e.code === 'EACCES') return 'permission denied'
  if (e.code === 'ENOENT') return 'not found'
  if (e.code === 'EISDIR') return 'is a directory'
  return e.message
}
