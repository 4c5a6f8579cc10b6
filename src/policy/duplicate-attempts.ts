import type {MigrationRow} from './migration-row.js'

/**
 * What tells one attempt from another. `result` stands for the result (code or 128+signal, API error):
 * any value that is the same (===) exactly when two rows' results are; the ledger uses its one shared
 * reading per result, so an identity is five fields, never the row.
 */
export interface AttemptIdentity<Result = unknown> extends AttemptFields {
  result: Result
}

/** What tells attempts apart besides their result: what a row gives. */
type AttemptFields = Pick<MigrationRow, 'attempt' | 'started' | 'finished' | 'source' | 'line'>

/** 'equal': the rows share a timestamp and every shared one agrees; 'conflict': one differs; 'unknown': none shared. */
function compareTimes(a: AttemptIdentity, b: AttemptIdentity): 'equal' | 'conflict' | 'unknown' {
  let shared = false
  for (const key of ['started', 'finished'] as const) {
    if (a[key] === null || b[key] === null) continue
    if (a[key] !== b[key]) return 'conflict'
    shared = true
  }
  return shared ? 'equal' : 'unknown'
}

/**
 * Whether two rows of one user report the same attempt (overlapping exports: a file and its .gz, a CSV
 * and a JSON Lines copy), so it must count once. The rule, as the README states it:
 * - both have attempt numbers: the same number is the same attempt, unless their times disagree (a later
 *   wave that numbers its attempts from 1 again);
 * - otherwise they must come from different inputs and agree on the result (code or 128+signal, API error) and
 *   on the times both give, at least one. Within one input, rows without attempt numbers are each an
 *   attempt (an export listing every try), and rows without times or attempt numbers are never merged:
 *   nothing tells a copy from a real repeat.
 * The same attempt given twice with the same result is 'same'; the same attempt number with another result
 * is a 'conflict' (`alice,0,1` and `alice,75,1`): one of the exports is wrong, and nothing says which.
 */
export function compareAttempts(a: AttemptIdentity, b: AttemptIdentity): 'same' | 'conflict' | 'distinct' {
  const times = compareTimes(a, b)
  if (times === 'conflict') return 'distinct'
  if (a.attempt !== null && b.attempt !== null) return a.attempt !== b.attempt ? 'distinct' : a.result === b.result ? 'same' : 'conflict'
  return a.source !== b.source && times === 'equal' && a.result === b.result ? 'same' : 'distinct'
}

/** A copy of only what tells the attempt apart (a row's, with its result given): kept per distinct attempt. */
export function identityOf<Result>(attempt: AttemptIdentity<Result>): AttemptIdentity<Result>
export function identityOf<Result>(attempt: AttemptFields, result: Result): AttemptIdentity<Result>
export function identityOf<Result>(attempt: AttemptFields & {result?: Result}, result = attempt.result as Result): AttemptIdentity<Result> {
  return {
    attempt: attempt.attempt,
    result,
    started: attempt.started,
    finished: attempt.finished,
    source: attempt.source,
    line: attempt.line,
  }
}
