import {parseISO} from 'date-fns/parseISO' // the subpath: the date-fns index loads all of it (~90 ms of start-up)

import {ExitCodeInputError, parseCodeArgument} from '../exit-codes/explain.js'
import type {MigrationRow} from '../policy/migration-row.js'
import {type ColumnOverrides, userNameProblem} from './record.js'

/** The fields a result row can carry. */
export type Field = 'user' | 'code' | 'signal' | 'attempt' | 'started' | 'finished' | 'runtime' | 'host' | 'stderr' | 'command'

/**
 * The column names (or JSON keys) recognised for each field, compared after lower-casing and dropping
 * everything but letters and digits (`exit_code`, `Exit-Code` and `exitcode` are one name). Earlier
 * names win when a header has several. GNU parallel's `--joblog` and `--results` headers are covered:
 * `V1` (the first input value) is the user, `Exitval` the code, `Starttime` + `JobRuntime` the time.
 */
const COLUMN_NAMES: Record<Field, string[]> = {
  user: ['user', 'username', 'login', 'email', 'account', 'mail', 'v1'],
  code: ['exitcode', 'exit', 'code', 'rc', 'exitval', 'exitstatus', 'returncode', 'status'],
  signal: ['signal'],
  attempt: ['attempt', 'attempts', 'try', 'tries', 'retry'],
  started: ['started', 'start', 'starttime', 'startedat', 'begin'],
  finished: ['finished', 'finish', 'end', 'endtime', 'finishedat', 'ended', 'time', 'timestamp', 'date'],
  runtime: ['jobruntime', 'runtime', 'duration'],
  host: ['host', 'hostname', 'server', 'backend', 'node'],
  stderr: ['stderr', 'error', 'errors', 'message', 'output'],
  command: ['command', 'cmd'],
}

const FIELDS = Object.keys(COLUMN_NAMES) as Field[]

function normalizeColumnName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '')
}

/** Field → index into the header (or the JSON object's keys). */
export type ColumnMap = Partial<Record<Field, number>>

/** Maps a header to fields; an override names its column exactly (case-insensitively). */
export function resolveColumns(header: string[], overrides: ColumnOverrides = {}): ColumnMap {
  const normalized = header.map((name) => normalizeColumnName(name))
  const map: ColumnMap = {}
  for (const field of FIELDS) {
    const override = overrides[field as keyof ColumnOverrides]
    if (override !== undefined) {
      const index = header.findIndex((name) => name.trim().toLowerCase() === override.trim().toLowerCase())
      if (index >= 0) map[field] = index
      continue
    }
    for (const candidate of COLUMN_NAMES[field]) {
      const index = normalized.indexOf(candidate)
      if (index >= 0 && !Object.values(map).includes(index)) {
        map[field] = index
        break
      }
    }
  }
  return map
}

/** Why a header cannot give rows, or null when it can. */
export function headerProblem(header: string[], map: ColumnMap, overrides: ColumnOverrides = {}): string | null {
  const missing: string[] = []
  if (overrides.user !== undefined && map.user === undefined) missing.push(`no column named '${overrides.user}' (--user-col)`)
  if (overrides.code !== undefined && map.code === undefined) missing.push(`no column named '${overrides.code}' (--code-col)`)
  if (overrides.stderr !== undefined && map.stderr === undefined) missing.push(`no column named '${overrides.stderr}' (--stderr-col)`)
  if (map.user === undefined && map.command === undefined && overrides.user === undefined) {
    missing.push(`no user column (looked for ${COLUMN_NAMES.user.join(', ')}; name it with --user-col)`)
  }
  if (map.code === undefined && overrides.code === undefined) {
    missing.push(`no exit code column (looked for ${COLUMN_NAMES.code.join(', ')}; name it with --code-col)`)
  }
  if (missing.length === 0) return null
  return `${missing.join('; ')}; header: ${header.map((name) => JSON.stringify(name)).join(', ')}`
}

