import {isAscii} from 'node:buffer'

import {DOVECOT_SERVICES, serviceName} from './dovecot-programs.js'
import type {LineParser, ParserLock} from './parse-line.js'
import type {LogFormat, LogLevel, LogRecord, WrapperKind} from './record.js'
import {SECONDS_AT, StampReader, type StampKind, zoneLength} from './timestamp.js'

/**
 * The byte-level fast lane of reading (issue #16). Most lines of a busy log are Info lines of a few shapes
 * under one wrapper at a time: `<lead><stamp> <middle><service>(<user>)<pid><session>: Info: <message>`.
 * The full line parser (src/ingest/parse-line.ts) reads the first lines of each shape; from each record it
 * makes a template (the lead and middle bytes, the stamp's shape, what the parser set from them). A later line
 * whose bytes fit a template is read from its bytes: its level, service and time, found by comparing bytes
 * (the time decoded only when the stamp's bytes differ from the last line's, and without a string when only its
 * seconds and fraction do, in a minute StampReader maps evenly). The reader then offers it to a
 * `FastLaneConsumer` (the diagnosis), which counts it when no rule but a counted fact can match it.
 *
 * Correctness comes before speed. A template is trusted only after the full parser gave the same record for
 * its first VERIFY lines (and left the same parser state); one disagreement and the template is dropped for
 * the rest of the input. Every line that does not fit, is not ASCII, has a severe level, a level word where
 * the template had none, a CR, or a crash record before it, goes through the full parser unchanged, and so
 * does every line at a level the consumer does not count (the diagnosis: errors and worse).
 */

/** What the reader knows of a line read by a template: what counting it takes. */
export interface LaneLine {
  level: LogLevel
  service: string
  time: number
  template: LineTemplate
}

/** The diagnosis's side: takes a line read by a template whose message is `bytes[start, end)` (ASCII). */
export interface FastLaneConsumer {
  /** The levels whose lines it may count: lines at other levels are read the full way (never offered). */
  readonly levels: ReadonlySet<LogLevel>
  /** The lines offered next are in `bytes` (a new chunk of the input), until the next call. */
  chunk(bytes: Buffer): void
  /** True when it counted the line; false to have it read by the full parser (and counted from its record). */
  take(bytes: Buffer, start: number, end: number, line: LaneLine): boolean
  /**
   * After `take` declined a line: the record the full parser made of it, when that record has the level,
   * service, time, format, program, wrappers and message the lane read from the line's bytes; null when not
   * (and the template is dropped). What `take` found of the line holds for this record.
   */
  parsed(record: LogRecord | null): void
}

/** A line shape learned from a record the full parser made. */
export interface LineTemplate {
  readonly lead: Buffer
  readonly stampLength: number
  /** The stamp's kind, whether it has a fraction, whether its zone is compact, as one number (stampShape). */
  readonly stampShape: number
  readonly middle: Buffer
  /** The level of the template's lines without a level word (a syslog priority); null: they have a word. */
  readonly wordless: LogLevel | null
  readonly format: LogFormat
  readonly program: string
  /** The record's host (a syslog header's, in the middle bytes); null for lines that name none. */
  readonly host: string | null
  readonly dovecot: boolean
  readonly wrappers: readonly WrapperKind[]
  /** `wrappers` is not empty. Asked of every counted line: a boolean, where arrays of two shapes (empty ones, of
   * another elements kind) made V8 recompile the counting. */
  readonly wrapped: boolean
  /** The parser's state after one of its lines: restored after each line read here. */
  readonly lock: ParserLock
  /** Lines the full parser confirmed; the template reads lines only from VERIFY on. */
  verified: number
  broken: boolean
}

/** Lines of a template the full parser must confirm before the template reads any. */
export const VERIFY = 16
/** At most this many templates per input (a log under a few wrappers at a time). */
const MAX_TEMPLATES = 16
/** `FastLane.tailAt` when the last stamp's minute is not uniform: past any stamp's end. */
const NO_TAIL = 1 << 30
/** Slots for process names in FastLane.services (a power of two). */
const SERVICE_SLOTS = 512
/** Longer lines go the full way (the matcher's window is 8 KiB). */
const MAX_LANE_LINE = 4096

/** Dovecot's level words as bytes (src/lib/failures.c), in the order of LEVELS. */
const LEVELS: LogLevel[] = ['debug', 'info', 'warning', 'error', 'fatal', 'panic']
const LEVEL_WORDS = ['Debug: ', 'Info: ', 'Warning: ', 'Error: ', 'Fatal: ', 'Panic: '].map((word) => Buffer.from(word, 'latin1'))

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
const isNameByte = (c: number): boolean => isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45

