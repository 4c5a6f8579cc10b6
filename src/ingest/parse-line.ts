import {isCorroboratingKernelMessage, isDovecotIdent, TIME_DAEMONS} from './dovecot-programs.js'
import {levelWordAt, mayStartProcessPrefix, parseDovecotText, startsWithDovecotService} from './dovecot-prefix.js'
import type {LogFormat, LogLevel, LogRecord} from './record.js'
import {StampReader} from './timestamp.js'

/**
 * What one line turned out to be: a record, a line of another program (or a marker such as
 * journalctl's `-- Boot ... --`) skipped on purpose, a line nothing understood, or an empty line.
 * Plain strings rather than objects, so a skipped line allocates nothing.
 */
export type LineResult = LogRecord | 'skipped' | 'unparsed' | 'blank'

export const isRecord = (result: LineResult): result is LogRecord => typeof result !== 'string'

export interface LineParserOptions {
  /** The input's name as the user gave it (a path, or "-" for stdin). Default "-". */
  source?: string
  /** For stamps without a year: the newest the log can be (the file's mtime). Default: now. */
  reference?: number
  /** Zone for stamps without one: an IANA name or an offset. Default: the local zone. */
  timeZone?: string
}

// Line shapes, tried in this order until one recognizes the line; the one that did is tried first
// for the next line ("locked" per input, as lnav does), so a mixed input still parses line by line.
type Family = 'stamped' | 'json' | 'audit' | 'container' | 'bare'
const FAMILIES: Family[] = ['stamped', 'json', 'container', 'audit', 'bare']

/** `host program[pid]: ` after a syslog/journal stamp. */
const SYSLOG_HEAD = /(\S+) ([^\s[:]+)(?:\[(\d+)\])?: /y
/** docker compose's `dovecot_1  | ` / `dovecot-1  | ` in front of a service's line. */
const COMPOSE_HEAD = /^[A-Za-z0-9][\w.-]*\s+\| /
/** `type=AVC msg=audit(1586604621.637:6736): ` */
const AUDIT_HEAD = /^type=(\S+) msg=audit\((\d+)(?:\.(\d+))?:\d+\): /
const AUDIT_COMM = / comm="([^"]*)"/
const AUDIT_PID = / pid=(\d+)/

// syslog priorities (journal PRIORITY, mailcow's words) to levels. Dovecot logs Fatal and Panic at
// LOG_CRIT, so crit and above read as fatal; notice has no Dovecot level and reads as info.
const PRIORITY_LEVELS: LogLevel[] = ['fatal', 'fatal', 'fatal', 'error', 'warning', 'info', 'info', 'debug']
const PRIORITY_WORDS: Record<string, LogLevel> = {
  emerg: 'fatal', alert: 'fatal', crit: 'fatal', err: 'error', error: 'error', warning: 'warning', warn: 'warning',
  notice: 'info', info: 'info', debug: 'debug',
}

/**
 * Parses lines of one input into records. Keeps what the input's earlier lines taught it: the line
 * shape to try first, the syslog idents that turned out to be Dovecot (any `instance_name`), whether
 * the input is journalctl output, and the timestamp cache.
 */
export class LineParser {
  readonly source: string
  private readonly stamps: StampReader
  private family: Family | null = null
  /** Format of the last record: tells `<stamp> Error: ...` of a Dovecot file from doveadm log errors. */
  private lastFormat: LogFormat | null = null
  private journal = false
  private readonly dovecotIdents = new Set<string>()

  constructor(options: LineParserOptions = {}) {
    this.source = options.source ?? '-'
    this.stamps = new StampReader(options.reference ?? Date.now(), options.timeZone)
  }

  /**
   * What the earlier lines taught this parser, as text: two parsers with the same state parse the lines that
   * follow alike (the stamp cache aside, which changes no result). A reader of an input's second half
   * compares it with the first half's reader's to know its results are the ones a single reader would give.
   */
  state(): string {
    return JSON.stringify([this.family, this.lastFormat, this.journal, [...this.dovecotIdents].sort()])
  }

  parse(text: string, line: number): LineResult {
    if (text.length === 0) return 'blank'
    if (this.family !== null) {
      const result = this.parseAs(this.family, text, line)
      if (result !== undefined) return result
    }

    for (const family of FAMILIES) {
      if (family === this.family) continue
      const result = this.parseAs(family, text, line)
      if (result !== undefined) {
        this.family = family
        return result
      }
    }

    return 'unparsed'
  }

  private parseAs(family: Family, text: string, line: number): LogRecord | 'skipped' | undefined {
    let result: LogRecord | 'skipped' | undefined
    switch (family) {
      case 'stamped':
        result = this.parseStamped(text, line)
        break
      case 'json':
        result = this.parseJournalJson(text, line)
        break
      case 'container':
        result = this.parseCompose(text, line)
        break
      case 'audit':
        result = this.parseAudit(text, line)
        break
      case 'bare':
        result = this.parseBare(text, line, 0, 'dovecot-file')
        break
    }

    if (result !== undefined && result !== 'skipped') this.lastFormat = result.format
    return result
  }

