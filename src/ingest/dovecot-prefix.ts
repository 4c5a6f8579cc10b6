import {DOVECOT_SERVICES, isDsyncService, serviceName} from './dovecot-programs.js'
import type {LogLevel, LogRecord} from './record.js'

/**
 * Dovecot's process prefix: `master: `, `auth-worker(123): `, `imap(jdoe): ` (2.2),
 * `imap(jdoe)<1234><AbCdEf12>: ` (2.3+), `dsync-local(jdoe)<AbCd>: `, `doveadm(203.0.113.5,jdoe): `.
 * As a regex: `([A-Za-z][\w.-]*)(?:\(([^()]*)\))?(?:<([^<>]*)>)?(?:<([^<>]*)>)?: `. Read by hand (see
 * readProcessPrefix): it runs on every line, and a scan costs a fraction of a regex run and its match array.
 */
export interface ProcessPrefix {
  /** Where the process name ends (it starts where the prefix does). */
  nameEnd: number
  /** Start and end of the text in `(...)`, `<...>` and the second `<...>`; both -1 when there is none. */
  argStart: number
  argEnd: number
  firstStart: number
  firstEnd: number
  secondStart: number
  secondEnd: number
  /** Just past the prefix's `: `. */
  end: number
}

/** An auth request prefix at the start of an auth message: `passwd-file(jdoe,203.0.113.5[,master][,<AbCd>]): `. */
const AUTH_REQUEST = /^[\w-]+\(([^,()]*),([^,()<>]*)[^()<]*(?:<([^<>]*)>)?\): /

// Dovecot's level words (src/lib/failures.c failure_log_type_prefixes), by the code of their first letter.
const LEVEL_WORDS: ([string, LogLevel] | undefined)[] = []
for (const word of [
  ['Debug: ', 'debug'],
  ['Info: ', 'info'],
  ['Warning: ', 'warning'],
  ['Error: ', 'error'],
  ['Fatal: ', 'fatal'],
  ['Panic: ', 'panic'],
] as [string, LogLevel][]) {
  LEVEL_WORDS[word[0].charCodeAt(0)] = word
}

/** The level word (`Error: ` ...) at `at`, or undefined. */
export function levelWordAt(text: string, at: number): [string, LogLevel] | undefined {
  const c = text.charCodeAt(at) // NaN past the end: not below the length
  const word = c < LEVEL_WORDS.length ? LEVEL_WORDS[c] : undefined
  return word !== undefined && text.startsWith(word[0], at) ? word : undefined
}

/** The number written in text[start, end), when that is 1 to 10 digits (a pid); otherwise null. */
function pidAt(text: string, start: number, end: number): number | null {
  if (end <= start || end - start > 10) return null
  let value = 0
  for (let at = start; at < end; at++) {
    const digit = text.charCodeAt(at) - 48
    if (digit < 0 || digit > 9) return null
    value = value * 10 + digit
  }

  return value
}

const looksLikeIp = (s: string): boolean => /^[\d.]+$|:/.test(s) && s.length > 2

/**
 * Where the first word of a process prefix at `at` ends: at the `:`, `(` or `<` after it; -1 when a
 * space comes first (as after a syslog host name). A scan, so lines of other shapes cost no regex run
 * or allocation.
 */
function prefixWordEnd(text: string, at: number): number {
  for (let end = at; end < text.length && end - at < 64; end++) {
    const c = text.charCodeAt(end)
    if (c === 58 || c === 40 || c === 60) return end // ':' '(' '<'
    if (c === 32) return -1
  }

  return -1
}

/** A process prefix could start at `at`. */
export const mayStartProcessPrefix = (text: string, at: number): boolean => prefixWordEnd(text, at) > at

/** The first word of a process prefix at `at` is one of Dovecot's processes: a quick test for lines of unknown programs. */
export function startsWithDovecotService(text: string, at: number): boolean {
  const end = prefixWordEnd(text, at)
  return end > at && DOVECOT_SERVICES.has(serviceName(text.slice(at, end)))
}

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
/** `[\w.-]`: a letter, a digit, `_`, `.` or `-`. */
const isNameChar = (c: number): boolean => isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45

/**
 * Where `text` ends the bracketed part that starts at `open` (which holds `(` or `<`): the index of the first
 * `close` after it, or -1 when another `opening` comes first or there is no `close`.
 */
function bracketEnd(text: string, open: number, opening: number, close: number): number {
  for (let at = open + 1; at < text.length; at++) {
    const c = text.charCodeAt(at)
    if (c === close) return at
    if (c === opening) return -1
  }

  return -1
}

const scanned: ProcessPrefix = {nameEnd: 0, argStart: -1, argEnd: -1, firstStart: -1, firstEnd: -1, secondStart: -1, secondEnd: -1, end: 0}

/**
 * Reads a process prefix starting exactly at `at`, as the sticky regex above would: the same parts, or null
 * where it finds none. Every optional part is decided by its first character (a name cannot go on with `(`,
 * `<` or `:`), so giving one back never lets the rest match and no backtracking is needed. The result is one
 * reused object: read it before the next call.
 */