/** A line a template read and that the full parser is to confirm. */
interface Expected {
  line: LaneLine
  messageStart: number
}

export class FastLane {
  private readonly templates: LineTemplate[] = []
  private readonly stamps: StampReader
  /** The last stamp's bytes and its time: most lines repeat it. */
  private lastStamp = Buffer.alloc(64)
  private lastStampLength = -1
  private lastTime = Number.NaN
  private lastShape = -1
  /**
   * The last stamp's minute, when it is uniform (learnMinute): its seconds' place in the stamp (`tailAt`; NO_TAIL
   * when not uniform), where its fraction ends (`tailEnd`), and the instant of its second 0.
   */
  private tailAt = NO_TAIL
  private tailEnd = 0
  private minuteStart = Number.NaN
  /** Reads the instants that bound the last stamp's minute (apart from `stamps`, whose last stamp it keeps). */
  private readonly minuteStamps: StampReader
  /**
   * Process names by the low bits of their bytes' hash (the last one seen in each slot), and the Dovecot service
   * each is (null: none). An array, not a Map: it is looked up for every line, and an array is indexed outright.
   */
  private readonly services: ({hash: number; name: Buffer; service: string | null} | undefined)[] = Array.from(
    {length: SERVICE_SLOTS},
    () => undefined,
  )
  private asciiChunk: Buffer | null = null
  private chunkIsAscii = false
  /** The line the reader is about to give the full parser, as a template read it; null when none fitted. */
  private expected: Expected | null = null
  /** The line the reader is about to give the full parser because the consumer declined it; null when none. */
  private declined: Expected | null = null
  /** What `expected` or `declined` points to (one at a time): one object, reused, so no line allocates. */
  private readonly pending: Expected = {line: null!, messageStart: 0}
  /** The index of the template that fitted a line last. */
  private lastFit = 0
  /** A template fitted the line just given to `read` (so it is no new shape to learn). */
  private fitted = false
  private message = 0
  /** What `fit` read of the last line (one object, reused: read it before the next line). */
  // NaN, not 0: the field holds a double from the start (a Smi first would change its shape on the first line).
  private readonly line: LaneLine = {level: 'info', service: '', time: Number.NaN, template: null!}
  /** The consumer's levels: templates are learned from, and fit, lines at these only. */
  private readonly levels: ReadonlySet<LogLevel>
  /** By index in LEVELS: the level is one of `levels` (an array read per line, where the set was a lookup). */
  private readonly wordOffered: readonly boolean[]

  constructor(
    private readonly parser: LineParser,
    private readonly consumer: FastLaneConsumer,
    reference: number,
    timeZone: string | undefined,
  ) {
    this.stamps = new StampReader(reference, timeZone)
    this.minuteStamps = new StampReader(reference, timeZone)
    this.levels = consumer.levels
    this.wordOffered = LEVELS.map((level) => this.levels.has(level))
  }

  /**
   * A new chunk of the input, before its lines are read: what they share is found here, once. The reader
   * calls it for each chunk; `read` does when given a line of a chunk it was not told of. Outside `read`, so
   * that the optimized `read` never meets its first chunk change (V8 had no feedback for that path, as it runs
   * once a chunk: each chunk deoptimized and recompiled it).
   */
  chunk(bytes: Buffer): void {
    this.asciiChunk = bytes
    this.chunkIsAscii = isAscii(bytes)
    this.consumer.chunk(bytes)
  }

  /**
   * A whole line `bytes[start, end)` (no newline): what was read of it when it was counted here, else null. `canCount` says whether the
   * record before it lets it be (a crash whose backtrace may follow does not).
   */
  read(bytes: Buffer, start: number, end: number, canCount: boolean): LaneLine | null {
    this.expected = null
    this.declined = null
    this.fitted = false
    if (end - start > MAX_LANE_LINE || end === start || bytes[end - 1] === 13) return null
    if (bytes !== this.asciiChunk) this.chunk(bytes)
    if (!this.chunkIsAscii && !isAscii(bytes.subarray(start, end))) return null
    // Lines come in runs under one wrapper: the template that fitted the last line is tried first.
    const {templates} = this
    const last = this.lastFit
    for (let turn = 0; turn < templates.length;) {
      // `last`, then the others in order. Every operation here runs on the first turn as well: those that ran only
      // from the second had no type feedback when V8 optimized read, and the first line of a second template
      // deoptimized it (twice: the count, then the index), each time followed by a new compile.
      const index = (turn === 0 ? last + 1 : turn) - (turn <= last ? 1 : 0)
      turn++
      const template = templates[index]
      // A template holds in the parser state it was learned in (a wrapped line leaves the shape the parser tries
      // first as it was): in another state, another template of the same bytes is learned and verified.
      if (template.broken || !this.parser.tries(template.lock)) continue
      const line = this.fit(template, bytes, start, end)
      if (line === null) continue
      this.lastFit = index
      this.fitted = true
      if (template.verified < VERIFY || !canCount) {
        this.expected = this.pendingLine(line, this.message - start)
        return null
      }
      if (!this.consumer.take(bytes, this.message, end, line)) {
        this.declined = this.pendingLine(line, this.message - start)
        return null
      }
      this.parser.resume(template.lock)
      this.fitted = false
      return line
    }

    return null
  }

