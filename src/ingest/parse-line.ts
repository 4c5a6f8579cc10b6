import {
  DOVECOT_SERVICES,
  INIT_SYSTEMS,
  isAboutDovecotUnit,
  isCorroboratingKernelMessage,
  isDovecotIdent,
  isLdaDeliveryReport,
  isOtherProgram,
  isSupervisorLineAboutDovecot,
  TIME_DAEMONS,
} from './dovecot-programs.js'
import {levelWordAt, mayStartProcessPrefix, parseDovecotText, startsWithDovecotService} from './dovecot-prefix.js'
import {embeddedDovecotStart, messageStarts, type RawRecognizer} from './raw-line.js'
import {type LogFormat, type LogLevel, type LogRecord, NO_WRAPPERS} from './record.js'
import {readRfc5424Fields, rfc5424VersionEnd} from './syslog-5424.js'
import {StampReader} from './timestamp.js'
import {facilityLevel, isTableHeader, isTableRule, type Peeled, peelPri, peelWrapper, priNames, SEVERITIES} from './wrappers.js'

/**
 * What one line turned out to be: a record, a line of another program (or a marker such as
 * journalctl's `-- Boot ... --`) skipped on purpose, a line nothing understood, or an empty line.
 * Plain strings rather than objects, so a skipped line allocates nothing.
 */
export type LineResult = LogRecord | 'skipped' | 'unparsed' | 'blank'

export const isRecord = (result: LineResult): result is LogRecord => typeof result !== 'string'

/** What a parser's earlier lines left that changes how it reads the next: the shape it tries first, the last record's format. */
export interface ParserLock {
  readonly family: string | null
  readonly lastFormat: LogFormat | null
}

export interface LineParserOptions {
  /** The input's name as the user gave it (a path, or "-" for stdin). Default "-". */
  source?: string
  /** For stamps without a year: the newest the log can be (the file's mtime). Default: now. */
  reference?: number
  /** Zone for stamps without one: an IANA name or an offset. Default: the local zone. */
  timeZone?: string
  /**
   * The catalog, for the raw fallback: a line nothing else explains becomes a `raw` record when a rule
   * matches its text (see src/ingest/raw-line.ts). Without it such lines stay unparsed.
   */
  recognizeRaw?: RawRecognizer
}

// Line shapes, tried in this order until one recognizes the line; the one that did is tried first
// for the next line ("locked" per input, as lnav does), so a mixed input still parses line by line.
// Wrappers (src/ingest/wrappers.ts) are tried only after every shape failed: a clean line never meets them.
type Family = 'stamped' | 'rfc5424' | 'json' | 'audit' | 'container' | 'bare'
const FAMILIES: Family[] = ['stamped', 'rfc5424', 'json', 'container', 'audit', 'bare']
/** How many wrappers deep a line is peeled (a paste of a grep of a compose log of a relayed syslog...). */
const MAX_WRAPPERS = 6

