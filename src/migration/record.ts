/**
 * What the migration readers produce besides the rows (src/policy/migration-row.ts): the problems found in
 * the inputs, the formats, column overrides and the HTTP API's shapes.
 */

import type {InputProblem} from '../input/problem.js'
import type {MigrationRow} from '../policy/migration-row.js'

// C0 and C1 controls, DEL, and Unicode line/paragraph separators: none belongs in a user name, and a
// newline in one would add a line to a `doveadm -F` list.
const CONTROL_IN_NAME = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/

/** Why a user name read from an input cannot be used, or null when it can. */
export function userNameProblem(user: string): string | null {
  return CONTROL_IN_NAME.test(user) ? `user name ${JSON.stringify(user)} holds control characters` : null
}

/**
 * A problem with an input: unreadable, empty, a bad row. Counted and reported; the rest goes on. The
 * `--json` shape of src/input/problem.ts's problems (missing, unreadable, truncated gzip), which
 * `fromInputProblem` converts.
 */
export interface MigrationProblem {
  source: string
  /** 1-based line, or null when the problem is with the whole input. */
  line: number | null
  message: string
}

export const fromInputProblem = (problem: InputProblem): MigrationProblem => ({
  source: problem.input,
  line: problem.line,
  message: problem.message,
})

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
  /** A row, its `order` 0: collectRows numbers it. */
  row(row: MigrationRow): void
  problem(problem: MigrationProblem): void
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
  line: number
}

/**
 * Something the team should know that loses no result: users told apart only by case, HTTP API responses
 * to other commands, tags that name no user. Said on stderr and in every format; the status is unchanged.
 */
export interface MigrationWarning {
  kind: 'case-variants' | 'ignored-api-responses' | 'unmapped-tags'
  message: string
}
