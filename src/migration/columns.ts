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
    typeof value === 'string' ? trimmed(value) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : objectText(value)
  return result === '' ? null : result
}

/**
 * `value.trim()`, without the call when both ends are printable ASCII other than a space (so not white space
 * of any kind), as nearly every field is: trim() was ~1 % of checking the bench's 100 000-row CSV (callgrind).
 */
function trimmed(value: string): string {
  const last = value.length - 1
  if (last >= 0) {
    const first = value.charCodeAt(0)
    const end = value.charCodeAt(last)
    if (first > 0x20 && first < 0x7f && end > 0x20 && end < 0x7f) return value
  }
  return value.trim()
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
  const stamp = utcStamp(raw)
  if (stamp !== null) return stamp
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

const DASH = 0x2d
const COLON = 0x3a
const DOT = 0x2e
const T = 0x54
const Z = 0x5a

/**
 * The stamp shapes exports nearly always write, `2026-11-23T01:00:22.507Z` and `2026-11-23T01:00:22Z`, read
 * from their digits to what Date.parse gives; null for any other text, or a field Date.parse might read
 * otherwise (hour 24, a month or day out of range), which parseTime hands to Date.parse. Date.parse costs ~2 400
 * instructions a stamp (callgrind): 6 % of checking the bench's 100 000-row CSV, with its 200 000 stamps.
 * test/migration/columns.test.ts holds it to Date.parse on random stamps.
 */
function utcStamp(raw: string): number | null {
  const length = raw.length
  if (length !== 20 && length !== 24) return null
  if (raw.charCodeAt(4) !== DASH || raw.charCodeAt(7) !== DASH || raw.charCodeAt(10) !== T) return null
  if (raw.charCodeAt(13) !== COLON || raw.charCodeAt(16) !== COLON || raw.charCodeAt(length - 1) !== Z) return null
  const year = digits(raw, 0, 4)
  const month = digits(raw, 5, 2)
  const day = digits(raw, 8, 2)
  const hour = digits(raw, 11, 2)
  const minute = digits(raw, 14, 2)
  const second = digits(raw, 17, 2)
  let millisecond = 0
  if (length === 24) {
    if (raw.charCodeAt(19) !== DOT) return null
    millisecond = digits(raw, 20, 3)
  }
  // digits() gives -1 for a non-digit: every check below fails for it.
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23) return null
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || millisecond < 0) return null
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + millisecond
}

/** The whole number written by `count` ASCII digits at `at`, or -1 when one of them is not a digit. */
function digits(raw: string, at: number, count: number): number {
  let value = 0
  for (let index = at; index < at + count; index++) {
    const digit = raw.charCodeAt(index) - 0x30
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). A day past its month's end
 * (February 31) runs on into the next month, as Date.parse reads it.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const marchYear = month <= 2 ? year - 1 : year
  const era = Math.floor(marchYear / 400)
  const yearOfEra = marchYear - era * 400
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

/**
 * The value of 1 to 9 ASCII digits, as parseCodeArgument reads them (its other cases: a sign, a label, a
 * signal name, range checks), else null. Nearly every code column holds such a number, and parseCodeArgument
 * runs three regular expressions on it.
 */
function smallWholeNumber(text: string): number | null {
  const value = text.length >= 1 && text.length <= 9 ? digits(text, 0, text.length) : -1
  return value < 0 ? null : value
}

/**
 * One row's values (a CSV record, or a JSON object's values) made into a row (order 0: collectRows numbers it),
 * or the reason it cannot be.
 */
export function rowFromValues(
  values: readonly unknown[],
  map: ColumnMap,
  where: {source: string; line: number},
): MigrationRow | {error: string} {
  // Each field by name (map.user), not by a `get(field)` reading map[field]: a load by a key that varies is
  // V8's megamorphic keyed load, ~200 instructions each, ~10 a row (2.5 % of the bench's CSV check, callgrind).
  const at = (index: number | undefined): unknown => (index === undefined ? undefined : values[index])
  const command = text(at(map.command))
  const user = text(at(map.user)) ?? (command ? userFromCommand(command) : null)
  if (user === null) {
    return {error: map.user === undefined && map.command !== undefined ? 'no user: the command has no -u USER' : 'no user in this row'}
  }
  const badName = userNameProblem(user)
  if (badName !== null) return {error: badName}
  const codeText = text(at(map.code))
  if (codeText === null) return {error: `no exit code for user ${user}`}
  let code: number
  try {
    code = smallWholeNumber(codeText) ?? parseCodeArgument(codeText)
  } catch (error) {
    if (error instanceof ExitCodeInputError) return {error: `exit code '${codeText}' for user ${user} is not a number or a known label`}
    throw error
  }
  const signalText = text(at(map.signal))
  const signal = signalText === null ? 0 : Number(signalText)
  if (!Number.isInteger(signal) || signal < 0) return {error: `signal '${signalText}' for user ${user} is not a number`}
  const attemptText = text(at(map.attempt))
  const attempt = attemptText === null ? null : Number(attemptText)
  if (attempt !== null && (!Number.isInteger(attempt) || attempt < 0)) {
    return {error: `attempt '${attemptText}' for user ${user} is not a whole number`}
  }
  const started = parseTime(at(map.started))
  const runtime = Number(text(at(map.runtime)) ?? Number.NaN)
  const finished =
    parseTime(at(map.finished)) ?? (started !== null && Number.isFinite(runtime) ? Math.round(started + runtime * 1000) : null)
  const stderrValue = at(map.stderr)
  return {
    user,
    code,
    signal: signal === 0 ? null : signal,
    apiError: null,
    attempt,
    started,
    finished,
    host: hostName(text(at(map.host))),
    stderr: typeof stderrValue === 'string' && stderrValue.trim() !== '' ? stderrValue : text(stderrValue),
    source: where.source,
    line: where.line,
    unmappedTag: false,
    order: 0,
  }
}