  private record(line: number, format: LogFormat, text: string): LogRecord {
    return {
      time: null,
      host: null,
      source: this.source,
      line,
      format,
      program: 'dovecot',
      dovecot: true,
      service: null,
      user: null,
      pid: null,
      session: null,
      ip: null,
      level: null,
      levelSource: null,
      message: '',
      continuation: [],
      text,
    }
  }

  /** Every shape that starts with a timestamp: Dovecot's files, syslog, journalctl text, doveadm log errors. */
  private parseStamped(text: string, line: number, at = 0): LogRecord | 'skipped' | undefined {
    if (text.startsWith('-- ', at)) {
      // journalctl's "-- Logs begin at ...", "-- Boot 1a2b... --", "-- No entries --"
      this.journal = true
      return 'skipped'
    }

    const stamps = this.stamps
    if (!stamps.read(text, at)) return undefined
    const time = stamps.time
    let pos = stamps.end + 1

    if (stamps.kind === 'iso-zoned' && text.charCodeAt(stamps.end - 1) === 90 /* Z */ && stamps.read(text, pos)) {
      // `docker logs -t`: Docker's own RFC 3339 stamp before the service's stamped line
      const inner = this.parseStamped(text, line, pos)
      if (inner !== undefined && inner !== 'skipped') inner.format = 'container'
      return inner
    }

    if (stamps.kind === 'dmy') return this.parseMailcowExport(text, line, pos, time)

    const word = levelWordAt(text, pos)
    if (word !== undefined && this.lastFormat !== 'dovecot-file') {
      // doveadm log errors: "<stamp> Error: imap-login: <text>" -- the level comes before the prefix
      const record = this.record(line, 'doveadm-log-errors', text)
      record.time = time
      pos += word[0].length
      if (!parseDovecotText(text, pos, record)) record.message = text.slice(pos)
      record.level = word[1]
      record.levelSource = 'word'
      return record
    }

    if (mayStartProcessPrefix(text, pos)) {
      const own = this.record(line, 'dovecot-file', text)
      if (parseDovecotText(text, pos, own)) {
        // Dovecot's own log file: "<stamp> imap(jdoe)<1234><AbCd>: Error: <text>". Dovecot's strftime
        // stamps cannot end in "Z": that is `docker logs -t` in front of a line without a stamp.
        own.time = time
        if (stamps.kind === 'iso-zoned' && text.charCodeAt(stamps.end - 1) === 90) own.format = 'container'
        return own
      }
    }

    SYSLOG_HEAD.lastIndex = pos
    const head = SYSLOG_HEAD.exec(text)
    if (head === null) return undefined
    const format: LogFormat =
      this.journal || stamps.compactZone || (stamps.kind === 'bsd' && stamps.fractional)
        ? 'journal-short'
        : stamps.kind === 'iso-zoned'
          ? 'syslog-rfc3339'
          : 'syslog-bsd'
    const record = this.keepProgram(head[2], text, SYSLOG_HEAD.lastIndex, line, format)
    if (record === undefined) return 'skipped'
    record.time = time
    record.host = head[1]
    if (head[3] !== undefined && record.pid === null) record.pid = Number(head[3])
    // Dovecot writes Info to syslog without the word, and every other level with it.
    if (record.dovecot && record.level === null) {
      record.level = 'info'
      record.levelSource = 'priority'
    }

    return record
  }

  /**
   * The record for a line of `program` whose message starts at `at`: Dovecot's (any syslog ident that
   * is Dovecot's, or whose message starts with a Dovecot process prefix), or a corroborating program's.
   * Undefined for every other program: skipped.
   */
  private keepProgram(program: string, text: string, at: number, line: number, format: LogFormat): LogRecord | undefined {
    if (isDovecotIdent(program) || this.dovecotIdents.has(program)) return this.dovecotRecord(program, text, at, line, format)
    if (TIME_DAEMONS.has(program) || (program === 'kernel' && isCorroboratingKernelMessage(text))) {
      const record = this.record(line, format, text)
      record.program = program
      record.dovecot = false
      record.message = at === 0 ? text : text.slice(at)
      return record
    }

    if (startsWithDovecotService(text, at)) {
      this.dovecotIdents.add(program) // a non-default instance_name
      return this.dovecotRecord(program, text, at, line, format)
    }

    return undefined
  }

  private dovecotRecord(program: string, text: string, at: number, line: number, format: LogFormat): LogRecord {
    const record = this.record(line, format, text)
    record.program = program
    if (!parseDovecotText(text, at, record)) record.message = at === 0 ? text : text.slice(at)
    return record
  }

