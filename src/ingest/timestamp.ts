import {TZDate} from '@date-fns/tz'

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
}

/** The shapes of timestamp a log line can start with. */
export type StampKind =
  | 'bsd' // "Nov 23 10:00:00" (Dovecot's default log_timestamp, BSD syslog, journalctl short), no year, no zone
  | 'iso' // "2026-11-23 10:00:00" or "2026-11-23T10:00:00", optional fraction, no zone
  | 'iso-zoned' // "2026-11-23T10:00:00.123456+00:00" (RFC 3339) or "...+0100" (journalctl short-iso)
  | 'dmy' // "19.11.2017, 14:53:11" (mailcow's UI export)

const DAY_MS = 86_400_000

/** Where a stamp of each kind has its seconds' two digits; a fraction, then the zone of an 'iso-zoned' one, follow. */
export const SECONDS_AT: Readonly<Record<StampKind, number>> = {bsd: 13, iso: 17, 'iso-zoned': 17, dmy: 18}
/** The length of the zone that ends a stamp: "+01:00", "+0100" (compact), none. ("Z" never reaches the lane.) */
export const zoneLength = (kind: StampKind, compact: boolean): number => (kind === 'iso-zoned' ? (compact ? 5 : 6) : 0)

/** True when `zone` is one @date-fns/tz understands: an IANA name ("Europe/Berlin", "UTC") or an offset ("+02:00"). */
export function isValidTimeZone(zone: string): boolean {
  // Real offsets run from -12:00 to +14:00; TZDate takes +25:00 and later fails to format with it.
  const offset = /^[+-](\d{2}):?(\d{2})$/.exec(zone)
  if (offset) return Number(offset[1]) <= 14 && Number(offset[2]) <= 59
  if (/^[+-]/.test(zone)) return false
  return !Number.isNaN(new TZDate(2026, 0, 1, 0, 0, 0, 0, zone).getTime())
}

const digit = (text: string, at: number): number => text.charCodeAt(at) - 48
const two = (text: string, at: number): number => digit(text, at) * 10 + digit(text, at + 1)
const isDigit = (text: string, at: number): boolean => {
  const c = text.charCodeAt(at)
  return c >= 48 && c <= 57
}

/**
 * Reads the timestamp at the start of a line and turns it into an instant. One per input: it knows the
 * input's reference time (the file's mtime, for stamps without a year) and the zone for stamps without
 * one (--timezone, else the local zone). Consecutive lines mostly share a second, so the last stamp's
 * text and instant are kept and reused; a stamp is parsed with plain character arithmetic, not a
 * general date parser (date-fns `parse` costs ~7 µs a call, see stack-notes).
 *
 * `read()` leaves its results in fields rather than allocating a result object per line.
 */
export class StampReader {
  /** After a successful read: index just past the stamp (at the space that follows it). */
  end = 0
  /** After a successful read: the instant in ms, or null when the stamp is not a real date. */
  time: number | null = null
  kind: StampKind = 'bsd'
  /** The stamp had a fractional second (journalctl short-precise, RFC 3339 high precision). */
  fractional = false
  /** For 'iso-zoned': the offset was written without a colon ("+0100", journalctl short-iso). */
  compactZone = false

  private lastText = ''
  private lastTime: number | null = null
  private readonly referenceYear: number

  constructor(
    /** For year-less stamps: the newest the log can be (its mtime, or now for stdin). */
    readonly reference: number,
    /** IANA zone or offset for stamps without one; undefined for the local zone. */
    readonly timeZone?: string,
  ) {
    this.referenceYear = new Date(reference).getFullYear()
  }

  /** Recognizes a stamp at `at`, followed by a space. False (and no state change worth reading) if none. */
  read(text: string, at = 0): boolean {
    const c = text.charCodeAt(at)
    if (c >= 65 && c <= 90) return this.readBsd(text, at)
    if (c >= 48 && c <= 57) return text.charCodeAt(at + 4) === 45 ? this.readIso(text, at) : this.readDmy(text, at)
    return false
  }

  /** Wall-clock fields (month 0-based) to an instant in the configured zone. */
  wallTime(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
    return this.timeZone === undefined
      ? new Date(year, month, day, hour, minute, second, ms).getTime()
      : new TZDate(year, month, day, hour, minute, second, ms, this.timeZone).getTime()
  }

