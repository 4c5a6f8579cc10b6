import {open, readFile, rename, unlink} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import type {SavedPosition} from './positions.js'

/**
 * `dovediag logs --state FILE`: what one run leaves for the next. One JSON document, written whole and
 * atomically (a temporary file renamed over it) after the report, so a failed or interrupted run leaves the
 * last good one. Shape (version 1; fields are only ever added):
 * - `inputs`: per live log (absolute path), where reading stopped (see SavedPosition);
 * - `findings`: per rule, when it was first and last seen over all runs;
 * - `metrics`: counters kept across runs for `--format prometheus` and `openmetrics`, so they never go backwards.
 */
export interface RunState {
  format: typeof STATE_FORMAT
  version: 1
  /** When this state was started: the counters count from then. */
  created: string
  updated: string
  inputs: Record<string, SavedPosition>
  findings: Record<string, {firstSeen: string; lastSeen: string}>
  metrics: Record<string, number>
}

export const STATE_FORMAT = 'dovediag-state'

/** A state file that cannot be used: said as one line; the run stops before reading anything (exit 2). */
export class StateError extends Error {}

export function newState(now: Date): RunState {
  return {format: STATE_FORMAT, version: 1, created: now.toISOString(), updated: now.toISOString(), inputs: {}, findings: {}, metrics: {}}
}

/**
 * The state in `path`, or null when there is none yet (the first run). Anything else that is not a state
 * this version wrote is an error: reading everything again silently would report old problems as new.
 */
export async function loadState(path: string): Promise<RunState | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    throw new StateError(
      `cannot read the state file ${path}: ${code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (error as Error).message}`,
    )
  }
  const fix = `move it away to start over (the next run then reads everything again)`
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new StateError(`state file ${path} is corrupt (not JSON): ${fix}`)
  }
  const state = data as Partial<RunState> | null
  if (typeof state !== 'object' || state === null || state.format !== STATE_FORMAT)
    throw new StateError(`${path} is not a dovediag state file: give --state a file of its own`)
  if (state.version !== 1)
    throw new StateError(
      `state file ${path} has version ${String(state.version)}, which this dovediag does not know (written by a newer one?)`,
    )
  const problem = shapeProblem(state)
  if (problem !== null) throw new StateError(`state file ${path} is corrupt (${problem}): ${fix}`)
  return state as RunState
}

const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function shapeProblem(state: Partial<RunState>): string | null {
  if (typeof state.created !== 'string' || Number.isNaN(Date.parse(state.created))) return 'no valid "created" time'
  if (!isObject(state.inputs)) return 'no "inputs" object'
  for (const [path, position] of Object.entries(state.inputs)) {
    const p = position as unknown as Record<string, unknown>
    const fields = ['dev', 'ino', 'size', 'offset', 'line', 'fingerprintBytes'].filter((field) => !isCount(p?.[field]))
    if (fields.length > 0 || typeof p.fingerprint !== 'string') return `input ${path}: bad ${fields[0] ?? 'fingerprint'}`
  }
  if (!isObject(state.findings)) return 'no "findings" object'
  for (const [rule, seen] of Object.entries(state.findings)) {
    if (!isObject(seen) || typeof seen.firstSeen !== 'string' || typeof seen.lastSeen !== 'string')
      return `finding ${rule}: bad first/last seen`
  }
  if (!isObject(state.metrics) || !Object.values(state.metrics).every(isCount)) return 'bad "metrics"'
  return null
}

/**
 * Writes `state` to `path` atomically: to a temporary file beside it, flushed to disk, then renamed over
 * it. A reader (or a crash) sees the old state or the new one, never half of one.
 */
export async function saveState(path: string, state: RunState): Promise<void> {
  await writeFileAtomically(path, JSON.stringify(state, null, 1) + '\n')
}

/** `text` into `path` through a temporary file in the same directory and a rename (also --output). */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  // node:crypto is imported when a file is written, not by every run that imports this module.
  const {randomBytes} = await import('node:crypto')
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx', 0o644)
    try {
      await handle.writeFile(text)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await unlink(temporary).catch(() => {})
    throw error
  }
}
