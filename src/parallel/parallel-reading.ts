import {closeSync, openSync, readSync, statSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

import type {DiagnoseOptions, DiagnosisPart, Diagnoser} from '../diagnosis/diagnose.js'
import type {InputStats} from '../ingest/input-stats.js'
import type {LogInput} from '../ingest/inputs.js'
import type {InputReadAhead, InputSplit, PartEnd, ReadLogsOptions} from '../ingest/read-logs.js'
import type {InputProblem} from '../input/problem.js'

/** Files smaller than this are read by one thread: starting a worker costs about 0.1 s. */
const MIN_SPLIT_BYTES = 64 * 1024 * 1024
/** The next input is read ahead only from this size (as stored: gzip counts compressed), for the same reason. */
const MIN_READ_AHEAD_BYTES = 4 * 1024 * 1024
/** The bytes before the second half whose lines the worker's parser reads first (see ReadLogsOptions.part). */
const WARM_UP_BYTES = 64 * 1024
/** How far past the middle a line start is looked for; a file whose middle line is longer is not split. */
const LINE_SEARCH_BYTES = 1024 * 1024

/**
 * The worker's heap. V8's defaults let the two threads take ~165-200 MB RSS on the benchmark logs: the
 * young generation grows to 48 MB, and old-generation garbage piles up before a full GC. A 16 MB young
 * generation and a 64 MB old one keep the process near 150 MB at no measurable cost (a worker's live data
 * is a few MB: counters and example lines). 8 MB young was worse: more records lived long enough to be
 * promoted. A worker that runs out of its heap fails, and the main thread reads its part itself.
 */
const WORKER_LIMITS = {maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 64}

/** What a worker is given (structured-cloned): everything its reader and Diagnoser need to match the main thread's. */
export interface WorkerJob {
  input: LogInput & {kind: 'file'}
  /** Read from this byte on (the second half of a file), or the whole input. */
  part: {start: number; warmUp: Uint8Array; reference: number | null} | null
  timeZone?: string
  maxLineBytes?: number
  rulesFiles: string[]
  /** The reader runs the raw fallback with the rules (ReadLogsOptions.recognizeRaw), as the main thread's does. */
  rawFallback?: boolean
  diagnose: Pick<DiagnoseOptions, 'records' | 'findings' | 'fastPath'>
  /** The main thread reads with Ctrl-C handling, which keeps a partial last line back when a read fails: so must the worker. */
  interruptible: boolean
  /** A shared Float64Array[1]: the bytes the worker has read, for progress. */
  progress: SharedArrayBuffer
}

/** What a worker sends back: null when it could not read its input (the main thread then reads it). */
export type WorkerResult = {
  diagnosis: DiagnosisPart
  part: PartEnd | null
  whole: {problems: InputProblem[]; stats: InputStats} | null
} | null

export interface ParallelOptions extends Pick<WorkerJob, 'timeZone' | 'maxLineBytes' | 'rulesFiles' | 'rawFallback' | 'diagnose'> {
  /** The main thread's Diagnoser, which absorbs the worker's findings. */
  diagnoser: Diagnoser
  signal?: AbortSignal
}

/**
 * Reading logs on two cores, with exactly the report one core gives:
 * - one big file: the main thread reads the first half while a worker thread reads and diagnoses the
 *   second; on reaching the middle, the main thread merges the worker's counts and findings when that gives
 *   exactly what reading on would (see InputRest), and reads on itself otherwise. Plain files of at least
 *   MIN_SPLIT_BYTES.
 * - several inputs (a rotated set): while the main thread reads one, a worker reads the next, merged the
 *   same way when its turn comes. Files of at least MIN_READ_AHEAD_BYTES that are not split.
 * Only with two cores or more. DOVEDIAG_PARALLEL=0 turns it off (to compare), =1 on even with one core;
 * DOVEDIAG_SPLIT_MIN_BYTES and DOVEDIAG_READ_AHEAD_MIN_BYTES change the sizes (tests).
 */
export function parallelReading(options: ParallelOptions): Pick<ReadLogsOptions, 'split' | 'readAhead'> {
  const parallel = process.env.DOVEDIAG_PARALLEL
  if (parallel === '0' || (parallel !== '1' && availableParallelism() < 2)) return {}
  const minSplit = Number(process.env.DOVEDIAG_SPLIT_MIN_BYTES ?? MIN_SPLIT_BYTES)
  const minAhead = Number(process.env.DOVEDIAG_READ_AHEAD_MIN_BYTES ?? MIN_READ_AHEAD_BYTES)
  const job = (input: WorkerJob['input'], part: WorkerJob['part']): WorkerJob => ({
    input,
    part,
    timeZone: options.timeZone,
    maxLineBytes: options.maxLineBytes,
    rulesFiles: options.rulesFiles,
    rawFallback: options.rawFallback,
    diagnose: options.diagnose,
    interruptible: options.signal !== undefined,
    progress: new SharedArrayBuffer(8),
  })

  return {
    split(input, opened) {
      if (input.kind !== 'file' || opened.compressed || opened.size === null || opened.size < minSplit) return null
      let offset: number | null
      let warmUp: Buffer
      try {
        offset = lineStartAfter(input.path, Math.floor(opened.size / 2))
        if (offset === null || offset >= opened.size) return null
        warmUp = readBytes(input.path, Math.max(0, offset - WARM_UP_BYTES), offset)
      } catch {
        return null
      }
      const work = job(input, {start: offset, warmUp, reference: opened.modified})
      const result = runWorker(work, options.signal)
      const bytesRead = new Float64Array(work.progress)
      return {
        offset,
        bytesRead: () => bytesRead[0],
        async rest() {
          const done = await result
          if (done?.part == null) return null
          return {...done.part, absorb: (lineOffset: number) => options.diagnoser.absorb(done.diagnosis, lineOffset)}
        },
      } satisfies InputSplit
    },

    readAhead(input) {
      if (input.kind !== 'file') return null
      try {
        const info = statSync(input.path)
        // Only regular files: opening a FIFO here would wait for its writer (and take its data).
        if (!info.isFile() || info.size < minAhead) return null
        const gzip = readBytes(input.path, 0, 2).equals(Buffer.from([0x1f, 0x8b]))
        if (!gzip && info.size >= minSplit) return null
      } catch {
        return null // missing or unreadable: the main thread reports it when its turn comes
      }
      return runWorker(job(input, null), options.signal).then((done): InputReadAhead | null =>
        done?.whole == null ? null : {...done.whole, absorb: () => options.diagnoser.absorb(done.diagnosis, 0)},
      )
    },
  }
}

/** Runs a worker; its result, or null if it failed or was stopped (Ctrl-C). It never keeps the process alive. */
function runWorker(job: WorkerJob, signal: AbortSignal | undefined): Promise<WorkerResult> {
  const worker = startWorker(job)
  worker.unref()
  const stop = (): void => void worker.terminate()
  signal?.addEventListener('abort', stop, {once: true})
  return new Promise<WorkerResult>((resolve) => {
    worker.once('message', (message: WorkerResult) => resolve(message))
    worker.once('error', () => resolve(null))
    worker.once('exit', () => resolve(null))
  }).finally(() => {
    signal?.removeEventListener('abort', stop)
    stop()
  })
}

function startWorker(job: WorkerJob): Worker {
  const here = import.meta.url
  if (!here.endsWith('.ts')) return new Worker(new URL('reading-worker.js', here), {workerData: job, resourceLimits: WORKER_LIMITS})
  // Run from the TypeScript sources (the tests, under tsx): a worker does not inherit tsx's loader.
  const tsx = import.meta.resolve('tsx/esm/api')
  const worker = new URL('reading-worker.ts', here).href
  const code = `import(${JSON.stringify(tsx)}).then(({register}) => { register(); return import(${JSON.stringify(worker)}) })`
  return new Worker(code, {eval: true, workerData: job, resourceLimits: WORKER_LIMITS})
}

/** The first line start at or after `at`, or null when none is within LINE_SEARCH_BYTES (or the file ends). */
function lineStartAfter(path: string, at: number): number | null {
  if (at < 1) return null
  const bytes = readBytes(path, at - 1, at - 1 + LINE_SEARCH_BYTES)
  const newline = bytes.indexOf(10)
  return newline === -1 ? null : at + newline
}

function readBytes(path: string, from: number, to: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, to - from))
  const fd = openSync(path, 'r')
  try {
    const read = readSync(fd, buffer, 0, buffer.length, from)
    return buffer.subarray(0, read)
  } finally {
    closeSync(fd)
  }
}
