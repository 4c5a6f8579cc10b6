// Subpath imports: the date-fns index costs ~85 ms of startup.
import {addDays} from 'date-fns/addDays'
import {isValid} from 'date-fns/isValid'
import {parseISO} from 'date-fns/parseISO'
import {startOfDay} from 'date-fns/startOfDay'

import type {Severity} from '../catalog/rule.js'
import type {LogLevel, LogRecord} from '../ingest/record.js'

/** What the user narrowed the report to. Times are epoch milliseconds. */
export interface RecordFilter {
  since?: number
  until?: number
  users?: string[]
  services?: string[]
  /** Dovecot levels; a record with none (another program's line) is left out. */
  levels?: LogLevel[]
}

export interface FindingFilter {
  minSeverity?: Severity
  rules?: string[]
}

const RELATIVE = /^(\d+)\s*(s|sec|m|min|h|hour|d|day|w|week)s?$/i
const UNIT_MS: Record<string, number> = {
  s: 1e3,
  sec: 1e3,
  m: 6e4,
  min: 6e4,
  h: 36e5,
  hour: 36e5,
  d: 864e5,
  day: 864e5,
  w: 6048e5,
  week: 6048e5,
}
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
/** The largest time a Date holds (ms from the epoch, either way). */
const MAX_TIME = 8.64e15

/**
 * A --since/--until value as an instant: `2h`, `30m`, `7d` (ago), `now`, `today`, `yesterday`, a time of day
 * (`10:30`, today), a date (`2026-11-23`) or a date and time (`2026-11-23 10:30`, ISO 8601 with or without a zone).
 * As an end (`--until`), a bare date or day word means the end of that day. Local zone unless one is given.
 * Returns undefined when the text is none of these.
 */
export function parseInstant(text: string, now: number, end = false): number | undefined {
  const value = text.trim().toLowerCase()
  const relative = RELATIVE.exec(value)
  if (relative) {
    const instant = now - Number(relative[1]) * UNIT_MS[relative[2].toLowerCase()]
    return Math.abs(instant) <= MAX_TIME ? instant : undefined // `99999999999d` is before any date
  }
  if (value === 'now') return now
  if (value === 'today' || value === 'yesterday') {
    const day = startOfDay(value === 'today' ? now : addDays(now, -1))
    return (end ? addDays(day, 1) : day).getTime()
  }
  const time = TIME_OF_DAY.exec(value)
  if (time) {
    // setHours would roll 25:61 over into tomorrow: only a real time of day is one.
    if (Number(time[1]) > 23 || Number(time[2]) > 59 || Number(time[3] ?? 0) > 59) return undefined
    const day = startOfDay(now)
    day.setHours(Number(time[1]), Number(time[2]), Number(time[3] ?? 0))
    return isValid(day) ? day.getTime() : undefined
  }
  const date = parseISO(text.trim())
  if (!isValid(date)) return undefined
  return end && DATE_ONLY.test(text.trim()) ? addDays(date, 1).getTime() : date.getTime()
}

/**
 * Whether a log's user is one the user asked for: case-insensitive (Dovecot logs the name as the client typed
 * it), and a bare local part (`bob`) stands for that user at any domain (`bob@example.com`). `wanted` is
 * lower-cased (parseFilters does it).
 */
export function userMatches(user: string, wanted: readonly string[]): boolean {
  const name = user.toLowerCase()
  if (wanted.includes(name)) return true
  const at = name.lastIndexOf('@')
  return at > 0 && wanted.includes(name.slice(0, at))
}

/** Whether a record is inside the filter. A record with no time is kept only when no time bound is set. */
export function recordPasses(record: LogRecord, filter: RecordFilter): boolean {
  if (filter.since !== undefined || filter.until !== undefined) {
    if (record.time === null) return false
    if (filter.since !== undefined && record.time < filter.since) return false
    if (filter.until !== undefined && record.time >= filter.until) return false
  }
  if (filter.users && (record.user === null || !userMatches(record.user, filter.users))) return false
  if (filter.services && (record.service === null || !filter.services.includes(record.service))) return false
  if (filter.levels && (record.level === null || !filter.levels.includes(record.level))) return false
  return true
}

/** The filter flags of `dovediag logs`, as typed. */
export interface FilterFlags {
  since?: string
  until?: string
  user?: string[]
  service?: string[]
  level?: LogLevel[]
  minSeverity?: Severity
  rule?: string[]
}

export class FilterError extends Error {
  /** Set for a --rule id no rule has, so the caller can offer the nearest ids. */
  constructor(
    message: string,
    readonly unknownRule?: string,
  ) {
    super(message)
  }
}

/** Turns the flags into filters, or throws a FilterError naming the flag and value that make no sense. */
export function parseFilters(
  flags: FilterFlags,
  knownRules: readonly string[],
  now = Date.now(),
): {records: RecordFilter; findings: FindingFilter} {
  const instant = (flag: string, text: string | undefined, end: boolean): number | undefined => {
    if (text === undefined) return undefined
    const value = parseInstant(text, now, end)
    if (value === undefined)
      throw new FilterError(`--${flag} '${text}' is not a time: use 2h, 30m, 7d, today, yesterday, 10:30, 2026-11-23 or 2026-11-23T10:30`)
    return value
  }
  const since = instant('since', flags.since, false)
  const until = instant('until', flags.until, true)
  if (since !== undefined && until !== undefined && since >= until)
    throw new FilterError(`--since '${flags.since}' is not before --until '${flags.until}'`)
  for (const rule of flags.rule ?? []) {
    if (!knownRules.includes(rule)) throw new FilterError(`--rule '${rule}' is not a rule id`, rule)
  }
  return {
    records: {since, until, users: flags.user?.map((user) => user.toLowerCase()), services: flags.service, levels: flags.level},
    findings: {minSeverity: flags.minSeverity, rules: flags.rule},
  }
}

/** Distinct names kept per kind for suggestions: a log with more users than this still gives the first ones. */
const NAMES_KEPT = 10_000

/**
 * For a --user or --service value that matched no line: the names the log does have, to suggest from. Looks
 * only at what the filter compares, and only when such a filter was given.
 */
export class FilterNames {
  private readonly users = new Set<string>()
  private readonly services = new Set<string>()
  private readonly matched = new Set<string>()

  constructor(private readonly filter: RecordFilter) {}

  /** Null when no --user or --service filter was given: nothing to watch. */
  static for(filter: RecordFilter | undefined): FilterNames | null {
    return filter && (filter.users || filter.services) ? new FilterNames(filter) : null
  }

  add(record: LogRecord): void {
    const {users, services} = this.filter
    if (users && record.user !== null) {
      if (this.users.size < NAMES_KEPT) this.users.add(record.user)
      for (const wanted of users) if (userMatches(record.user, [wanted])) this.matched.add(`user:${wanted}`)
    }
    if (services && record.service !== null) {
      if (this.services.size < NAMES_KEPT) this.services.add(record.service)
      if (services.includes(record.service)) this.matched.add(`service:${record.service}`)
    }
  }

  /** Each --user and --service value that matched no line, with the names of its kind the log had. */
  unmatched(): {flag: 'user' | 'service'; value: string; seen: string[]}[] {
    const missing = (flag: 'user' | 'service', values: readonly string[] | undefined, seen: Set<string>) =>
      (values ?? []).filter((value) => !this.matched.has(`${flag}:${value}`)).map((value) => ({flag, value, seen: [...seen]}))
    return [...missing('user', this.filter.users, this.users), ...missing('service', this.filter.services, this.services)]
  }
}
