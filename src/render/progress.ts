import type {ReadProgress} from '../ingest/read-logs.js'

const MB = 1024 * 1024
const INTERVAL_MS = 200
/** Inputs read faster than this show no progress at all. */
const QUIET_MS = 1000

const size = (bytes: number): string => (bytes >= 1024 * MB ? `${(bytes / 1024 / MB).toFixed(2)} GB` : `${(bytes / MB).toFixed(1)} MB`)

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  return seconds < 60 ? `${Math.ceil(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`
}

/** Only where a person watches: stderr is a terminal, not CI, not --json. */
export const showsProgress = (stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv, json: boolean): boolean =>
  stream.isTTY === true && !env.CI && !json

/**
 * The progress line for one input: `mail.log  312.0 MB of 1.00 GB (30%)  180.2 MB/s  ETA 4 s`. The total is the
 * size when reading began: a file still being written (or a count that runs ahead of it) can pass it, and then
 * the total shown is what was read, never less, at 99% until the input is done.
 */
export function progressLine(progress: ReadProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (progress.read / elapsedMs) * 1000 : 0
  let line = `${progress.input}  ${size(progress.read)}`
  if (progress.total !== null && progress.total > 0) {
    const total = Math.max(progress.total, progress.read)
    const percent = Math.min(progress.done ? 100 : 99, Math.floor((progress.read / total) * 100))
    line += ` of ${size(total)} (${percent}%)`
    if (rate > 0 && !progress.done && progress.read < progress.total)
      line += `  ${size(rate)}/s  ETA ${duration((total - progress.read) / rate)}`
    else line += `  ${size(rate)}/s`
    return line
  }
  return `${line}  ${size(rate)}/s`
}

/**
 * Rewrites one line on a terminal as an input is read, at most five times a second, once it has taken
 * over a second; such an input keeps its last line when done. `clear()` removes a line being rewritten
 * (before other text is written to the terminal).
 */
export class ProgressDisplay {
  private input: string | null = null
  private started = 0
  private lastWrite = 0
  private showing = false

  constructor(
    private readonly stream: {write(text: string): unknown},
    private readonly now: () => number = Date.now,
  ) {}

  update(progress: ReadProgress): void {
    const now = this.now()
    if (progress.input !== this.input) {
      this.input = progress.input
      this.started = now
      this.lastWrite = 0
    }

    if (progress.done ? !this.showing : now - this.started < QUIET_MS || now - this.lastWrite < INTERVAL_MS) return
    this.lastWrite = now
    this.stream.write(`\r\u001B[K${progressLine(progress, now - this.started)}${progress.done ? '\n' : ''}`)
    this.showing = !progress.done
  }

  clear(): void {
    if (this.showing) this.stream.write('\r\u001B[K')
    this.showing = false
  }
}
