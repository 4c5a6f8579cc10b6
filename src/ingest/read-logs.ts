import {spawn} from 'node:child_process'

import {inflateIfGzip, looksBinary, openInput, shrankWhileRead, type OpenedInput} from '../input/open.js'
import {describeError, inputProblem, openProblem, readProblem, type InputProblem} from '../input/problem.js'
import {openAtPosition} from '../input/offsets.js'
import {InputStatsCounter, notDovecotLog, type InputStats} from './input-stats.js'
import type {LogInput} from './inputs.js'
import {LineSplitter} from './line-splitter.js'
import {isRecord, LineParser} from './parse-line.js'
import type {RawRecognizer} from './raw-line.js'
import type {LogRecord} from './record.js'

export interface ReadLogsOptions {
  /** Zone for stamps without one (IANA name or offset); default the local zone. */
  timeZone?: string
  /** The catalog for the raw fallback (LineParserOptions.recognizeRaw); without it, unrecognized lines stay unparsed. */
  recognizeRaw?: RawRecognizer
  /** Longer lines are cut to this many bytes and reported. Default 1 MiB. */
  maxLineBytes?: number
  /** Where `-` reads from (default process.stdin). */
  stdin?: AsyncIterable<Buffer | string>
  /** Called after each chunk read, to show progress. */
  onProgress?: (progress: ReadProgress) => void
  /** Ctrl-C: the input being read ends after its last whole line, and no further input is opened. */
  signal?: AbortSignal
}

