import {inflateIfGzip, looksBinary, openInput, shrankWhileRead, type OpenedInput} from '../input/open.js'
import {describeError, inputProblem, openProblem, readProblem, type InputProblem} from '../input/problem.js'
import {openAtPosition} from '../input/offsets.js'
import {noteBytesRead, noteInputSize} from '../start-up-tiering.js'
import {tuneEngineForReading} from './engine-tuning.js'
import {FastLane, type FastLaneConsumer} from './fast-lane.js'
import {InputStatsCounter, notDovecotLog, type InputStats} from './input-stats.js'
import type {LogInput} from './inputs.js'
import {LineSplitter} from './line-splitter.js'
import {LineParser} from './parse-line.js'
import type {RawRecognizer} from './raw-line.js'
import {RecordAssembler} from './record-assembler.js'
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
  /**
   * --follow, where more lines may come: a crash that ends an input is put here (by input name) instead of
   * yielded, and taken back when that input is read again, so its backtrace can still join it.
   */
  heldCrashes?: Map<string, LogRecord>
  /**
   * Lines of a shape already read are counted from their bytes by this consumer when it takes them, instead of
   * being yielded as records (src/ingest/fast-lane.ts). Only for a reader whose records are only counted.
   */
  fastLane?: FastLaneConsumer
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
  tuneEngineForReading()
  for (const input of inputs) {
    if (options.signal?.aborted) return
    yield* readLogInput(input, options)
  }
}

/**
 * One input, in steps: open it (a file, stdin or a command; gzip inflated), split its bytes into lines
 * (LineSplitter), number and check them (LineCheck), parse them into records with their crash backtraces
 * joined (RecordAssembler), yield a batch per chunk, then what the whole input showed (empty, not gzip, not
 * Dovecot's, the command failed) and its counts.
 */
export async function* readLogInput(input: LogInput, options: ReadLogsOptions): AsyncGenerator<LogEvent> {
  let opened: OpenedInput & {finished?: () => Promise<string | null>}
  try {
    opened = await open(input, options)
  } catch (error) {
    yield {type: 'problem', problem: openProblem(input.name, error)}
    return
  }
  noteInputSize(bytesAhead(input, opened))

  const stats = new InputStatsCounter(input)
  stats.compressed = opened.compressed
  const reference = opened.modified ?? Date.now()
  const parser = new LineParser({source: input.name, reference, timeZone: options.timeZone, recognizeRaw: options.recognizeRaw})
  const carried = options.heldCrashes?.get(input.name) ?? null
  options.heldCrashes?.delete(input.name)
  const assembler = new RecordAssembler(parser, stats, carried)
  const splitter = new LineSplitter(options.maxLineBytes)
  const lines = new LineCheck(input, splitter.maxLineBytes)
  const lane = options.fastLane ? new FastLane(parser, options.fastLane, reference, options.timeZone) : null
  const onLine = (text: string, cutBytes: number): void => {
    const record = assembler.line(text, lines.next(text, cutBytes, stats))
    lane?.parsed(text, record)
  }
  const take =
    lane === null
      ? undefined
      : (chunk: Buffer, start: number, end: number): boolean => {
          const line = lane.read(chunk, start, end, assembler.canCount)
          if (line === null) return false
          lines.count(stats)
          assembler.counted(line)
          return true
        }

  let first = true
  let inflated = 0
  const progress = (done: boolean) => {
    options.onProgress?.({input: input.name, read: opened.bytesRead ? opened.bytesRead() : inflated, total: opened.size ?? null, done})
  }
  try {
    for await (const chunk of opened.bytes) {
      inflated += chunk.length
      noteBytesRead(chunk.length)
      progress(false)
      if (first) {
        first = false
        if (looksBinary(chunk)) {
          stats.complete = false
          yield problemEvent(input, 'binary', binaryAdvice(chunk, input.name))
          break
        }
      }

      lane?.chunk(chunk)
      splitter.push(chunk, onLine, take)
      yield* lines.takeProblems()
      const records = assembler.takeRecords()
      if (records.length > 0) yield {type: 'records', records}
    }

    if (stats.complete) splitter.end(onLine)
    // Ctrl-C stopped this input (its bytes end after the last whole line read): what was read is a part only.
    if (options.signal?.aborted) stats.complete = false
  } catch (error) {
    stats.complete = false
    splitter.end(onLine) // the partial last line was read: count it
    yield {type: 'problem', problem: readProblem(input.name, error, stats.lines)}
  }

  const {records, held} = assembler.finish(options.heldCrashes !== undefined)
  if (held !== null) options.heldCrashes!.set(input.name, held)
  yield* lines.takeProblems()
  const shrank = stats.complete && !(input.kind === 'file' && input.position) ? shrankWhileRead(opened) : null
  if (shrank !== null) {
    stats.complete = false
    yield problemEvent(input, 'shrank', shrank)
  }
  if (parser.timeOutOfRange.count > 0) {
    const {first, count} = parser.timeOutOfRange
    const more = count > 1 ? ` (${count} lines in all)` : ''
    yield problemEvent(input, 'time-out-of-range', `time stamp beyond a date's range${more}: read without a time`, first)
  }
  yield* lines.endProblems()
  if (first && stats.complete) {
    // From a saved position, nothing new is the usual case, not worth a word.
    if (!(input.kind === 'file' && input.position)) yield problemEvent(input, 'empty', 'is empty: nothing to read')
  } else if (input.kind === 'file' && /\.gz$/i.test(input.name) && !stats.compressed && stats.lines > 0) {
    yield problemEvent(input, 'not-gzip', 'is named .gz but is not gzip: read as plain text')
  }
  if (records.length > 0) yield {type: 'records', records}
  progress(true)
  const failure = opened.finished ? await opened.finished() : null
  if (failure !== null) {
    stats.complete = false
    yield problemEvent(input, 'command-failed', failure)
  }

  const finished = stats.finish()
  // An input with lines, none of them Dovecot's (/etc/passwd, a CSV, a log format that changed): reading it found nothing, and says so.
  const notDovecot = finished.lines > 0 ? notDovecotLog(finished) : null
  if (notDovecot !== null) yield problemEvent(input, 'not-dovecot', notDovecot)
  yield {type: 'input-done', stats: finished}
}

