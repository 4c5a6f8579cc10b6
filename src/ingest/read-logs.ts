import {spawn} from 'node:child_process'

import {inflateIfGzip, looksBinary, openInput, type OpenedInput} from '../input/open.js'
import {describeError, inputProblem, openProblem, readProblem, type InputProblem} from '../input/problem.js'
import {openAtPosition} from '../input/offsets.js'
import {InputStatsCounter, notDovecotLog, type InputStats, type InputStatsPart} from './input-stats.js'
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
  /**
   * Asked for each input opened: whether its second half is read elsewhere at the same time (by a worker
   * thread, see src/parallel/), and where. Null: read it all here.
   */
  split?: (input: LogInput, opened: {size: number | null; compressed: boolean; modified: number | null}) => InputSplit | null
  /**
   * This reader reads the second half of a file: from byte `start` (a line start) to the end. The lines of
   * `warmUp` (the bytes just before `start`) are parsed first, uncounted, so that the parser knows what
   * the first half's reader knows by then; `reference` is the first half's reader's (the file's mtime when
   * it was opened, for stamps without a year). Ends with a `part-done` event instead of `input-done`.
   */
  part?: {start: number; warmUp: Buffer; reference: number | null}
  /**
   * Asked for each input after the first as the one before it starts being read: whether it is read at the
   * same time elsewhere (a worker thread, see src/parallel/). Null: it is read here when its turn comes.
   */
  readAhead?: (input: LogInput) => Promise<InputReadAhead | null> | null
}

/**
 * What another reader found in a whole input: its problems and counts, in the order reading it here would
 * have given them, and `absorb`, which merges what the consumer made of its records when that gives
 * exactly what reading them here would (false: the input is read here instead).
 */
export interface InputReadAhead {
  problems: InputProblem[]
  stats: InputStats
  absorb: () => boolean
}

/** An input whose bytes from `offset` on (a line start) are read by another reader at the same time. */
export interface InputSplit {
  offset: number
  /** Called on reaching `offset`: the other reader's result, or null if it has none (it failed). */
  rest: () => Promise<InputRest | null>
  /** How many bytes the other reader has read, for progress. */
  bytesRead: () => number
}

/** What the reader of an input's second half found (`part-done`), and what its consumer made of it. */
export interface PartEnd {
  stats: InputStatsPart
  /** The parser's state after the warm-up: the first half's reader must end in the same one. */
  parserState: string
  /** The part's first line may continue the first half's last record (a backtrace): not mergeable. */
  startsWithContinuation: boolean
  invalidUtf8: {first: number; count: number}
  /** Problems other than over-long lines (read errors): the part cannot stand in for reading on. */
  failed: boolean
  longLines: InputProblem[]
}

/**
 * The second half's result. It is merged only when that gives exactly what reading on here would: it read
 * everything, its parser started in the state this one ends in, its first line does not continue this
 * half's last record, and `absorb` (the consumer merging what it made of the part's records, with their
 * line numbers counted on from `lineOffset`) says it could. Otherwise reading goes on here.
 */
