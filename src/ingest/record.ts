/**
 * One parsed log record: the contract between ingestion (src/ingest/) and diagnosis (src/catalog/,
 * src/match/). `dovediag logs --records` prints these as JSON Lines; the shape is documented in the README.
 */

/** Dovecot's own level words, lower-cased. Never guessed from message text. */
export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'fatal', 'panic'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
/** The order reports list levels in: the worst first; `none` for a record whose source gave no level. */
export const LEVELS_WORST_FIRST = ['panic', 'fatal', 'error', 'warning', 'info', 'debug', 'none'] as const

/** Where the level came from: Dovecot's `Error:` word, or the syslog/journal priority when the word is absent. */
export type LevelSource = 'word' | 'priority'

/** The line shapes dovediag reads. */
export const LOG_FORMATS = [
  'dovecot-file', // Dovecot's own log_path / info_log_path / debug_log_path
  'syslog-bsd', // "Nov 23 10:00:00 host dovecot: ..."
  'syslog-rfc3339', // "2026-11-23T10:00:00.123456+00:00 host dovecot: ..."
  'syslog-rfc5424', // "<22>1 2026-11-23T10:00:00.123456+00:00 host dovecot - - - ..." (RFC 5424, with or without PRI)
  'journal-short', // journalctl -o short / short-iso / short-precise
  'journal-json', // journalctl -o json
  'doveadm-log-errors', // "<timestamp> <Type>: <prefix>: <text>"
  'container', // docker compose "dovecot_1  | ..." and similar wrappers around one of the above
  'audit', // Linux audit.log (SELinux AVC denials)
  'supervisord', // supervisord's own log, its lines about Dovecot: "2024-05-01 10:00:00,123 INFO exited: dovecot (exit status 89; not expected)"
  'raw', // no line shape recognized: a catalog rule matched the text itself, as grep would (src/ingest/raw-line.ts)
] as const
export type LogFormat = (typeof LOG_FORMATS)[number]

export interface LogRecord {
  /** Milliseconds since the epoch, or null when the line carries no usable time. */
  time: number | null
  /** Host name from syslog/journal, or null (Dovecot's own files carry none). */
  host: string | null
  /** The input it came from, as the user named it (a path, or "-" for stdin). */
  source: string
  /** 1-based line number in that input (of the first line, for a record with continuations). */
  line: number
  format: LogFormat
  /**
   * The program that wrote it: "dovecot" (or the configured instance_name) for Dovecot lines; other
   * programs appear only where a rule needs them as corroboration (ntpd/chronyd time steps, the
   * kernel's OOM killer, audit). Rules about Dovecot check `dovecot`.
   */
  program: string
  /** True for a line written by Dovecot. */
  dovecot: boolean
  /** Dovecot process/service: "imap", "imap-login", "master", "auth-worker", "dsync-local", "lmtp", ... */
  service: string | null
  /** The user from the process prefix (`imap(jdoe)`), a `user=<...>` field, or a dsync prefix. */
  user: string | null
  /** Process id from the prefix (`auth-worker(123)`, `<1234>` in 2.3+) or syslog `[pid]`. */
  pid: number | null
  /** Session id from the 2.3+ prefix `<AbCdEf12>` or `session=<...>`. */
  session: string | null
  /** Remote IP (`rip=` or `doveadm(ip,user)`), when the line says. */
  ip: string | null
  level: LogLevel | null
  levelSource: LevelSource | null
  /**
   * The text after the process prefix and the level word: what rules match against. It still holds
   * appended prefixes such as `Mailbox INBOX: ` and wrappers such as `master: service(imap): ...`.
   */
  message: string
  /** Continuation lines that belong to this record (e.g. `Raw backtrace: ...` after a Fatal/Panic). */
  continuation: string[]
  /** The whole line as read (the first line, for a record with continuations): evidence to show. */
  text?: string
  /** Syslog facility from an RFC 5424/3164 `<PRI>` or a BusyBox `mail.err` word (`mail`, `local0`...), else null. */
  facility: string | null
  /** Syslog severity from the same place (`err`, `crit`, `info`...), else null. */
  severity: string | null
  /** The container or service a wrapper named (docker compose `dovecot_1`, swarm `svc.1.id@node`), else null. */
  container: string | null
  /** The wrappers peeled off the line to reach its log line, outermost first (see src/ingest/wrappers.ts). */
  wrappers: readonly WrapperKind[]
}

/** What can stand around a log line (see src/ingest/wrappers.ts for each one's shape). */
export const WRAPPER_KINDS = [
  'indent', // leading spaces or tabs
  'grep-filename', // `mail.log:` / `mail.log:123:` from grep over several files
  'compose', // docker compose `dovecot_1  | ` / `dovecot-1  | `, swarm `svc.1.taskid@node    | `
  'docker-timestamp', // `docker logs -t` / `kubectl logs --timestamps`: an RFC 3339 UTC stamp
  'pri', // an RFC 3164/5424 `<22>` priority in a file
  'facility-level', // BusyBox syslogd: `host mail.err dovecot: ...`
  'syslog-relay', // a syslog line inside another syslog line (a host relaying a container's syslog)
  'no-stamp', // a syslog line without its timestamp: `host dovecot[123]: ...`, `dovecot: ...`
  'monotonic', // journalctl -o short-monotonic: `[ 1234.567890] host dovecot[1]: ...`
  'web-export', // a log viewer's table copied as Markdown (`| time | level | message |`) or tab-separated
  'text-before', // unknown text before a Dovecot process prefix and level word
] as const
export type WrapperKind = (typeof WRAPPER_KINDS)[number]

/** The `wrappers` of a line with none: one shared array, so a clean line allocates nothing for it. */
export const NO_WRAPPERS: readonly WrapperKind[] = Object.freeze([])