  private pendingLine(line: LaneLine, messageStart: number): Expected {
    const pending = this.pending
    pending.line = line
    pending.messageStart = messageStart
    return pending
  }

  /**
   * After the full parser read the line `read` was just given (and did not count): confirms the template that
   * fitted it, or learns a new one from the record; for a line the consumer declined, gives the consumer the
   * record when it agrees with what the template read (else null, and the template is dropped).
   */
  parsed(text: string, result: LogRecord | null): void {
    const {expected, declined, fitted} = this
    this.expected = null
    this.declined = null
    this.fitted = false
    if (declined !== null) {
      const agrees = result !== null && sameRecord(declined, result, text) && this.parser.holds(declined.line.template.lock)
      if (!agrees) declined.line.template.broken = true
      this.consumer.parsed(agrees ? result : null)
      return
    }
    if (expected !== null) {
      const {template} = expected.line
      if (result !== null && sameRecord(expected, result, text) && this.parser.holds(template.lock)) template.verified++
      else template.broken = true
      return
    }

    if (result !== null && !fitted && this.templates.length < MAX_TEMPLATES) this.learn(text, result)
  }

  /** Reads the line with `template`; null when it does not fit. Leaves the message's start in `message`. */
  private fit(template: LineTemplate, bytes: Buffer, start: number, end: number): LaneLine | null {
    const {lead, middle, stampLength} = template
    let pos = start
    // The lead and the middle are compared by the function that compares process names (service, every line):
    // a log's first template often has neither, and a loop of fit's own would then have no type feedback when
    // fit is optimized, so the first wrapped line deoptimized fit and V8 compiled it again.
    if (!bytesAt(bytes, pos, lead)) return null
    pos += lead.length
    if (pos + stampLength >= end || bytes[pos + stampLength] !== 32) return null
    if (!this.readStamp(template, bytes, pos)) return null
    pos += stampLength + 1
    if (!bytesAt(bytes, pos, middle)) return null
    pos += middle.length

    // The process prefix, as readProcessPrefix reads it: `name(arg)<first><second>: `.
    const nameStart = pos
    if (!isLetter(bytes[pos])) return null
    let hash = bytes[pos++]
    while (pos < end && isNameByte(bytes[pos])) hash = (hash * 31 + bytes[pos++]) | 0
    const nameEnd = pos
    if (bytes[pos] === 40) pos = bracketEnd(bytes, pos, end, 40, 41)
    if (pos !== -1 && bytes[pos] === 60) {
      pos = bracketEnd(bytes, pos, end, 60, 62)
      if (pos !== -1 && bytes[pos] === 60) pos = bracketEnd(bytes, pos, end, 60, 62)
    }
    if (pos === -1 || bytes[pos] !== 58 || bytes[pos + 1] !== 32) return null
    pos += 2
    const service = this.service(bytes, nameStart, nameEnd, hash)
    if (service === null) return null

    // A template's lines without a level word have its level, which is one of `levels` (learn takes no other).
    let level = template.wordless
    const word = levelWordAt(bytes, pos, end)
    if (word !== -1) {
      if (level !== null || !this.wordOffered[word]) return null
      level = LEVELS[word]
      pos += LEVEL_WORDS[word].length
    } else if (level === null) return null
    this.message = pos
    const line = this.line
    line.level = level
    line.service = service
    line.time = this.lastTime
    line.template = template
    return line
  }