// doveadm's -u in a recorded command line: `doveadm backup -u 'jdoe@example.com' ...`, quoted or not.
const USER_OPTION = /(?:^|\s)-u\s*(?:'([^']*)'|"([^"]*)"|([^\s'"]+))/

/** The user a doveadm command line runs for (its `-u`), or null. */
export function userFromCommand(command: string): string | null {
  const match = USER_OPTION.exec(command)
  const user = match ? (match[1] ?? match[2] ?? match[3]) : undefined
  return user && user.trim() !== '' ? user.trim() : null
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null
  const result =
    typeof value === 'string' ? value.trim() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : objectText(value)
  return result === '' ? null : result
}

/** A JSON object or array where text was expected, as JSON; '' when it is too deep to write out. */
function objectText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return ''
  }
}

// GNU parallel writes ':' for the local machine.
function hostName(host: string | null): string | null {
  return host === ':' ? null : host
}

/** Epoch seconds (GNU parallel's Starttime), epoch milliseconds, or an ISO 8601 date-time. */
export function parseTime(value: unknown): number | null {
  const raw = text(value)
  if (raw === null) return null
  if (/^\d+(\.\d+)?$/.test(raw)) {
    const number = Number(raw)
    return number > 1e11 ? number : Math.round(number * 1000)
  }
  // Exports mostly carry RFC 3339 stamps with a zone, which Date.parse reads exactly and ~10× faster
  // than date-fns; anything else (no zone: local time, a bare date, week dates) goes to parseISO.
  const time = ZONED_ISO.test(raw) ? Date.parse(raw) : parseISO(raw).getTime()
  return Number.isNaN(time) ? null : time
}

const ZONED_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:\d\d)$/

/**
 * One row's values (a CSV record, or a JSON object's values) made into a row (order 0: collectRows numbers it),
 * or the reason it cannot be.
 */
export function rowFromValues(
  values: readonly unknown[],
  map: ColumnMap,
  where: {source: string; line: number},
): MigrationRow | {error: string} {
  const get = (field: Field): unknown => (map[field] === undefined ? undefined : values[map[field]])
  const command = text(get('command'))
  const user = text(get('user')) ?? (command ? userFromCommand(command) : null)
  if (user === null) {
    return {error: map.user === undefined && map.command !== undefined ? 'no user: the command has no -u USER' : 'no user in this row'}
  }
  const badName = userNameProblem(user)
  if (badName !== null) return {error: badName}
  const codeText = text(get('code'))
  if (codeText === null) return {error: `no exit code for user ${user}`}
  let code: number
  try {
    code = parseCodeArgument(codeText)
  } catch (error) {
    if (error instanceof ExitCodeInputError) return {error: `exit code '${codeText}' for user ${user} is not a number or a known label`}
    throw error
  }
  const signalText = text(get('signal'))
  const signal = signalText === null ? 0 : Number(signalText)
  if (!Number.isInteger(signal) || signal < 0) return {error: `signal '${signalText}' for user ${user} is not a number`}
  const attemptText = text(get('attempt'))
  const attempt = attemptText === null ? null : Number(attemptText)
  if (attempt !== null && (!Number.isInteger(attempt) || attempt < 0)) {
    return {error: `attempt '${attemptText}' for user ${user} is not a whole number`}
  }
  const started = parseTime(get('started'))
  const runtime = Number(text(get('runtime')) ?? Number.NaN)
  const finished =
    parseTime(get('finished')) ?? (started !== null && Number.isFinite(runtime) ? Math.round(started + runtime * 1000) : null)
  const stderrValue = get('stderr')
  return {
    user,
    code,
    signal: signal === 0 ? null : signal,
    apiError: null,
    attempt,
    started,
    finished,
    host: hostName(text(get('host'))),
    stderr: typeof stderrValue === 'string' && stderrValue.trim() !== '' ? stderrValue : text(stderrValue),
    source: where.source,
    line: where.line,
    unmappedTag: false,
    order: 0,
  }
}