const problemEvent = (input: LogInput, kind: InputProblem['kind'], message: string, line: number | null = null): LogEvent => ({
  type: 'problem',
  problem: inputProblem(kind, input.name, message, line),
})

/**
 * Numbers an input's lines (on from a saved position) and notes what is wrong with them as they pass: lines
 * cut at the length limit (a problem each, in order with the records) and bytes that are not UTF-8 (one
 * problem at the end, naming the first such line and how many).
 */
class LineCheck {
  private readonly base: number
  private readonly problems: LogEvent[] = []
  /** Lines holding U+FFFD, which is what bytes that are not UTF-8 decode to: the first one, and how many. */
  private readonly invalidUtf8 = {first: 0, count: 0}

  constructor(
    private readonly input: LogInput,
    private readonly maxLineBytes: number,
  ) {
    // Read from a saved position (--state, src/state/positions.ts): lines are numbered on from it.
    this.base = input.kind === 'file' && input.position ? input.position.line : 0
  }

  /** A line the fast lane read (ASCII, whole): counted only. */
  count(stats: InputStatsCounter): void {
    stats.lines++
  }

  /** Counts the line in `stats` and returns its number. */
  next(text: string, cutBytes: number, stats: InputStatsCounter): number {
    const line = ++stats.lines + this.base
    if (text.includes('\uFFFD') && this.invalidUtf8.count++ === 0) this.invalidUtf8.first = line
    if (cutBytes > 0) {
      const size = ((this.maxLineBytes + cutBytes) / 1024 / 1024).toFixed(1)
      this.problems.push(
        problemEvent(this.input, 'long-line', `line is ${size} MB long: read its first ${this.maxLineBytes} bytes, cut the rest`, line),
      )
    }
    return line
  }

  takeProblems(): LogEvent[] {
    return this.problems.splice(0)
  }

  endProblems(): LogEvent[] {
    const {first, count} = this.invalidUtf8
    if (count === 0) return []
    const more = count > 1 ? ` (${count} lines in all)` : ''
    return [problemEvent(this.input, 'invalid-utf8', `bytes that are not UTF-8, shown as \uFFFD${more}: read anyway`, first)]
  }
}

/**
 * How many bytes reading `input` has ahead (null: not known): a file read from a saved position (--state) has only
 * what follows it, so a cron run that finds little new in a long log stays a short run.
 */
function bytesAhead(input: LogInput, opened: OpenedInput): number | null {
  if (opened.size === undefined) return null
  if (input.kind !== 'file' || !input.position) return opened.size
  // A gzip file's size is compressed and its position inflated: the bytes read tell.
  return opened.compressed ? null : Math.max(0, opened.size - input.position.start)
}

/** Files and stdin as every command opens them; a command's output, gzip detected the same way. */
async function open(input: LogInput, options: ReadLogsOptions): Promise<OpenedInput & {finished?: () => Promise<string | null>}> {
  if (input.kind === 'file' && input.position) return openAtPosition({...input, position: input.position}, options)
  // The reader keeps no view into a chunk (the splitter copies a partial line): a file's chunks may be reused.
  if (input.kind !== 'command') return openInput(input, {...options, reuseChunks: true})
  // Imported here: node:child_process costs a run that reads only files ~15 M instructions to load (test/cli/manifest.test.ts).
  const {spawn} = await import('node:child_process')
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
