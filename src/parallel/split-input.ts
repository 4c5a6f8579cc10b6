import {closeSync, openSync, readSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

import type {DiagnoseOptions, DiagnosisPart, Diagnoser} from '../diagnosis/diagnose.js'
import type {InputSplit, PartEnd, ReadLogsOptions} from '../ingest/read-logs.js'

/** Files smaller than this are read by one thread: starting a worker costs about 0.1 s. */
export const MIN_SPLIT_BYTES = 64 * 1024 * 1024
/** The bytes before the second half whose lines the worker's parser reads first (see ReadLogsOptions.part). */
const WARM_UP_BYTES = 64 * 1024
/** How far past the middle a line start is looked for; a file whose middle line is longer is not split. */
const LINE_SEARCH_BYTES = 1024 * 1024

/**
 * The worker's young generation: V8's default lets two threads' heaps take ~165 MB RSS on the benchmark log;
 * 16 MB keeps it under 150 MB at no measurable cost (most records die young either way). 8 MB was worse:
 * more records live long enough to be promoted to the old generation.
 */
const WORKER_LIMITS = {maxYoungGenerationSizeMb: 16}

/** What the worker is given (structured-cloned): everything its reader and Diagnoser need to match the main thread's. */
export interface PartJob {
  input: {kind: 'file'; name: string; path: string}
  start: number
  warmUp: Uint8Array
  reference: number | null
  timeZone?: string
  maxLineBytes?: number
  rulesFiles: string[]
  diagnose: Pick<DiagnoseOptions, 'records' | 'findings' | 'fastPath'>
  /** A shared Float64Array[1]: the bytes the worker has read, for progress. */
  progress: SharedArrayBuffer
}

/** What the worker sends back: null when it could not read its part (the main thread then reads it). */
export type PartResult = {part: PartEnd; diagnosis: DiagnosisPart} | null

export interface SplitOptions extends Pick<PartJob, 'timeZone' | 'maxLineBytes' | 'rulesFiles' | 'diagnose'> {
  /** The main thread's Diagnoser, which absorbs the worker's findings. */
  diagnoser: Diagnoser
  signal?: AbortSignal
}

/**
 * Reading one big file on two cores: the main thread reads the first half while a worker thread reads and
 * diagnoses the second; on reaching the middle, the main thread merges the worker's counts and findings,
 * when that gives exactly what reading on would (see InputRest), and reads on itself otherwise. Only plain
 * files of at least MIN_SPLIT_BYTES on a machine with two cores or more. DOVEDIAG_PARALLEL=0 turns it off
 * (to compare), =1 on even with one core; DOVEDIAG_SPLIT_MIN_BYTES changes the size (tests).
 */
export function inputSplitter(options: SplitOptions): ReadLogsOptions['split'] {
  const parallel = process.env.DOVEDIAG_PARALLEL
  if (parallel === '0' || (parallel !== '1' && availableParallelism() < 2)) return undefined
  const minBytes = Number(process.env.DOVEDIAG_SPLIT_MIN_BYTES ?? MIN_SPLIT_BYTES)
  return (input, opened) => {
    if (input.kind !== 'file' || opened.compressed || opened.size === null || opened.size < minBytes) return null
    const offset = lineStartAfter(input.path, Math.floor(opened.size / 2))
    if (offset === null || offset >= opened.size) return null
    const progress = new SharedArrayBuffer(8)
    const job: PartJob = {
      input: {kind: 'file', name: input.name, path: input.path},
      start: offset,
      warmUp: readBytes(input.path, Math.max(0, offset - WARM_UP_BYTES), offset),
      reference: opened.modified,
      timeZone: options.timeZone,
      maxLineBytes: options.maxLineBytes,
      rulesFiles: options.rulesFiles,
      diagnose: options.diagnose,
      progress,
    }
    const result = runPartWorker(job, options.signal)
    const bytesRead = new Float64Array(progress)
    return {
      offset,
      bytesRead: () => bytesRead[0],
      async rest() {
        const done = await result
        if (done === null) return null
        return {...done.part, absorb: (lineOffset: number) => options.diagnoser.absorb(done.diagnosis, lineOffset)}
      },
    } satisfies InputSplit
  }
}

/** Starts the worker; its result, or null if it failed or was stopped (Ctrl-C). It never keeps the process alive. */
function runPartWorker(job: PartJob, signal: AbortSignal | undefined): Promise<PartResult> {
  const worker = startWorker(job)
  worker.unref()
  const stop = (): void => void worker.terminate()
  signal?.addEventListener('abort', stop, {once: true})
  return new Promise<PartResult>((resolve) => {
    worker.once('message', (message: PartResult) => resolve(message))
    worker.once('error', () => resolve(null))
    worker.once('exit', () => resolve(null))
  }).finally(() => {
    signal?.removeEventListener('abort', stop)
    stop()
  })
}

function startWorker(job: PartJob): Worker {
  const here = import.meta.url
  if (!here.endsWith('.ts')) return new Worker(new URL('part-worker.js', here), {workerData: job, resourceLimits: WORKER_LIMITS})
  // Run from the TypeScript sources (the tests, under tsx): a worker does not inherit tsx's loader.
  const tsx = import.meta.resolve('tsx/esm/api')
  const worker = new URL('part-worker.ts', here).href
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