export interface InputRest extends PartEnd {
  absorb: (lineOffset: number) => boolean
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
 * - `part-done`: instead of `input-done`, for a reader of an input's second half (ReadLogsOptions.part).
 */
export type LogEvent =
  | {type: 'records'; records: LogRecord[]}
  | {type: 'problem'; problem: InputProblem}
  | {type: 'input-done'; stats: InputStats}
  | {type: 'part-done'; part: PartEnd}

/**
 * Reads every input as one stream of parsed records, never holding more than a chunk of any of them:
 * files (gzip detected by its magic bytes and inflated while streaming), stdin, and commands (journalctl).
 */
export async function* readLogs(inputs: LogInput[], options: ReadLogsOptions = {}): AsyncGenerator<LogEvent> {
  /** The next input, being read by another reader. */
  const next: {ahead: Promise<InputReadAhead | null> | null} = {ahead: null}
  for (const [index, input] of inputs.entries()) {
    if (options.signal?.aborted) return
    if (next.ahead !== null) {
      const read = await next.ahead
      next.ahead = null
      if (options.signal?.aborted) return
      if (read !== null && read.absorb()) {
        for (const problem of read.problems) yield {type: 'problem', problem}
        yield {type: 'input-done', stats: read.stats}
        continue
      }
    }

    const following = inputs[index + 1]
    // The next input is read ahead only when this one is not itself split: one other reader at a time.
    const readAhead = following !== undefined && options.readAhead ? () => (next.ahead = options.readAhead!(following)) : () => {}
    yield* readLogInput(input, options, readAhead)
  }
}

// A Fatal or Panic is followed by its `Raw backtrace:` from the same process (src/lib/failures.c).
const BACKTRACE = 'Raw backtrace:'
const endsInCrash = (record: LogRecord): boolean => record.level === 'panic' || record.level === 'fatal'

async function* readLogInput(input: LogInput, options: ReadLogsOptions, readAhead: () => void = () => {}): AsyncGenerator<LogEvent> {
  const problem = (kind: InputProblem['kind'], message: string, line: number | null = null): LogEvent => ({
    type: 'problem',
    problem: inputProblem(kind, input.name, message, line),
  })
  const part = options.part
  let opened: OpenedInput & {finished?: () => Promise<string | null>}
  try {
    opened = await open(input, {...options, start: part?.start})
  } catch (error) {
    yield {type: 'problem', problem: openProblem(input.name, error)}
    return
  }

  const stats = new InputStatsCounter(input)
  stats.compressed = opened.compressed
  const reference = (part ? part.reference : opened.modified) ?? Date.now()
  const parser = new LineParser({source: input.name, reference, timeZone: options.timeZone, recognizeRaw: options.recognizeRaw})
  const splitter = new LineSplitter(options.maxLineBytes)
  const maxLineBytes = splitter.maxLineBytes
  let batch: LogRecord[] = []
  const problems: LogEvent[] = []
  /** The last record, held until the next line shows whether it continues it. */
  let pending: LogRecord | null = null

  /** Lines holding U+FFFD, which is what bytes that are not UTF-8 decode to: the first one, and how many. */
  const invalidUtf8 = {first: 0, count: 0}
  let startsWithContinuation = false
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
      // Before its first record, a part cannot know whether the first half's last record is a crash this continues.
      if (pending === null && result.message.startsWith(BACKTRACE)) startsWithContinuation = true
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
      const frame = CRASH_FRAME.test(text)
      if (pending === null && frame) startsWithContinuation = true
      if (pending !== null && (endsInCrash(pending) || pending.continuation.length > 0) && frame) {
        pending.continuation.push(text)
        stats.continuation()
      } else stats.unparsedLine(line, text)
    } else stats.skip(result === 'skipped' && parser.skipReason === 'program' ? parser.skippedProgram : null)
  }

  /** The problems and records of the lines read so far; a part's over-long lines go back with its result instead. */
  function* drain(): Generator<LogEvent> {
    if (!part) yield* problems.splice(0)
    if (batch.length > 0) {
      yield {type: 'records', records: batch}
      batch = []
    }
  }

  if (part) warmUp(parser, part.warmUp)
  const partStartState = parser.state()
  const split = part
    ? null
    : (options.split?.(input, {size: opened.size ?? null, compressed: opened.compressed, modified: opened.modified}) ?? null)
  if (split === null) readAhead()
  let first = part === undefined
  let inflated = 0
  /** Where this reader stopped because the rest was read elsewhere. */
  let mergedAt: number | null = null
  const progress = (done: boolean) => {
    const read = (opened.bytesRead ? opened.bytesRead() : inflated) + (split ? split.bytesRead() : 0)
    options.onProgress?.({input: input.name, read, total: opened.size ?? null, done})
  }
  try {
    for await (let chunk of opened.bytes) {
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

      if (split !== null && mergedAt === null && inflated > split.offset && inflated - chunk.length <= split.offset) {
        // The first half ends in this chunk: read up to it, then merge the second half if it gives exactly
        // what reading on would; else read on.
        const head = split.offset - (inflated - chunk.length)
        splitter.push(chunk.subarray(0, head), onLine)
        yield* drain()

        const rest = await split.rest()
        if (rest !== null && !rest.failed && !rest.startsWithContinuation && rest.parserState === parser.state()) {
          if (pending !== null) yield {type: 'records', records: [pending]}
          pending = null
          if (rest.absorb(stats.lines)) {
            mergedAt = stats.lines
            for (const longLine of rest.longLines)
              problems.push({type: 'problem', problem: {...longLine, line: longLine.line === null ? null : longLine.line + mergedAt}})
            if (rest.invalidUtf8.count > 0) {
              if (invalidUtf8.count === 0) invalidUtf8.first = rest.invalidUtf8.first + mergedAt
              invalidUtf8.count += rest.invalidUtf8.count
            }
            stats.absorb(rest.stats)
            break
          }
        }

        chunk = chunk.subarray(head)
      }

      splitter.push(chunk, onLine)
      yield* drain()
    }

    if (stats.complete && mergedAt === null) splitter.end(onLine)
  } catch (error) {
    stats.complete = false
    splitter.end(onLine) // the partial last line was read: count it
    yield {type: 'problem', problem: readProblem(input.name, error, stats.lines)}
  }

  if (pending !== null) batch.push(pending)
  if (part) {
    if (batch.length > 0) yield {type: 'records', records: batch}
    const longLines = problems.map((event) => (event as {problem: InputProblem}).problem)
    const failed = !stats.complete || longLines.some((p) => p.kind !== 'long-line')
    yield {
      type: 'part-done',
      part: {stats: stats.part(), parserState: partStartState, startsWithContinuation, invalidUtf8, failed, longLines},
    }
    return
  }

  yield* problems.splice(0)
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

/**
 * Parses the lines of `bytes` (from its first line start) and forgets the results: afterwards the parser
 * knows what a reader of those lines would (the line shape, the Dovecot syslog idents...).
 */
function warmUp(parser: LineParser, bytes: Buffer): void {
  const splitter = new LineSplitter()
  const firstLine = bytes.indexOf(10) + 1
  if (firstLine > 0) splitter.push(bytes.subarray(firstLine), (text) => parser.parse(text, 0))
}

/** Files and stdin as every command opens them; a command's output, gzip detected the same way. */
async function open(
  input: LogInput,
  options: ReadLogsOptions & {start?: number},
): Promise<OpenedInput & {finished?: () => Promise<string | null>}> {
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