/** `host program[pid]: ` after a syslog/journal stamp. */
const SYSLOG_HEAD = /(\S+) ([^\s[:]+)(?:\[(\d+)\])?: /y
/** BusyBox syslogd: `host mail.err program[pid]: ` after the stamp. */
const FACILITY_HEAD = /(\S+) ([a-z0-9]+\.[a-z]+) ([^\s[:]+)(?:\[(\d+)\])?: /y
/** `host dovecot[pid] ` with no colon (rsyslog's text formats for an RFC 5424 message), and a BOM if any. */
const COLONLESS_HEAD = /(\S+) ([^\s[:]+)(?:\[(\d+)\])? \uFEFF?/y
/** journalctl -o verbose's entry header: `Mon 2026-11-23 09:00:41.360424 UTC [s=...;i=...]`. */
const VERBOSE_HEADER = /^[A-Z][a-z]{2} (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) (\S+) \[s=/
/** One field of a journalctl -o verbose entry: `    MESSAGE=...`. */
const VERBOSE_FIELD = /^ {4}([A-Z0-9_]+)=/
/** A syslog line without its stamp: `host dovecot[123]: `, `dovecot: `. */
const NO_STAMP_HEAD = /^(?:([\w.-]+) )?([^\s[:]+)(?:\[(\d+)\])?: /
/** docker compose's `dovecot_1  | ` / `dovecot-1  | ` (swarm: `svc.1.taskid@node  | `) in front of a service's line. */
const COMPOSE_HEAD = /^([A-Za-z0-9][\w.@-]*)\s+\| /
/** `type=AVC msg=audit(1586604621.637:6736): ` */
/** supervisord's level word after its stamp, and the level each stands for. */
const SUPERVISORD_HEAD = /(CRIT|ERRO|WARN|INFO|DEBG|TRAC|BLAT) /y
const SUPERVISORD_LEVELS: Record<string, LogLevel> = {
  CRIT: 'error',
  ERRO: 'error',
  WARN: 'warning',
  INFO: 'info',
  DEBG: 'debug',
  TRAC: 'debug',
  BLAT: 'debug',
}
const AUDIT_HEAD = /^type=(\S+) msg=audit\((\d+)(?:\.(\d+))?:\d+\): /
const AUDIT_COMM = / comm="([^"]*)"/
const AUDIT_PID = / pid=(\d+)/

// syslog priorities (journal PRIORITY, mailcow's words) to levels. Dovecot logs Fatal and Panic at
// LOG_CRIT, so crit and above read as fatal; notice has no Dovecot level and reads as info.
/** The largest time a Date holds (ms from the epoch, either way): a stamp beyond it is no time. */
const MAX_TIME = 8.64e15

const PRIORITY_LEVELS: LogLevel[] = ['fatal', 'fatal', 'fatal', 'error', 'warning', 'info', 'info', 'debug']
const PRIORITY_WORDS: Record<string, LogLevel> = {
  emerg: 'fatal',
  alert: 'fatal',
  crit: 'fatal',
  err: 'error',
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  notice: 'info',
  info: 'info',
  debug: 'debug',
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
  private readonly recognizeRaw: RawRecognizer | undefined
  /**
   * Why the last line was skipped: `marker` (journalctl's `-- Boot --`, a table's rule row) or `program`
   * (another program's line; `skippedProgram` names it when known).
   */
  skipReason: 'marker' | 'program' = 'program'
  /** Lines whose stamp is beyond a Date's range, read without a time: the first one, and how many (a notice). */
  readonly timeOutOfRange = {first: 0, count: 0}
  /** The journalctl -o verbose entry being read: its fields before MESSAGE. */
  private verbose: {time: number | null; program: string | null; pid: number | null; priority: number | null} | null = null
  skippedProgram: string | null = null

  constructor(options: LineParserOptions = {}) {
    this.source = options.source ?? '-'
    this.stamps = new StampReader(options.reference ?? Date.now(), options.timeZone)
    this.recognizeRaw = options.recognizeRaw
  }

  /** The state `resume` puts back (src/ingest/fast-lane.ts reads lines of a shape this parser read without it). */
  lock(): ParserLock {
    return {family: this.family, lastFormat: this.lastFormat}
  }

  /** The parser is in the state `lock` holds (`lock()` would give an equal one, without making it). */
  holds(lock: ParserLock): boolean {
    return this.family === lock.family && this.lastFormat === lock.lastFormat
  }

  /** The shape tried first is the one `lock` has: the parser reads the next line as it did when it left `lock`. */
  tries(lock: ParserLock): boolean {
    return this.family === lock.family
  }

  /** As if the parser had read a line that left `lock`. */
  resume(lock: ParserLock): void {
    this.family = lock.family as Family | null
    this.lastFormat = lock.lastFormat
  }

  parse(text: string, line: number): LineResult {
    // A trailing CR (a CRLF paste split on LF elsewhere): one comparison on every line, a copy on those only.
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1)
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

    return this.parseWrapped(text, line, 0) ?? this.parseEmbedded(text, line) ?? this.parseRaw(text, line) ?? 'unparsed'
  }

  /** Any shape, without changing which one is tried first: for the line inside a wrapper. */
  private parseInner(text: string, line: number, depth: number): LogRecord | 'skipped' | undefined {
    for (const family of FAMILIES) {
      const result = this.parseAs(family, text, line)
      if (result !== undefined) return result
    }

    return this.parseWrapped(text, line, depth)
  }

  /**
   * A line inside wrappers (src/ingest/wrappers.ts), peeled one layer at a time; what the layers told (a
   * container, a priority) is kept on the record, and `text` stays the whole line.
   */
  private parseWrapped(text: string, line: number, depth: number): LogRecord | 'skipped' | undefined {
    if (depth >= MAX_WRAPPERS) return undefined
    if (depth === 0) {
      const verbose = this.parseVerbose(text, line)
      if (verbose !== undefined) return verbose
    }

    if (text.charCodeAt(0) === 124 && (isTableRule(text) || isTableHeader(text))) return this.skipMarker()
    const peeled = peelWrapper(text)
    if (peeled === null) return this.parseNoStamp(text, line)
    const inner = peeled.inner ?? text.slice(peeled.at)
    const result = this.parseInner(inner, line, depth + 1) ?? (peeled.kind === 'compose' ? this.parseBareAnyLevel(inner, line) : undefined)
    if (result === undefined || result === 'skipped') return result
    wrapped(result, peeled, text)
    return result
  }

  /**
   * journalctl -o verbose: a header line with the entry's time (`Mon 2026-11-23 09:00:41.360424 UTC [s=...]`),
   * then one indented `FIELD=value` line per field. The `MESSAGE=` line is the record, with the time, ident,
   * priority and pid read so far (journald writes those before MESSAGE; the host comes after, and is not kept).
   */
  private parseVerbose(text: string, line: number): LogRecord | 'skipped' | undefined {
    const c = text.charCodeAt(0)
    if (c >= 65 && c <= 90) {
      const header = VERBOSE_HEADER.exec(text)
      if (header === null) return undefined
      const time = Date.parse(`${header[1]}T${header[2]}${header[3] === 'UTC' || header[3] === 'GMT' ? 'Z' : ''}`)
      this.verbose = {time: Number.isNaN(time) ? null : time, program: null, pid: null, priority: null}
      this.journal = true
      return this.skipMarker()
    }

    const entry = this.verbose
    if (entry === null || c !== 32) return undefined
    const field = VERBOSE_FIELD.exec(text)
    if (field === null) return undefined
    const value = text.slice(field[0].length)
    switch (field[1]) {
      case 'SYSLOG_IDENTIFIER':
        entry.program = value
        break
      case '_PID':
      case 'SYSLOG_PID':
        entry.pid ??= /^\d{1,10}$/.test(value) ? Number(value) : null
        break
      case 'PRIORITY':
        entry.priority = /^[0-7]$/.test(value) ? Number(value) : null
        break
      case 'MESSAGE': {
        const record = this.keepProgram(entry.program ?? '', value, 0, line, 'journal-short')
        if (record === undefined) return this.skipProgram(entry.program)
        record.text = text
        record.time = entry.time
        if (record.pid === null) record.pid = entry.pid
        if (entry.priority !== null) priorityLevel(record, entry.priority)
        return record
      }
    }

    return this.skipMarker()
  }

  /**
   * A syslog line without its stamp (`host dovecot[123]: ...`, `dovecot: ...`; also what is left of
   * journalctl -o short-monotonic), of Dovecot's idents only; Dovecot 1.x's `dovecot: <stamp> Error: IMAP(jdoe): ...`.
   * A line of Dovecot's text without a level word (journalctl -o cat, `docker logs` of Info lines) when its
   * process is one of Dovecot's.
   */
  private parseNoStamp(text: string, line: number): LogRecord | undefined {
    const head = NO_STAMP_HEAD.exec(text)
    const program = head?.[2]
    if (head === null || program === undefined || (!isDovecotIdent(program) && !this.dovecotIdents.has(program)))
      return this.parseBareAnyLevel(text, line)

    let at = head[0].length
    let time: number | null = null
    if (this.stamps.read(text, at)) {
      time = this.stamps.time
      at = this.stamps.end + 1
    }

    const record = this.dovecotRecord(program, text, at, line, time === null ? 'syslog-bsd' : 'dovecot-file')
    record.time = time
    record.host = head[1] ?? null
    if (head[3] !== undefined && record.pid === null) record.pid = Number(head[3])
    if (record.level === null && time === null) {
      record.level = 'info'
      record.levelSource = 'priority'
    }

    if (time === null) record.wrappers = ['no-stamp']
    return record
  }

  /**
   * A bare Dovecot line with or without a level word. Without one, the prefix must be unmistakably Dovecot's:
   * a Dovecot service with `(...)` or `<...>` (`imap(jdoe)<1><s>: `), or a hyphenated one (`imap-login: `);
   * a word such as `log: ` or `auth: ` alone starts lines of many files.
   */
  private parseBareAnyLevel(text: string, line: number): LogRecord | undefined {
    if (!startsWithDovecotService(text, 0) && levelWordAt(text, 0) === undefined) return undefined
    const record = this.record(line, 'dovecot-file', text)
    if (!parseDovecotText(text, 0, record)) return undefined
    if (record.levelSource === 'word') return record
    const service = record.service
    if (service === null || !DOVECOT_SERVICES.has(service)) return undefined
    const c = text.charCodeAt(service.length)
    if (c !== 40 && c !== 60 && !service.includes('-')) return undefined
    // Dovecot leaves the level word out only of Info lines it sends to syslog: this is one, its stamp cut.
    record.level = 'info'
    record.levelSource = 'priority'
    return record
  }

  /** A Dovecot line after unknown text: a Dovecot service's prefix and a level word found inside the line. */
  private parseEmbedded(text: string, line: number): LogRecord | undefined {
    const record = this.record(line, 'dovecot-file', text)
    const start = embeddedDovecotStart(text, (at) => {
      // A bounded look at the first word first: only a Dovecot service or a level word is read further.
      if (!startsWithDovecotService(text, at) && levelWordAt(text, at) === undefined) return false
      record.level = record.levelSource = null
      record.pid = null
      return (
        parseDovecotText(text, at, record) &&
        record.levelSource === 'word' &&
        record.service !== null &&
        DOVECOT_SERVICES.has(record.service)
      )
    })
    if (start === -1) return undefined
    record.wrappers = ['text-before']
    return record
  }

  /** The raw fallback (src/ingest/raw-line.ts): the catalog run on the text as it stands. */
  private parseRaw(text: string, line: number): LogRecord | undefined {
    const recognizer = this.recognizeRaw
    if (recognizer === undefined || !recognizer.mayMatch(text)) return undefined
    for (const start of messageStarts(text)) {
      const record = this.record(line, 'raw', text)
      // A level word or a Dovecot process prefix where the message starts is read as such.
      if (!parseDovecotText(text, start, record) || (record.service !== null && !DOVECOT_SERVICES.has(record.service))) {
        record.service = record.user = record.session = record.ip = record.level = record.levelSource = null
        record.pid = null
        record.message = text.slice(start)
      }

      if (recognizer.matches(record)) return record
    }

    return undefined
  }

  private skipMarker(): 'skipped' {
    this.skipReason = 'marker'
    return 'skipped'
  }

  private skipProgram(program: string | null): 'skipped' {
    this.skipReason = 'program'
    this.skippedProgram = program
    return 'skipped'
  }

  private parseAs(family: Family, text: string, line: number): LogRecord | 'skipped' | undefined {
    let result: LogRecord | 'skipped' | undefined
    switch (family) {
      case 'stamped':
        result = this.parseStamped(text, line)
        break
      case 'rfc5424':
        result = this.parseRfc5424(text, line)
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
      facility: null,
      severity: null,
      container: null,
      wrappers: NO_WRAPPERS,
    }
  }

  /** Every shape that starts with a timestamp: Dovecot's files, syslog, journalctl text, doveadm log errors. */
  private parseStamped(text: string, line: number, at = 0): LogRecord | 'skipped' | undefined {
    if (text.startsWith('-- ', at)) {
      // journalctl's "-- Logs begin at ...", "-- Boot 1a2b... --", "-- No entries --"
      this.journal = true
      return this.skipMarker()
    }

    const stamps = this.stamps
    if (!stamps.read(text, at)) return undefined
    const time = stamps.time
    let pos = stamps.end + 1

    if (stamps.kind === 'iso-zoned' && text.charCodeAt(stamps.end - 1) === 90 /* Z */ && stamps.read(text, pos)) {
      // `docker logs -t`: Docker's own RFC 3339 stamp before the service's stamped line
      const inner = this.parseStamped(text, line, pos)
      if (inner !== undefined && inner !== 'skipped') {
        inner.format = 'container'
        inner.wrappers = ['docker-timestamp', ...inner.wrappers]
      }
      return inner
    }

    if (stamps.kind === 'dmy' || text.startsWith('| ', pos)) return this.parseMailcowExport(text, line, pos, time)
    if (stamps.kind === 'iso' && text.charCodeAt(at + 19) === 44) {
      // Python logging's stamp ("2024-05-01 10:00:00,123"): supervisord's own log
      const record = this.parseSupervisord(text, line, pos, time)
      if (record !== undefined) return record
    }

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
        if (stamps.kind === 'iso-zoned' && text.charCodeAt(stamps.end - 1) === 90) {
          own.format = 'container'
          own.wrappers = ['docker-timestamp']
        }
        return own
      }
    }

    SYSLOG_HEAD.lastIndex = pos
    const head = SYSLOG_HEAD.exec(text)
    if (head === null) return this.parseOtherHead(text, line, pos, time, stamps.kind === 'iso-zoned')
    const format: LogFormat =
      this.journal || stamps.compactZone || (stamps.kind === 'bsd' && stamps.fractional)
        ? 'journal-short'
        : stamps.kind === 'iso-zoned'
          ? 'syslog-rfc3339'
          : 'syslog-bsd'
    const program = head[2]
    const messageAt = SYSLOG_HEAD.lastIndex
    const record = this.keepProgram(program, text, messageAt, line, format) ?? this.relayed(program, text, messageAt, line)
    if (record === undefined) return this.skipProgram(program)
    if (record.time === null) record.time = time
    record.host ??= head[1]
    if (head[3] !== undefined && record.pid === null && record.program === program) record.pid = Number(head[3])
    // Dovecot writes Info to syslog without the word, and every other level with it.
    if (record.dovecot && record.level === null) {
      record.level = 'info'
      record.levelSource = 'priority'
    }

    return record
  }

  /**
   * supervisord's own log (`2024-05-01 10:00:00,123 INFO exited: dovecot (exit status 89; not expected)`): its lines
   * about the program `dovecot` are kept (how a container's Dovecot stopped), every other one is skipped.
   */
  private parseSupervisord(text: string, line: number, pos: number, time: number | null): LogRecord | 'skipped' | undefined {
    SUPERVISORD_HEAD.lastIndex = pos
    const head = SUPERVISORD_HEAD.exec(text)
    if (head === null) return undefined
    const at = SUPERVISORD_HEAD.lastIndex
    if (!isSupervisorLineAboutDovecot(text, at)) return this.skipProgram('supervisord')
    const record = this.record(line, 'supervisord', text)
    record.program = 'supervisord'
    record.dovecot = false
    record.time = time
    record.message = text.slice(at)
    record.level = SUPERVISORD_LEVELS[head[1]]
    record.levelSource = 'priority'
    return record
  }

  /**
   * After a stamp, the heads other than `host program[pid]: `: RFC 5424's `host app procid msgid sd` (its
   * PRI and version stripped), and BusyBox's `host mail.err program: `. Only lines no other shape took get here.
   */
  private parseOtherHead(text: string, line: number, pos: number, time: number | null, zoned: boolean): LogRecord | 'skipped' | undefined {
    if (zoned) {
      const record = this.rfc5424Record(text, line, pos, time)
      if (record !== undefined) return record
    }

    FACILITY_HEAD.lastIndex = pos
    const head = FACILITY_HEAD.exec(text)
    const names = head === null ? null : facilityLevel(head[2])
    if (head === null || names === null) return this.parseColonlessTag(text, line, pos, time, zoned ? 'syslog-rfc3339' : 'syslog-bsd')
    const program = head[3]
    const record = this.keepProgram(program, text, FACILITY_HEAD.lastIndex, line, 'syslog-bsd')
    if (record === undefined) return this.skipProgram(program)
    record.time = time
    record.host = head[1]
    if (head[4] !== undefined && record.pid === null) record.pid = Number(head[4])
    record.facility = names.facility
    record.severity = names.severity
    priorityLevel(record, SEVERITIES.indexOf(names.severity))
    record.wrappers = ['facility-level']
    return record
  }

  /**
   * rsyslog's traditional formats for a message it received as RFC 5424: the tag has no colon, and the
   * message may start with the BOM (`Nov 30 01:30:37 mail1 dovecot[812] master: Fatal: ...`). Dovecot's idents only.
   */
  private parseColonlessTag(text: string, line: number, pos: number, time: number | null, format: LogFormat): LogRecord | undefined {
    COLONLESS_HEAD.lastIndex = pos
    const head = COLONLESS_HEAD.exec(text)
    if (head === null || !(isDovecotIdent(head[2]) || this.dovecotIdents.has(head[2]))) return undefined
    const record = this.dovecotRecord(head[2], text, COLONLESS_HEAD.lastIndex, line, format)
    record.time = time
    record.host = head[1]
    if (head[3] !== undefined && record.pid === null) record.pid = Number(head[3])
    if (record.level === null) {
      record.level = 'info'
      record.levelSource = 'priority'
    }

    return record
  }

  /** RFC 5424: `<PRI>1 <stamp> host app procid msgid sd msg`, its PRI or version possibly stripped; RFC 3164 after a PRI. */
  private parseRfc5424(text: string, line: number): LogRecord | 'skipped' | undefined {
    const c = text.charCodeAt(0)
    let at = 0
    let pri: Peeled | null = null
    if (c === 60) {
      pri = peelPri(text)
      if (pri === null) return undefined
      at = pri.at
    } else if (c !== 49) return undefined // "1 " starts a line whose PRI was stripped

    const stampAt = rfc5424VersionEnd(text, at)
    let result: LogRecord | 'skipped' | undefined
    if (stampAt !== -1) {
      let time: number | null = null
      let pos = stampAt + 2 // after the NILVALUE
      if (text.charCodeAt(stampAt) !== 45) {
        if (!this.stamps.read(text, stampAt)) return undefined
        time = this.stamps.time
        pos = this.stamps.end + 1
      }

      result = this.rfc5424Record(text, line, pos, time)
    } else if (pri !== null) {
      result = this.parseStamped(text, line, at) ?? this.parseNoStamp(text.slice(at), line)
      if (result !== undefined && result !== 'skipped') {
        result.text = text
        result.wrappers = ['pri', ...result.wrappers]
      }
    }

    if (pri !== null && result !== undefined && result !== 'skipped') {
      const names = priNames(pri.pri!)
      result.facility = names.facility
      result.severity = names.severity
      priorityLevel(result, pri.pri! & 7)
    }

    return result
  }

  /** The record for RFC 5424's fields from `pos` (after the stamp); undefined when they are not there. */
  private rfc5424Record(text: string, line: number, pos: number, time: number | null): LogRecord | 'skipped' | undefined {
    const fields = readRfc5424Fields(text, pos)
    if (fields === null) return undefined
    const program = fields.app ?? '-'
    const record = this.keepProgram(program, text, fields.messageStart, line, 'syslog-rfc5424')
    if (record === undefined) return this.skipProgram(fields.app)
    record.time = time
    record.host = fields.host
    if (record.pid === null && fields.procid !== null && /^\d{1,10}$/.test(fields.procid)) record.pid = Number(fields.procid)
    if (record.dovecot && record.level === null) {
      record.level = 'info'
      record.levelSource = 'priority'
    }

    return record
  }

  /**
   * A syslog line inside another one's message (a host's syslog relaying a container's own syslog line: two
   * stamps, two hosts). The inner line's time and host are the ones kept; undefined when it is not that.
   */
  private relayed(program: string, text: string, at: number, line: number): LogRecord | undefined {
    if (isOtherProgram(program)) return undefined
    const c = text.charCodeAt(at)
    if (!(c === 60 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return undefined
    const inner = text.slice(at)
    const result = this.parseStamped(inner, line) ?? this.parseRfc5424(inner, line)
    if (result === undefined || result === 'skipped') return undefined
    result.text = text
    result.wrappers = ['syslog-relay', ...result.wrappers]
    return result
  }

  /**
   * The record for a line of `program` whose message starts at `at`: Dovecot's (any syslog ident that
   * is Dovecot's, or whose message starts with a Dovecot process prefix), or a corroborating program's.
   * Undefined for every other program: skipped.
   */
  private keepProgram(program: string, text: string, at: number, line: number, format: LogFormat): LogRecord | undefined {
    if (isDovecotIdent(program) || this.dovecotIdents.has(program)) return this.dovecotRecord(program, text, at, line, format)
    if (
      TIME_DAEMONS.has(program) ||
      (program === 'kernel' && isCorroboratingKernelMessage(text)) ||
      (INIT_SYSTEMS.has(program) && isAboutDovecotUnit(text, at)) ||
      isLdaDeliveryReport(program, text, at)
    ) {
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
    const record = this.parseBare(text, line, bar + 3, 'container') ?? this.exportedNoLevel(text, line, bar + 3)
    if (record === undefined) return undefined
    record.time = time
    const priority = PRIORITY_WORDS[text.slice(pos + 2, bar)]
    if (record.level === null && priority !== undefined) {
      record.level = priority
      record.levelSource = 'priority'
    }

    return record
  }

  /** An exported line without a level word: a Dovecot service's prefix is required. */
  private exportedNoLevel(text: string, line: number, at: number): LogRecord | undefined {
    if (!startsWithDovecotService(text, at)) return undefined
    const record = this.record(line, 'container', text)
    return parseDovecotText(text, at, record) ? record : undefined
  }

  /**
   * A Dovecot line with no stamp (docker logs, `dovecot -F`): a process prefix and a level word are required,
   * and a prefix that is only a name (`myapp: Warning: ...`) must be a Dovecot service's.
   */
  private parseBare(text: string, line: number, at: number, format: LogFormat): LogRecord | undefined {
    const record = this.record(line, format, text)
    if (!parseDovecotText(text, at, record) || record.levelSource !== 'word') return undefined
    const service = record.service
    if (service === null || DOVECOT_SERVICES.has(service) || service.includes('-')) return record
    const c = text.charCodeAt(at + service.length)
    return c === 40 || c === 60 ? record : undefined
  }

  /** docker compose: `dovecot_1  | <any other shape>`. */
  private parseCompose(text: string, line: number): LogRecord | 'skipped' | undefined {
    const head = COMPOSE_HEAD.exec(text)
    if (head === null) return undefined
    const inner = text.slice(head[0].length)
    let result: LogRecord | 'skipped' | undefined
    for (const family of ['stamped', 'json', 'bare'] as const) {
      result =
        family === 'stamped'
          ? this.parseStamped(inner, line)
          : family === 'json'
            ? this.parseJournalJson(inner, line)
            : this.parseBare(inner, line, 0, 'container')
      if (result !== undefined) break
    }

    if (result === undefined || result === 'skipped') return result
    result.format = 'container'
    result.text = text
    result.container = head[1]
    result.wrappers = ['compose', ...result.wrappers]
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
    if (record === undefined) return this.skipProgram(program || null)
    record.text = text
    const millis = Math.floor(Number(entry.__REALTIME_TIMESTAMP) / 1000)
    // Out of a Date's range (±8.64e15 ms) is no time at all: the line is kept, without a time, and the reader says so.
    record.time = this.inDateRange(millis, line)
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

  /** `time`, or null (counted in timeOutOfRange) when it is beyond a Date's range. NaN (no stamp at all) is no time, silently. */
  private inDateRange(time: number, line: number): number | null {
    if (Number.isNaN(time)) return null
    if (Math.abs(time) <= MAX_TIME) return time
    if (this.timeOutOfRange.count++ === 0) this.timeOutOfRange.first = line
    return null
  }

  /** Linux audit.log: SELinux AVC denials of Dovecot's processes; other audit records are skipped. */
  private parseAudit(text: string, line: number): LogRecord | 'skipped' | undefined {
    if (!text.startsWith('type=')) return undefined
    const head = AUDIT_HEAD.exec(text)
    if (head === null) return undefined
    const comm = AUDIT_COMM.exec(text)?.[1] ?? null
    const concernsDovecot =
      (comm !== null && (startsWithDovecotService(comm + ':', 0) || comm.startsWith('dovecot'))) || text.includes(':dovecot_')
    if (!head[1].endsWith('AVC') || !concernsDovecot) return this.skipProgram('audit')
    const record = this.record(line, 'audit', text)
    record.program = 'audit'
    record.dovecot = false
    const time = Number(head[2]) * 1000 + (head[3] === undefined ? 0 : Number(head[3].padEnd(3, '0').slice(0, 3)))
    record.time = this.inDateRange(time, line)
    record.service = comm
    const pid = AUDIT_PID.exec(text)
    if (pid !== null) record.pid = Number(pid[1])
    record.message = text.slice(head[0].length)
    return record
  }
}

/** The syslog severity as the level, where Dovecot's own word is absent. */
function priorityLevel(record: LogRecord, severity: number): void {
  if (record.levelSource === 'word' || severity < 0) return
  record.level = PRIORITY_LEVELS[severity]
  record.levelSource = 'priority'
}

/** Keeps on the record what a wrapper told, and the whole line as its text. */
function wrapped(record: LogRecord, peeled: Peeled, text: string): void {
  record.text = text
  record.wrappers = [peeled.kind, ...record.wrappers]
  if (peeled.container !== undefined) record.container ??= peeled.container
  if (peeled.kind === 'compose') record.format = 'container'
  if (peeled.kind === 'monotonic') record.format = 'journal-short'
  if (peeled.pri !== undefined) {
    const names = priNames(peeled.pri)
    record.facility ??= names.facility
    record.severity ??= names.severity
    priorityLevel(record, peeled.pri & 7)
  }
}

/**
 * Parses one line on its own (no earlier lines to learn from): what the diagnosis runs each rule's
 * example lines through. Reading whole inputs goes through `readLogs`, which keeps one LineParser per input.
 */
export function parseLine(text: string, options: LineParserOptions & {line?: number} = {}): LineResult {
  return new LineParser(options).parse(text, options.line ?? 1)
}