/** How far reading one input got: bytes of the input as stored (compressed, for gzip); total when known. */
export interface ReadProgress {
  input: string
  read: number
  total: number | null
  done: boolean
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
  {type: 'records'; records: LogRecord[]} | {type: 'problem'; problem: InputProblem} | {type: 'input-done'; stats: InputStats}

/**
 * Reads every input as one stream of parsed records, never holding more than a chunk of any of them:
 * files (gzip detected by its magic bytes and inflated while streaming), stdin, and commands (journalctl).
 */
export async function* readLogs(inputs: LogInput[], options: ReadLogsOptions = {}): AsyncGenerator<LogEvent> {
  for (const input of inputs) {
    if (options.signal?.aborted) return
    yield* readLogInput(input, options)
  }
}

// A Fatal or Panic is followed by its `Raw backtrace:` from the same process (src/lib/failures.c).
const BACKTRACE = 'Raw backtrace:'
const endsInCrash = (record: LogRecord): boolean => record.level === 'panic' || record.level === 'fatal'

async function* readLogInput(input: LogInput, options: ReadLogsOptions): AsyncGenerator<LogEvent> {
  const problem = (kind: InputProblem['kind'], message: string, line: number | null = null): LogEvent => ({
    type: 'problem',
    problem: inputProblem(kind, input.name, message, line),
  })
  let opened: OpenedInput & {finished?: () => Promise<string | null>}
  try {
    opened = await open(input, options)
  } catch (error) {
    yield {type: 'problem', problem: openProblem(input.name, error)}
    return
  }

  const stats = new InputStatsCounter(input)
  stats.compressed = opened.compressed
  const reference = opened.modified ?? Date.now()
  const parser = new LineParser({source: input.name, reference, timeZone: options.timeZone, recognizeRaw: options.recognizeRaw})
  const splitter = new LineSplitter(options.maxLineBytes)
  const maxLineBytes = splitter.maxLineBytes
  let batch: LogRecord[] = []
  const problems: LogEvent[] = []
  /** The last record, held until the next line shows whether it continues it. */
  let pending: LogRecord | null = null

  /** Lines holding U+FFFD, which is what bytes that are not UTF-8 decode to: the first one, and how many. */
  const invalidUtf8 = {first: 0, count: 0}
  // Read from a saved position (--state, src/state/positions.ts): lines are numbered on from it.
  const lineBase = input.kind === 'file' && input.position ? input.position.line : 0
  const onLine = (text: string, cutBytes: number): void => {
    const line = ++stats.lines + lineBase
    if (text.includes('\uFFFD') && invalidUtf8.count++ === 0) invalidUtf8.first = line
    if (cutBytes > 0) {
      const size = ((maxLineBytes + cutBytes) / 1024 / 1024).toFixed(1)
      problems.push(problem('long-line', `line is ${size} MB long: read its first ${maxLineBytes} bytes, cut the rest`, line))
    }

    const result = parser.parse(text, line)
    if (isRecord(result)) {
      if (
        pending !== null &&
        result.message.startsWith(BACKTRACE) &&
        endsInCrash(pending) &&
        result.service === pending.service &&
        result.pid === pending.pid
      ) {
        pending.continuation.push(result.message)
        stats.continuation()
        return
      }

      if (pending !== null) batch.push(pending)
      pending = result
      stats.record(result)
    } else if (result === 'unparsed') {
      // Unprefixed lines right after a crash (indented backtrace frames) belong to it.
      if (pending !== null && (endsInCrash(pending) || pending.continuation.length > 0) && CRASH_FRAME.test(text)) {
        pending.continuation.push(text)
        stats.continuation()
      } else stats.unparsedLine(line, text)
    } else stats.skip(result === 'skipped' && parser.skipReason === 'program' ? parser.skippedProgram : null)
  }

  /** The problems and records of the lines read so far. */
  function* drain(): Generator<LogEvent> {
    yield* problems.splice(0)
    if (batch.length > 0) {
      yield {type: 'records', records: batch}
      batch = []
    }
  }

  let first = true
  let inflated = 0
  const progress = (done: boolean) => {
    options.onProgress?.({input: input.name, read: opened.bytesRead ? opened.bytesRead() : inflated, total: opened.size ?? null, done})
  }
  try {
    for await (const chunk of opened.bytes) {
      inflated += chunk.length
      progress(false)
      if (first) {
        first = false
        if (looksBinary(chunk)) {
          stats.complete = false
          yield problem('binary', binaryAdvice(chunk, input.name))
          break
        }
      }

      splitter.push(chunk, onLine)
      yield* drain()
    }

    if (stats.complete) splitter.end(onLine)
    // Ctrl-C stopped this input (its bytes end after the last whole line read): what was read is a part only.
    if (options.signal?.aborted) stats.complete = false
  } catch (error) {
    stats.complete = false
    splitter.end(onLine) // the partial last line was read: count it
    yield {type: 'problem', problem: readProblem(input.name, error, stats.lines)}
  }

  if (pending !== null) batch.push(pending)
  yield* problems.splice(0)
  const shrank = stats.complete && !(input.kind === 'file' && input.position) ? shrankWhileRead(opened) : null
  if (shrank !== null) {
    stats.complete = false
    yield problem('shrank', shrank)
  }
  if (parser.timeOutOfRange.count > 0) {
    const {first, count} = parser.timeOutOfRange
    const more = count > 1 ? ` (${count} lines in all)` : ''
    yield problem('time-out-of-range', `time stamp beyond a date's range${more}: read without a time`, first)
  }
  if (invalidUtf8.count > 0) {
    const more = invalidUtf8.count > 1 ? ` (${invalidUtf8.count} lines in all)` : ''
    yield problem('invalid-utf8', `bytes that are not UTF-8, shown as \uFFFD${more}: read anyway`, invalidUtf8.first)
  }
  if (first && stats.complete) {
    // From a saved position, nothing new is the usual case, not worth a word.
    if (!(input.kind === 'file' && input.position)) yield problem('empty', 'is empty: nothing to read')
  } else if (input.kind === 'file' && /\.gz$/i.test(input.name) && !stats.compressed && stats.lines > 0) {
    yield problem('not-gzip', 'is named .gz but is not gzip: read as plain text')
  }
  if (batch.length > 0) yield {type: 'records', records: batch}
  progress(true)
  const failure = opened.finished ? await opened.finished() : null
  if (failure !== null) {
    stats.complete = false
    yield problem('command-failed', failure)
  }

  const finished = stats.finish()
  // An input with lines, none of them Dovecot's (/etc/passwd, a CSV, a log format that changed): reading it found nothing, and says so.
  const notDovecot = finished.lines > 0 ? notDovecotLog(finished) : null
  if (notDovecot !== null) yield problem('not-dovecot', notDovecot)
  yield {type: 'input-done', stats: finished}
}

/** An unprefixed line that is a backtrace frame: indented, `->` or `#1`. */
const CRASH_FRAME = /^(\s|->|#\d)/

/** Files and stdin as every command opens them; a command's output, gzip detected the same way. */
async function open(input: LogInput, options: ReadLogsOptions): Promise<OpenedInput & {finished?: () => Promise<string | null>}> {
  if (input.kind === 'file' && input.position) return openAtPosition({...input, position: input.position}, options)
  if (input.kind !== 'command') return openInput(input, options)
  const child = spawn(input.command, input.args, {stdio: ['ignore', 'pipe', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (data: Buffer) => {
    if (stderr.length < 1000) stderr += data.toString('utf8')
  })
  const exit = new Promise<string | null>((resolve) => {
    child.once('error', (error) => resolve(`${input.command} could not run: ${describeError(error)}`))
    child.once('close', (status) =>
      resolve(status === 0 ? null : `${input.command} failed (exit status ${status}): ${stderr.trim().split('\n')[0] ?? ''}`),
    )
  })
  return {...(await inflateIfGzip(child.stdout)), modified: null, finished: () => exit}
}

function binaryAdvice(chunk: Buffer, name: string): string {
  if (chunk.subarray(0, 8).toString('latin1') === 'LPKSHHRH') {
    return `is a binary systemd journal file: read it with 'journalctl --file ${name} -o json | dovediag logs -'`
  }

  return 'is binary, not a text log (NUL bytes in its first 4 KiB): skipped'
}
