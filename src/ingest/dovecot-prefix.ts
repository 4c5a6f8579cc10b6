import {DOVECOT_SERVICES, isDsyncService} from './dovecot-programs.js'
import type {LogLevel, LogRecord} from './record.js'

/**
 * Dovecot's process prefix: `master: `, `auth-worker(123): `, `imap(jdoe): ` (2.2),
 * `imap(jdoe)<1234><AbCdEf12>: ` (2.3+), `dsync-local(jdoe)<AbCd>: `, `doveadm(203.0.113.5,jdoe): `.
 * Sticky, so it is tried at a position without slicing the line.
 */
const PROCESS_PREFIX = /([A-Za-z][\w.-]*)(?:\(([^()]*)\))?(?:<([^<>]*)>)?(?:<([^<>]*)>)?: /y

/** An auth request prefix at the start of an auth message: `passwd-file(jdoe,203.0.113.5[,master][,<AbCd>]): `. */
const AUTH_REQUEST = /^[\w-]+\(([^,()]*),([^,()<>]*)[^()<]*(?:<([^<>]*)>)?\): /

// Dovecot's level words (src/lib/failures.c failure_log_type_prefixes), by first letter.
const LEVEL_WORDS: Record<string, [string, LogLevel]> = {
  D: ['Debug: ', 'debug'],
  I: ['Info: ', 'info'],
  W: ['Warning: ', 'warning'],
  E: ['Error: ', 'error'],
  F: ['Fatal: ', 'fatal'],
  P: ['Panic: ', 'panic'],
}

/** The level word (`Error: ` ...) at `at`, or undefined. */
export function levelWordAt(text: string, at: number): [string, LogLevel] | undefined {
  const word = LEVEL_WORDS[text[at]]
  return word !== undefined && text.startsWith(word[0], at) ? word : undefined
}

const isNumeric = (s: string): boolean => s.length > 0 && s.length < 11 && /^\d+$/.test(s)
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
  return end > at && DOVECOT_SERVICES.has(text.slice(at, end))
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
  if (word === undefined) {
    PROCESS_PREFIX.lastIndex = pos
    const m = PROCESS_PREFIX.exec(text)
    if (m === null) return false
    service = m[1]
    const arg = m[2]
    const first = m[3]
    const second = m[4]
    if (arg !== undefined && arg !== '') {
      if (isNumeric(arg) && first === undefined) pid = Number(arg) // auth-worker(123), lmtp(4567)
      else {
        const comma = arg.indexOf(',')
        if (comma === -1) user = arg
        else {
          const a = arg.slice(0, comma)
          const b = arg.slice(comma + 1)
          if (looksLikeIp(a)) [ip, user] = [a, b] // doveadm(ip,user)
          else [user, ip] = [a, looksLikeIp(b) ? b : null]
        }
      }
    }

    if (second !== undefined) {
      if (isNumeric(first!)) pid = Number(first)
      session = second
    } else if (first !== undefined) {
      if (!isDsyncService(service) && isNumeric(first)) pid = Number(first)
      else session = first
    }

    pos = PROCESS_PREFIX.lastIndex
    word = levelWordAt(text, pos)
  }

  if (word !== undefined) {
    pos += word[0].length
    record.level = word[1]
    record.levelSource = 'word'
  }

  const message = pos === 0 ? text : text.slice(pos)
  // Fields the message states itself (login lines, auth requests), when the prefix did not.
  if (user === null) user = angleField(message, 'user=<')
  if (ip === null) ip = plainField(message, 'rip=')
  if (session === null) session = angleField(message, 'session=<')
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

/** `name<value>` in a message, e.g. `user=<jdoe>`; null when absent or empty. */
function angleField(message: string, name: string): string | null {
  const start = message.indexOf(name)
  if (start === -1) return null
  const from = start + name.length
  const end = message.indexOf('>', from)
  return end > from ? message.slice(from, end) : null
}

/** `name=value` up to the next comma or space, e.g. `rip=203.0.113.5`. */
function plainField(message: string, name: string): string | null {
  const start = message.indexOf(name)
  if (start === -1 || (start > 0 && message.charCodeAt(start - 1) !== 32)) return null
  const from = start + name.length
  let end = from
  while (end < message.length && message.charCodeAt(end) !== 44 && message.charCodeAt(end) !== 32) end++
  return end > from ? message.slice(from, end) : null
}
