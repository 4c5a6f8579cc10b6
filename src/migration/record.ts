/**
 * What the migration readers produce: one result row per sync attempt, and the problems found in the
 * inputs. The contract between src/migration/ (reading) and src/policy/migration.ts (deciding).
 */

import type {InputProblem as SharedInputProblem} from '../input/problem.js'

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
  /** Position over all inputs, in reading order: the last tie-breaker between attempts. */
  order: number
}

/** The row's code as a shell shows it: GNU parallel records a signal apart from the exit value, as 128+N. */
export const shellCode = (row: Pick<MigrationRow, 'code' | 'signal'>): number | null => (row.signal === null ? row.code : 128 + row.signal)

/**
 * A problem with an input: unreadable, empty, a bad row. Counted and reported; the rest goes on. The
 * `--json` shape of src/input/problem.ts's problems (missing, unreadable, truncated gzip), which
 * `fromInputProblem` converts.
 */
export interface InputProblem {
  source: string
  /** 1-based line, or null when the problem is with the whole input. */
  line: number | null
  message: string
}

export const fromInputProblem = (problem: SharedInputProblem): InputProblem => ({source: problem.input, line: problem.line, message: problem.message})

/** The input shapes `migration check` reads. */
export const INPUT_FORMATS = [
  'csv', // comma-separated with a header
  'tsv', // tab-separated with a header
  'semicolon', // semicolon-separated with a header (imapsync-style files)
  'joblog', // GNU parallel --joblog
  'json', // one JSON document: an array of result objects, or a doveadm HTTP API payload
  'jsonl', // JSON Lines: result objects or doveadm HTTP API responses, one per line
] as const
export type InputFormat = (typeof INPUT_FORMATS)[number]

/** Column names given on the command line; they win over the recognised names. */
export interface ColumnOverrides {
  user?: string
  code?: string
  stderr?: string
}

/** Where readers put what they find. */
export interface RowSink {
  row(row: Omit<MigrationRow, 'order'>): void
  problem(problem: InputProblem): void
  /** A doveadm HTTP API response, joined to its user by tag once every input is read. */
  apiResponse(response: ApiResponse): void
  /** A doveadm HTTP API request seen in the input: tells which user a tag belongs to. */
  apiRequest(request: ApiRequest): void
}

export interface ApiResponse {
  tag: string
  /** Exit code for `doveadmResponse` (0) and `error`/`exitCode`; null for other error types. */
  code: number | null
  apiError: string | null
  source: string
  line: number
}

export interface ApiRequest {
  tag: string
  user: string
  command: string
  /** The input it came from. */
  source: string
}
