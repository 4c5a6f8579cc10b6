/**
 * What the migration policy judges: one sync attempt for one user. The readers in src/migration/ make these
 * from exports; the policy (src/policy/migration.ts) decides on them. It lives with the policy so that
 * data flows one way: exit codes, then policy, then the readers and the check that use it.
 */

/** One sync attempt for one user, as an export recorded it. */
export interface MigrationRow {
  user: string
  /** The exit code as recorded (a Dovecot code, a shell status, 128+N for a signal), or null for an API error type. */
  code: number | null
  /** Signal number from a column that records it apart from the code (GNU parallel's joblog `Signal`). */
  signal: number | null
  /** A doveadm HTTP API error type other than `exitCode` (`unAuthorized`, `internalError`, ...). */
  apiError: string | null
  /** The attempt number the export gives, if any. */
  attempt: number | null
  /** When the attempt started, in ms since the epoch. */
  started: number | null
  /** When the attempt finished (given, or the start plus a runtime column), in ms since the epoch. */
  finished: number | null
  host: string | null
  /** Captured stderr / error text, as recorded. */
  stderr: string | null
  /** The input it came from, as the user named it ("-" for stdin). */
  source: string
  /** 1-based line of the row (its first line, for a multi-line CSV record). */
  line: number
  /**
   * True for an HTTP API response whose user is only its tag read by the default tag pattern (no request
   * names it, no --tag-pattern given, not an address): reported, but never written to the user lists.
   */
  unmappedTag: boolean
  /** Position over all inputs, in reading order: the last tie-breaker between attempts. */
  order: number
}

/** A problem the policy finds in the inputs (one attempt given two results): migration check's problem shape. */
export interface PolicyProblem {
  source: string
  line: number | null
  message: string
}

/** The row's code as a shell shows it: GNU parallel records a signal apart from the exit value, as 128+N. */
export const shellCode = (row: Pick<MigrationRow, 'code' | 'signal'>): number | null => (row.signal === null ? row.code : 128 + row.signal)
