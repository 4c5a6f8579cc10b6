import type {WrapperKind} from './record.js'

/**
 * Wrappers: what collectors and pastes put around a log line (see WRAPPER_KINDS in record.ts). Each
 * function here recognizes one outer layer at the start of a line and says where the line inside starts,
 * and what the layer told (a container name, a priority): pure functions of the text, tested on their own.
 * The line parser tries them only on lines that no line shape recognized, so clean lines never pay for them.
 */

/** One layer peeled off: the line inside is `inner` when given, else the text from `at`. */
export interface Peeled {
  kind: WrapperKind
  at: number
  inner?: string
  container?: string
  /** A `<PRI>` value: facility * 8 + severity. */
  pri?: number
}

const isSpace = (c: number): boolean => c === 32 || c === 9
const isDigit = (c: number): boolean => c >= 48 && c <= 57

/** Leading spaces or tabs (a paste, an indented quote). */
export function peelIndent(text: string): Peeled | null {
  let at = 0
  while (isSpace(text.charCodeAt(at))) at++
  return at > 0 && at < text.length ? {kind: 'indent', at} : null
}

/**
 * grep's file name over several files: `mail.log:`, `/var/log/mail.err:`, `mail.log:123:` (with -n), right
 * before the line (no space after the colon, which every log line's own `name: ` has).
 */
const GREP_FILENAME = /^[\w./~+-]+:(?:\d+:)?(?=\S)/
export function peelGrepFilename(text: string): Peeled | null {
  const m = GREP_FILENAME.exec(text)
  return m === null ? null : {kind: 'grep-filename', at: m[0].length}
}

/** docker compose (`dovecot_1  | `, `dovecot-1  | `) and swarm (`mail_dovecot.1.x7k2@node1    | `) service prefixes. */
const COMPOSE = /^([A-Za-z0-9][\w.@-]*)\s+\| /
export function peelCompose(text: string): Peeled | null {
  const m = COMPOSE.exec(text)
  return m === null ? null : {kind: 'compose', at: m[0].length, container: m[1]}
}

/** `<22>`: an RFC 3164/5424 priority kept in a file (forwarders, `docker --log-driver syslog` captures). */
export function peelPri(text: string): Peeled | null {
  if (text.charCodeAt(0) !== 60) return null // <
  let at = 1
  let pri = 0
  while (isDigit(text.charCodeAt(at)) && at < 4) pri = pri * 10 + text.charCodeAt(at++) - 48
  if (at === 1 || text.charCodeAt(at) !== 62 || pri > 191) return null // >
  return {kind: 'pri', at: at + 1, pri}
}

/** journalctl -o short-monotonic: `[ 1234.567890] host dovecot[1]: ...`: seconds since boot, no wall time. */
const MONOTONIC = /^\[\s*\d+\.\d+\] /
export function peelMonotonic(text: string): Peeled | null {
  const m = MONOTONIC.exec(text)
  return m === null ? null : {kind: 'monotonic', at: m[0].length}
}

/**
 * A log viewer's table copied out (mailcow's UI, Portainer): a Markdown row `| time | level | message |`, or
 * the same cells separated by tabs. The inner line is `time | level | message`, the shape the export reader
 * of the line parser takes.
 */
export function peelWebExport(text: string): Peeled | null {
  if (text.charCodeAt(0) === 124) {
    // | a | b | c |
    const body = text.replace(/^\|\s*/, '').replace(/\s*\|\s*$/, '')
    const cells = body.split(/\s+\|\s+/)
    if (cells.length < 3) return null
    return {kind: 'web-export', at: 0, inner: `${cells[0]} | ${cells[1]} | ${cells.slice(2).join(' | ')}`}
  }

  const tab = text.indexOf('\t')
  if (tab <= 0) return null
  const second = text.indexOf('\t', tab + 1)
  if (second === -1) return null
  return {
    kind: 'web-export',
    at: 0,
    inner: `${text.slice(0, tab).trim()} | ${text.slice(tab + 1, second).trim()} | ${text.slice(second + 1)}`,
  }
}

/** A Markdown table's header or rule row (`| time | level | message |`, `|---|---|---|`): nothing to read. */
export const isTableRule = (text: string): boolean => /^\|?[\s:|-]+\|?$/.test(text) && text.includes('-')
export const isTableHeader = (text: string): boolean =>
  /^\|\s*(?:time|date|timestamp)\s*\|\s*(?:level|priority|prio|severity)\s*\|/i.test(text)

/**
 * The layer at the start of `text`, decided by its first character so that a line pays one comparison per
 * wrapper it does not have; null when none is there.
 */
export function peelWrapper(text: string): Peeled | null {
  const c = text.charCodeAt(0)
  if (isSpace(c)) return peelIndent(text)
  if (c === 60) return peelPri(text) // <
  if (c === 91) return peelMonotonic(text) // [
  if (c === 124) return peelWebExport(text) // |
  return peelCompose(text) ?? peelGrepFilename(text) ?? (text.includes('\t') ? peelWebExport(text) : null)
}

// Syslog's facility and severity names, by their numbers (RFC 5424 §6.2.1).
const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
]
export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug']

/** A `<PRI>` value as its facility and severity names. */
export function priNames(pri: number): {facility: string; severity: string} {
  return {facility: FACILITIES[pri >> 3] ?? `facility${pri >> 3}`, severity: SEVERITIES[pri & 7]}
}

/** BusyBox syslogd's `mail.err` word after the host: facility and severity, or null. */
const FACILITY_LEVEL =
  /^(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|ntp|security|console|local[0-7])\.(emerg|alert|crit|err|error|warn|warning|notice|info|debug)$/
export function facilityLevel(word: string): {facility: string; severity: string} | null {
  const m = FACILITY_LEVEL.exec(word)
  if (m === null) return null
  return {facility: m[1], severity: m[2] === 'error' ? 'err' : m[2] === 'warn' ? 'warning' : m[2]}
}