  /**
   * Whether the stamp at `at` has the template's shape and a time, left in `lastTime`. A boolean, not the time:
   * a number returned from a call is a new heap number each time (one per line), a field is not.
   */
  private readStamp(template: LineTemplate, bytes: Buffer, at: number): boolean {
    const length = template.stampLength
    const last = this.lastStamp
    if (length === this.lastStampLength) {
      let first = 0
      while (first < length && bytes[at + first] === last[first]) first++
      if (first === length) return this.lastShape === template.stampShape
      if (first >= this.tailAt && this.lastShape === template.stampShape && this.readTail(bytes, at, first, length)) return true
    }

    const stamps = this.stamps
    const text = bytes.toString('latin1', at, at + length + 1)
    if (!stamps.read(text, 0) || stamps.end !== length || stamps.time === null) return false
    if (stampShape(stamps) !== template.stampShape || bytes[at + length - 1] === 90) return false
    if (length > last.length) this.lastStamp = Buffer.alloc(length)
    const kept = this.lastStamp
    for (let i = 0; i < length; i++) kept[i] = bytes[at + i]
    this.lastStampLength = length
    this.lastTime = stamps.time
    this.lastShape = template.stampShape
    this.learnMinute(text, length)
    return true
  }

  /**
   * The stamp at `at` differs from the last one from its byte `first` on, which is in the seconds: when it differs
   * only in the digits of its seconds and fraction, its time is its minute's start plus them (the minute is
   * uniform, learnMinute), left in `lastTime`, and no string is made. False: it is to be read in full.
   */
  private readTail(bytes: Buffer, at: number, first: number, length: number): boolean {
    const last = this.lastStamp
    const seconds = this.tailAt
    const end = this.tailEnd
    for (let i = end; i < length; i++) if (bytes[at + i] !== last[i]) return false
    const tens = bytes[at + seconds] - 48
    const units = bytes[at + seconds + 1] - 48
    if (tens < 0 || tens > 5 || units < 0 || units > 9) return false
    let ms = 0
    if (end > seconds + 2) {
      // The fraction: the same mark, digits only; its first three are the milliseconds, as StampReader reads them.
      if (bytes[at + seconds + 2] !== last[seconds + 2]) return false
      for (let i = seconds + 3; i < end; i++) {
        const digit = bytes[at + i] - 48
        if (digit < 0 || digit > 9) return false
        if (i < seconds + 6) ms = ms * 10 + digit
      }
      for (let digits = end - seconds - 3; digits < 3; digits++) ms *= 10
    }
    this.lastTime = this.minuteStart + (tens * 10 + units) * 1000 + ms
    for (let i = first; i < end; i++) last[i] = bytes[at + i]
    return true
  }

  /**
   * After the stamp `text` (with the space after it) was read in full: whether every second and fraction of its
   * minute is its second 0 plus them, checked at the minute's first and last instants by StampReader itself (a
   * zone's change within the minute, a year-less stamp's year rolling back in it, an hour 24 that Date.parse
   * takes at second 0 only, all break it). When it is, a later stamp that differs only there is read by readTail.
   */
  private learnMinute(text: string, length: number): void {
    const {kind, compactZone} = this.stamps
    const seconds = SECONDS_AT[kind]
    const end = length - zoneLength(kind, compactZone)
    this.tailAt = NO_TAIL
    // Digits after the fraction's mark; -1: no fraction.
    const digits = end - seconds - 3
    const at = (second: string, digit: string): string =>
      text.slice(0, seconds) + second + (digits >= 0 ? text[seconds + 2] + digit.repeat(digits) : '') + text.slice(end)
    const reader = this.minuteStamps
    if (!reader.read(at('00', '0'), 0) || reader.end !== length || reader.time === null) return
    const start = reader.time
    if (!reader.read(at('59', '9'), 0) || reader.end !== length || reader.time === null) return
    const lastMs = digits <= 0 ? 0 : digits === 1 ? 900 : digits === 2 ? 990 : 999
    if (reader.time - start !== 59_000 + lastMs) return
    this.minuteStart = start
    this.tailAt = seconds
    this.tailEnd = end
  }

  /** The service a process name stands for (its bytes' hash given), when it is one of Dovecot's; null otherwise. */
  private service(bytes: Buffer, start: number, end: number, hash: number): string | null {
    const slot = hash & (SERVICE_SLOTS - 1)
    const known = this.services[slot]
    if (known !== undefined && known.hash === hash && sameBytes(bytes, start, end, known.name)) return known.service
    const name = bytes.toString('latin1', start, end)
    const candidate = serviceName(name)
    const service = DOVECOT_SERVICES.has(candidate) ? candidate : null
    this.services[slot] = {hash, name: Buffer.from(name, 'latin1'), service}
    return service
  }