  /** mailcow's UI export: `19.11.2017, 14:53:11 | crit | lmtp: Fatal: ...`. */
  private parseMailcowExport(text: string, line: number, pos: number, time: number | null): LogRecord | undefined {
    if (!text.startsWith('| ', pos)) return undefined
    const bar = text.indexOf(' | ', pos + 2)
    if (bar === -1) return undefined
    const record = this.parseBare(text, line, bar + 3, 'container')
    if (record === undefined) return undefined
    record.time = time
    const priority = PRIORITY_WORDS[text.slice(pos + 2, bar)]
    if (record.level === null && priority !== undefined) {
      record.level = priority
      record.levelSource = 'priority'
    }

    return record
  }

  /** A Dovecot line with no stamp (docker logs, `dovecot -F`): a process prefix and a level word are required. */
  private parseBare(text: string, line: number, at: number, format: LogFormat): LogRecord | undefined {
    const record = this.record(line, format, text)
    return parseDovecotText(text, at, record) && record.levelSource === 'word' ? record : undefined
  }

  /** docker compose: `dovecot_1  | <any other shape>`. */
  private parseCompose(text: string, line: number): LogRecord | 'skipped' | undefined {
    const head = COMPOSE_HEAD.exec(text)
    if (head === null) return undefined
    const inner = text.slice(head[0].length)
    let result: LogRecord | 'skipped' | undefined
    for (const family of ['stamped', 'json', 'bare'] as const) {
      result = family === 'stamped' ? this.parseStamped(inner, line) : family === 'json' ? this.parseJournalJson(inner, line) : this.parseBare(inner, line, 0, 'container')
      if (result !== undefined) break
    }

    if (result === undefined || result === 'skipped') return result
    result.format = 'container'
    result.text = text
    return result
  }

  /** `journalctl -o json`: one JSON object a line; MESSAGE may be an array of bytes when not UTF-8. */
  private parseJournalJson(text: string, line: number): LogRecord | 'skipped' | undefined {
    if (text.charCodeAt(0) !== 123) return undefined
    let entry: Record<string, unknown>
    try {
      entry = JSON.parse(text) as Record<string, unknown>
    } catch {
      return undefined
    }

    if (typeof entry !== 'object' || entry === null || !('MESSAGE' in entry || '__REALTIME_TIMESTAMP' in entry)) return undefined
    const raw = entry.MESSAGE
    const message = typeof raw === 'string' ? raw : Array.isArray(raw) ? Buffer.from(raw as number[]).toString('utf8') : ''
    const identifier = entry.SYSLOG_IDENTIFIER ?? entry._COMM
    const program = typeof identifier === 'string' ? identifier : ''
    let at = 0
    // Dovecot logging to stderr under systemd (log_path=/dev/stderr) keeps its own stamp: skip it.
    if (this.stamps.read(message, 0)) at = this.stamps.end + 1
    const record =
      entry._SYSTEMD_UNIT === 'dovecot.service' && !TIME_DAEMONS.has(program)
        ? this.dovecotRecord(program || 'dovecot', message, at, line, 'journal-json')
        : this.keepProgram(program, message, at, line, 'journal-json')
    if (record === undefined) return 'skipped'
    record.text = text
    const micros = Number(entry.__REALTIME_TIMESTAMP)
    record.time = Number.isFinite(micros) ? Math.floor(micros / 1000) : null
    record.host = typeof entry._HOSTNAME === 'string' ? entry._HOSTNAME : null
    if (record.pid === null) {
      const pid = Number(entry._PID ?? entry.SYSLOG_PID)
      if (Number.isInteger(pid) && pid > 0) record.pid = pid
    }

    const priority = Number(entry.PRIORITY)
    if (record.level === null && Number.isInteger(priority) && priority >= 0 && priority <= 7) {
      record.level = PRIORITY_LEVELS[priority]
      record.levelSource = 'priority'
    }

    return record
  }

  /** Linux audit.log: SELinux AVC denials of Dovecot's processes; other audit records are skipped. */
  private parseAudit(text: string, line: number): LogRecord | 'skipped' | undefined {
    if (!text.startsWith('type=')) return undefined
    const head = AUDIT_HEAD.exec(text)
    if (head === null) return undefined
    const comm = AUDIT_COMM.exec(text)?.[1] ?? null
    const concernsDovecot = (comm !== null && (startsWithDovecotService(comm + ':', 0) || comm.startsWith('dovecot'))) || text.includes(':dovecot_')
    if (!head[1].endsWith('AVC') || !concernsDovecot) return 'skipped'
    const record = this.record(line, 'audit', text)
    record.program = 'audit'
    record.dovecot = false
    record.time = Number(head[2]) * 1000 + (head[3] === undefined ? 0 : Number(head[3].padEnd(3, '0').slice(0, 3)))
    record.service = comm
    const pid = AUDIT_PID.exec(text)
    if (pid !== null) record.pid = Number(pid[1])
    record.message = text.slice(head[0].length)
    return record
  }
}

/**
 * Parses one line on its own (no earlier lines to learn from): what the diagnosis runs each rule's
 * example lines through. Reading whole inputs goes through `readLogs`, which keeps one LineParser per input.
 */
export function parseLine(text: string, options: LineParserOptions & {line?: number} = {}): LineResult {
  return new LineParser(options).parse(text, options.line ?? 1)
}
