import type {Diagnosis} from '../diagnosis/report.js'
import type {LogInput} from '../ingest/inputs.js'
import {planReading, positionToSave, type ReadingPlan, type SavedPosition} from './positions.js'
import {loadState, newState, saveState, type RunState} from './state-file.js'
import {lockState} from './state-lock.js'

/**
 * One `--state` run: the state as the last run left it, what to read this time, and, once the report is out,
 * the state to leave for the next run.
 */
export interface IncrementalRun {
  path: string
  /** The last run's state; a new one on the first run. */
  state: RunState
  /** True when no state file existed: everything named is read, and counters start at zero. */
  first: boolean
  plan: ReadingPlan
  /** Lets the next run have the state file (done at exit anyway). */
  release: () => void
}

/**
 * Locks the state file for this run (src/state/state-lock.ts), loads the state (a StateError when it cannot
 * be used or another run holds it) and plans what is new to read.
 */
export async function startIncrementalRun(path: string, inputs: LogInput[], now = new Date()): Promise<IncrementalRun> {
  const release = lockState(path, now)
  let loaded
  try {
    loaded = await loadState(path)
  } catch (error) {
    release()
    throw error
  }
  const state = loaded ?? newState(now)
  const plan = await planReading(inputs, new Map(Object.entries(state.inputs)))
  if (loaded === null) plan.notes.unshift(`no state in ${path} yet: reading everything; the next run reads only what is new`)
  return {path, state, first: loaded === null, plan, release}
}

/**
 * Marks each finding new since the last run, or still happening since it was first seen (in any run).
 * Returns the findings' first/last seen as the next state keeps them.
 */
export function markSinceLastRun(diagnosis: Diagnosis, run: IncrementalRun, now = new Date()): RunState['findings'] {
  const findings = {...run.state.findings}
  for (const finding of diagnosis.findings) {
    const known = run.state.findings[finding.rule]
    const seen = finding.lastSeen ?? now.toISOString()
    finding.sinceLastRun = known ? {new: false, firstSeen: known.firstSeen} : {new: true, firstSeen: finding.firstSeen ?? seen}
    findings[finding.rule] = {
      firstSeen: known?.firstSeen ?? finding.firstSeen ?? seen,
      lastSeen: known && known.lastSeen > seen ? known.lastSeen : seen,
    }
  }
  return findings
}

/**
 * The state after this run: each tracked log its reader finished moves to where reading stopped; the others
 * (unreadable, gone) keep their last position, so nothing is skipped once they can be read again.
 */
export async function nextState(
  run: IncrementalRun,
  findings: RunState['findings'],
  metrics: RunState['metrics'],
  positions?: Map<string, SavedPosition>,
  now = new Date(),
): Promise<RunState> {
  // --follow keeps the positions it reached itself.
  if (positions)
    return {...run.state, updated: now.toISOString(), inputs: {...run.state.inputs, ...Object.fromEntries(positions)}, findings, metrics}
  const inputs: Record<string, SavedPosition> = {...run.state.inputs}
  for (const log of run.plan.tracked) {
    if (log.identity === null || !log.position.finished) continue
    inputs[log.path] = await positionToSave({...log, identity: log.identity})
  }
  return {...run.state, updated: now.toISOString(), inputs, findings, metrics}
}

export async function finishIncrementalRun(run: IncrementalRun, state: RunState): Promise<void> {
  try {
    await saveState(run.path, state)
  } finally {
    run.release()
  }
}