export function readProcessPrefix(text: string, at: number): ProcessPrefix | null {
  if (!isLetter(text.charCodeAt(at))) return null
  let pos = at + 1
  while (isNameChar(text.charCodeAt(pos))) pos++
  scanned.nameEnd = pos
  scanned.argStart = scanned.argEnd = scanned.firstStart = scanned.firstEnd = scanned.secondStart = scanned.secondEnd = -1
  if (text.charCodeAt(pos) === 40) {
    const close = bracketEnd(text, pos, 40, 41) // ( )
    if (close === -1) return null
    scanned.argStart = pos + 1
    scanned.argEnd = close
    pos = close + 1
  }

  if (text.charCodeAt(pos) === 60) {
    const close = bracketEnd(text, pos, 60, 62) // < >
    if (close === -1) return null
    scanned.firstStart = pos + 1
    scanned.firstEnd = close
    pos = close + 1
    if (text.charCodeAt(pos) === 60) {
      const secondClose = bracketEnd(text, pos, 60, 62)
      if (secondClose === -1) return null
      scanned.secondStart = pos + 1
      scanned.secondEnd = secondClose
      pos = secondClose + 1
    }
  }

  if (text.charCodeAt(pos) !== 58 || text.charCodeAt(pos + 1) !== 32) return null // ': '
  scanned.end = pos + 2
  return scanned
}

/**
 * Parses the Dovecot part of a line from `at`: `<process prefix><Level: ><message>`, filling
 * service, user, pid, session, ip, level and message of `record`. The level is Dovecot's own word;
 * without one, level stays as the caller set it (a syslog/journal priority, or null).
 * Returns false when there is neither a process prefix nor a level word, leaving `record` untouched.
 */
export function parseDovecotText(text: string, at: number, record: LogRecord): boolean {
  let pos = at
  let word = levelWordAt(text, pos)
  let service: string | null = null
  let user: string | null = null
  let pid: number | null = null
  let session: string | null = null
  let ip: string | null = null
  // Dovecot 1.x, and some collectors, put the level word before the process prefix: `Error: IMAP(jdoe): ...`.
  const levelFirst =
    word !== undefined && startsWithDovecotService(text, pos + word[0].length) && readProcessPrefix(text, pos + word[0].length) !== null
  if (word === undefined || levelFirst) {
    const start = levelFirst ? pos + word![0].length : pos
    const m = readProcessPrefix(text, start)
    if (m === null) return false
    service = serviceName(text.slice(start, m.nameEnd))
    // Pids are read from the digits in place: no string for them.
    if (m.argEnd > m.argStart) {
      const argPid = m.firstStart === -1 ? pidAt(text, m.argStart, m.argEnd) : null
      if (argPid !== null)
        pid = argPid // auth-worker(123), lmtp(4567)
      else {
        const arg = text.slice(m.argStart, m.argEnd)
        const comma = arg.indexOf(',')
        if (comma === -1) user = arg
        else {
          const a = arg.slice(0, comma)
          const b = arg.slice(comma + 1)
          if (looksLikeIp(a))
            [ip, user] = [a, b] // doveadm(ip,user)
          else [user, ip] = [a, looksLikeIp(b) ? b : null]
        }
      }
    }

    if (m.secondStart !== -1) {
      pid = pidAt(text, m.firstStart, m.firstEnd) ?? pid
      session = text.slice(m.secondStart, m.secondEnd)
    } else if (m.firstStart !== -1) {
      const firstPid = isDsyncService(service) ? null : pidAt(text, m.firstStart, m.firstEnd)
      if (firstPid !== null) pid = firstPid
      else session = text.slice(m.firstStart, m.firstEnd)
    }

    pos = m.end
    if (!levelFirst) word = levelWordAt(text, pos)
    else {
      record.level = word![1]
      record.levelSource = 'word'
      word = undefined
    }
  }

  if (word !== undefined) {
    pos += word[0].length
    record.level = word[1]
    record.levelSource = 'word'
  }

  const message = pos === 0 ? text : text.slice(pos)
  // Fields the message states itself (login lines, auth requests), when the prefix did not. Searched in
  // the line from the message's start rather than in the message: a search of a sliced string costs more.
  if (user === null) user = angleField(text, pos, 'user=<')
  if (ip === null) ip = plainField(text, pos, 'rip=')
  if (session === null) session = angleField(text, pos, 'session=<')
  if (user === null && service !== null && service.startsWith('auth')) {
    const auth = AUTH_REQUEST.exec(message)
    if (auth !== null) {
      user = auth[1] || null
      if (ip === null && looksLikeIp(auth[2])) ip = auth[2]
      if (session === null && auth[3] !== undefined) session = auth[3]
    }
  }

  record.service = service
  record.user = user
  if (pid !== null) record.pid = pid
  record.session = session
  record.ip = ip
  record.message = message
  return true
}

/** `name<value>` in the message starting at `at`, e.g. `user=<jdoe>`; null when absent or empty. */
function angleField(text: string, at: number, name: string): string | null {
  const start = text.indexOf(name, at)
  if (start === -1) return null
  const from = start + name.length
  const end = text.indexOf('>', from)
  return end > from ? text.slice(from, end) : null
}

/** `name=value` up to the next comma or space in the message starting at `at`, e.g. `rip=203.0.113.5`. */
function plainField(text: string, at: number, name: string): string | null {
  const start = text.indexOf(name, at)
  if (start === -1 || (start > at && text.charCodeAt(start - 1) !== 32)) return null
  const from = start + name.length
  let end = from
  while (end < text.length && text.charCodeAt(end) !== 44 && text.charCodeAt(end) !== 32) end++
  return end > from ? text.slice(from, end) : null
}