  private readBsd(text: string, at: number): boolean {
    // "Nov 23 10:00:00" or "Nov  3 10:00:00", optionally ".123456"
    if (text.charCodeAt(at + 3) !== 32 || text.charCodeAt(at + 9) !== 58 || text.charCodeAt(at + 12) !== 58) return false
    let end = at + 15
    const fractionStart = end
    if (text.charCodeAt(end) === 46) while (isDigit(text, ++end));
    if (text.charCodeAt(end) !== 32) return false
    // The month is looked up only for a stamp other than the last: the last one's month was valid.
    const stampText = this.found(text, at, end, 'bsd', end !== fractionStart, false)
    if (stampText === undefined) return true
    const month = MONTHS[text.slice(at, at + 3)]
    if (month === undefined) return false

    const day = text.charCodeAt(at + 4) === 32 ? digit(text, at + 5) : two(text, at + 4)
    const hour = two(text, at + 7)
    const minute = two(text, at + 10)
    const second = two(text, at + 13)
    const ms = this.fractional ? fractionMs(text, fractionStart + 1, end) : 0
    let time = this.wallTime(this.referenceYear, month, day, hour, minute, second, ms)
    // No year in the stamp: it is the reference's year, unless that puts it after the reference, as
    // for December lines in a file last written in January: then it is the year before.
    if (time > this.reference + DAY_MS) time = this.wallTime(this.referenceYear - 1, month, day, hour, minute, second, ms)
    return this.remember(stampText, Number.isNaN(time) ? null : time)
  }

  private readIso(text: string, at: number): boolean {
    // "2026-11-23 10:00:00" / "2026-11-23T10:00:00", optional ".123456", optional "Z" / "+01:00" / "+0100"
    const sep = text.charCodeAt(at + 10)
    if (text.charCodeAt(at + 7) !== 45 || (sep !== 84 && sep !== 32)) return false
    if (text.charCodeAt(at + 13) !== 58 || text.charCodeAt(at + 16) !== 58) return false
    let end = at + 19
    const fractionStart = end
    // "." or, after a space-separated stamp, Python logging's "," (supervisord: "2024-05-01 10:00:00,123")
    const mark = text.charCodeAt(end)
    if (mark === 46 || (mark === 44 && sep === 32)) while (isDigit(text, ++end));
    const fractionEnd = end
    let zoned = false
    let compact = false
    const z = text.charCodeAt(end)
    if (z === 90 && sep === 84) {
      end += 1
      zoned = true
    } else if ((z === 43 || z === 45) && sep === 84 && isDigit(text, end + 1)) {
      compact = text.charCodeAt(end + 3) !== 58
      end += compact ? 5 : 6
      zoned = true
    }

    if (text.charCodeAt(end) !== 32) return false
    const stampText = this.found(text, at, end, zoned ? 'iso-zoned' : 'iso', fractionEnd !== fractionStart, compact)
    if (stampText === undefined) return true

    let time: number
    if (zoned) {
      time = Date.parse(compact ? stampText.slice(0, -2) + ':' + stampText.slice(-2) : stampText)
    } else {
      const ms = this.fractional ? fractionMs(text, fractionStart + 1, fractionEnd) : 0
      time = this.wallTime(
        Number(text.slice(at, at + 4)),
        two(text, at + 5) - 1,
        two(text, at + 8),
        two(text, at + 11),
        two(text, at + 14),
        two(text, at + 17),
        ms,
      )
    }

    return this.remember(stampText, Number.isNaN(time) ? null : time)
  }

  private readDmy(text: string, at: number): boolean {
    // "19.11.2017, 14:53:11"
    if (text.charCodeAt(at + 2) !== 46 || text.charCodeAt(at + 5) !== 46 || text.charCodeAt(at + 10) !== 44) return false
    if (text.charCodeAt(at + 14) !== 58 || text.charCodeAt(at + 17) !== 58 || text.charCodeAt(at + 20) !== 32) return false
    const stampText = this.found(text, at, at + 20, 'dmy', false, false)
    if (stampText === undefined) return true

    const year = Number(text.slice(at + 6, at + 10))
    const time = this.wallTime(year, two(text, at + 3) - 1, two(text, at), two(text, at + 12), two(text, at + 15), two(text, at + 18), 0)
    return this.remember(stampText, Number.isNaN(time) ? null : time)
  }

  /**
   * Records the shape of a stamp just recognized. Undefined when it is the same text as the last stamp
   * (its instant is reused); otherwise the stamp's text, to be converted and remembered.
   */
  private found(text: string, at: number, end: number, kind: StampKind, fractional: boolean, compactZone: boolean): string | undefined {
    this.kind = kind
    this.fractional = fractional
    this.compactZone = compactZone
    this.end = end
    // Compared in place: most lines repeat the last stamp, and then no string is made for it.
    if (end - at === this.lastText.length && text.startsWith(this.lastText, at)) {
      this.time = this.lastTime
      return undefined
    }

    return text.slice(at, end)
  }

  private remember(stampText: string, time: number | null): true {
    this.lastText = stampText
    this.lastTime = time
    this.time = time
    return true
  }
}

/** Milliseconds from the digits of a fraction ("123456" → 123). */
function fractionMs(text: string, from: number, to: number): number {
  let ms = 0
  for (let i = 0; i < 3; i++) ms = ms * 10 + (from + i < to ? digit(text, from + i) : 0)
  return ms
}