  /** A template from a record the full parser made of `text`, when it has the shape the lane reads. */
  private learn(text: string, record: LogRecord): void {
    if (record.service === null || record.level === null || !this.levels.has(record.level)) return
    if (record.continuation.length > 0 || record.time === null || text.length > MAX_LANE_LINE) return
    if (!isAscii(Buffer.from(text)) || text.charCodeAt(text.length - 1) === 13) return
    const messageStart = text.length - record.message.length
    if (messageStart <= 0 || !text.endsWith(record.message)) return
    let prefixEnd = messageStart
    if (record.levelSource === 'word') {
      const word = LEVEL_WORDS[LEVELS.indexOf(record.level)].toString('latin1')
      if (!text.startsWith(word, messageStart - word.length)) return
      prefixEnd -= word.length
    } else if (record.levelSource !== 'priority') return
    if (text.charCodeAt(prefixEnd - 2) !== 58 || text.charCodeAt(prefixEnd - 1) !== 32) return
    const prefixStart = text.lastIndexOf(' ', prefixEnd - 3) + 1
    if (prefixStart === 0) return

    // The stamp: the first place before the prefix where one is read, with the record's time.
    const stamps = new StampReader(this.stamps.reference, this.stamps.timeZone)
    let stampAt = -1
    for (let at = 0; at < prefixStart - 1 && at <= 64; at++) {
      if (stamps.read(text, at) && stamps.end < prefixStart && stamps.time === record.time) {
        stampAt = at
        break
      }
    }
    if (stampAt === -1 || text.charCodeAt(stamps.end - 1) === 90) return
    const lead = Buffer.from(text.slice(0, stampAt), 'latin1')
    const middle = Buffer.from(text.slice(stamps.end + 1, prefixStart), 'latin1')
    const wordless = record.levelSource === 'priority' ? record.level : null
    const stampLength = stamps.end - stampAt
    const known = this.templates.some(
      (template) =>
        template.lead.equals(lead) &&
        template.middle.equals(middle) &&
        template.stampLength === stampLength &&
        template.wordless === wordless &&
        this.parser.holds(template.lock),
    )
    if (known) return
    this.templates.push({
      lead,
      stampLength,
      stampShape: stampShape(stamps),
      middle,
      wordless,
      format: record.format,
      program: record.program,
      host: record.host,
      dovecot: record.dovecot,
      wrappers: record.wrappers,
      wrapped: record.wrappers.length > 0,
      lock: this.parser.lock(),
      verified: 0,
      broken: false,
    })
  }
}

/** Index just past the bracket that closes the one at `open`, as the parser's bracketEnd finds it; -1 when none. */
function bracketEnd(bytes: Buffer, open: number, end: number, opening: number, close: number): number {
  for (let at = open + 1; at < end; at++) {
    const c = bytes[at]
    if (c === close) return at + 1
    if (c === opening) return -1
  }
  return -1
}

/** `bytes` holds `expected` at `at`. */
function bytesAt(bytes: Buffer, at: number, expected: Buffer): boolean {
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false
  return true
}

/** `bytes[start, end)` holds exactly `expected`. */
function sameBytes(bytes: Buffer, start: number, end: number, expected: Buffer): boolean {
  return end - start === expected.length && bytesAt(bytes, start, expected)
}

/** Which level word (index in LEVELS) starts at `at`; -1 when none. */
function levelWordAt(bytes: Buffer, at: number, end: number): number {
  const first = bytes[at]
  for (let index = 0; index < LEVEL_WORDS.length; index++) {
    const word = LEVEL_WORDS[index]
    if (word[0] !== first || at + word.length > end) continue
    let i = 1
    while (i < word.length && bytes[at + i] === word[i]) i++
    if (i === word.length) return index
  }
  return -1
}

const STAMP_KINDS: Record<StampKind, number> = {bsd: 0, iso: 1, 'iso-zoned': 2, dmy: 3}
/** A number, not a string: made for every stamp decoded, it allocates nothing. */
const stampShape = (stamps: StampReader): number =>
  STAMP_KINDS[stamps.kind] * 4 + (stamps.fractional ? 2 : 0) + (stamps.compactZone ? 1 : 0)

/** The full parser's record agrees with what the template read from the line. */
function sameRecord(expected: Expected, record: LogRecord, text: string): boolean {
  const {line} = expected
  const {template} = line
  return (
    record.level === line.level &&
    record.service === line.service &&
    record.time === line.time &&
    record.format === template.format &&
    record.program === template.program &&
    record.host === template.host &&
    record.dovecot === template.dovecot &&
    record.continuation.length === 0 &&
    record.wrappers.join() === template.wrappers.join() &&
    text.length - record.message.length === expected.messageStart
  )
}
