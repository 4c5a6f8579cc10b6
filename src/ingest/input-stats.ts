import {byCodeUnits} from '../code-unit-order.js'
import type {LaneLine} from './fast-lane.js'
import type {LogInput} from './inputs.js'
import {ownCopy} from './own-copy.js'
import type {LogFormat, LogLevel, LogRecord, WrapperKind} from './record.js'

/**
 * What one input held. Every line read is counted exactly once:
 * `lines = parsed + skipped + unparsed`, where parsed lines are records plus the continuation lines
 * joined to them.
 */
export interface InputStats {
  input: string
  kind: LogInput['kind']
  /** Why this input was read, when dovediag chose it (no input argument). */
  reason: string | null
  /** The shape most records had; `formats` has them all when an input mixes shapes. Null without records. */
  format: LogFormat | null
  formats: Partial<Record<LogFormat, number>>
  compressed: boolean
  /** False when reading stopped early (binary data, truncated gzip, read error): the counts cover what was read. */
  complete: boolean
  lines: number
  parsed: number
  records: number
  continuations: number
  /** Lines of other programs, journal markers, other audit records and blank lines: skipped on purpose. */
  skipped: number
  /** Lines no known shape recognized. */
  unparsed: number
  /** Lines understood (parsed, or skipped on purpose) out of all lines, 0 to 1; null without lines. */
  parseRate: number | null
  /** Records recognized by their text alone, with no line shape or prefix parsed (the raw fallback): format `raw`. */
  raw: number
  /** Records that are Dovecot's lines: none in an input that has lines means it is not a Dovecot log. */
  dovecotRecords: number
  /** Lines by wrapper peeled off them (grep file names, compose prefixes...), most first. */
  wrappers: Partial<Record<WrapperKind, number>>
  /** Skipped lines of other programs by program (a few dozen names at most), most first. */
  otherPrograms: Record<string, number>
  /** The first few unparsed lines, to see what was not understood. */
  unparsedSamples: {line: number; text: string}[]
  /** Earliest and latest record times (ms since the epoch). */
  firstTime: number | null
  lastTime: number | null
  /** Records by level ("none" for records without one), most first. */
  levels: Record<string, number>
  /** Records by Dovecot service (by program for the other programs kept), most first. */
  services: Record<string, number>
}

const SAMPLES = 5
const SAMPLE_CHARS = 200

/** Other programs named in the counts at most: a shared syslog has a few dozen. */
const MAX_OTHER_PROGRAMS = 50

/** Counts one input's lines as they are read; `finish()` gives the InputStats. */
export class InputStatsCounter {
  lines = 0
  compressed = false
  complete = true
  private records = 0
  private continuations = 0
  private skipped = 0
  private unparsed = 0
  private readonly samples: {line: number; text: string}[] = []
  // Infinities until a time is counted: numbers only, kept in place (a `number | null` field boxes each new time).
  private firstTime = Number.POSITIVE_INFINITY
  private lastTime = Number.NEGATIVE_INFINITY
  private readonly formats = new Tally<LogFormat>()
  private readonly levels = new Tally<LogLevel | 'none'>()
  private readonly services = new Tally<string>()
  private dovecotRecords = 0
  private readonly wrappers = new Tally<WrapperKind>()
  private readonly otherPrograms = new Tally<string>()

  constructor(private readonly input: LogInput) {}

  record(record: LogRecord): void {
    this.records++
    if (record.dovecot) this.dovecotRecords++
    if (record.wrappers.length > 0) for (const wrapper of record.wrappers) this.wrappers.add(wrapper)
    this.formats.add(record.format)
    this.levels.add(record.level ?? 'none')
    this.services.add(record.dovecot ? (record.service ?? '(no prefix)') : record.program)
    const time = record.time
    if (time !== null) {
      if (time < this.firstTime) this.firstTime = time
      if (time > this.lastTime) this.lastTime = time
    }
  }

  /** A line the fast lane counted: what `record` counts, from what its template read. */
  counted(line: LaneLine): void {
    const {template, time} = line
    this.records++
    if (template.dovecot) this.dovecotRecords++
    if (template.wrapped) for (const wrapper of template.wrappers) this.wrappers.add(wrapper)
    this.formats.add(template.format)
    this.levels.add(line.level)
    this.services.add(template.dovecot ? line.service : template.program)
    if (time < this.firstTime) this.firstTime = time
    if (time > this.lastTime) this.lastTime = time
  }

  continuation(): void {
    this.continuations++
  }

  /** A line skipped on purpose; `program` when it is another program's line. */
  skip(program: string | null = null): void {
    this.skipped++
    if (program !== null && (this.otherPrograms.size < MAX_OTHER_PROGRAMS || this.otherPrograms.has(program)))
      this.otherPrograms.add(program)
  }

  unparsedLine(line: number, text: string): void {
    this.unparsed++
    if (this.samples.length < SAMPLES)
      this.samples.push({line, text: text.length > SAMPLE_CHARS ? ownCopy(text.slice(0, SAMPLE_CHARS) + '…') : text})
  }

  finish(): InputStats {
    let format: LogFormat | null = null
    let most = 0
    for (const [candidate, count] of this.formats.entries()) if (count > most) [format, most] = [candidate, count]
    return {
      input: this.input.name,
      kind: this.input.kind,
      reason: this.input.reason ?? null,
      format,
      formats: Object.fromEntries(this.formats.entries()),
      compressed: this.compressed,
      complete: this.complete,
      lines: this.lines,
      parsed: this.records + this.continuations,
      records: this.records,
      continuations: this.continuations,
      skipped: this.skipped,
      unparsed: this.unparsed,
      parseRate: this.lines === 0 ? null : (this.lines - this.unparsed) / this.lines,
      raw: this.formats.get('raw'),
      dovecotRecords: this.dovecotRecords,
      wrappers: byCount(this.wrappers.entries()),
      otherPrograms: byCount(this.otherPrograms.entries()),
      unparsedSamples: this.samples,
      firstTime: this.firstTime === Number.POSITIVE_INFINITY ? null : this.firstTime,
      lastTime: this.lastTime === Number.NEGATIVE_INFINITY ? null : this.lastTime,
      levels: byCount(this.levels.entries()),
      services: byCount(this.services.entries()),
    }
  }
}

/**
 * Counts by key, keys in the order first seen. Each count is a box held by the map, so that counting a
 * record is one map lookup rather than a get and a set: it is done three times for every record read. The
 * last key's box is kept too: lines come in runs of one format and level, and then there is no lookup at all.
 */
class Tally<K extends string> {
  private readonly boxes = new Map<K, {count: number}>()
  // A string from the start (not undefined): one Tally's first add would otherwise deoptimize the add that
  // others' string keys had optimized. Null box: no key counted yet, whatever the key.
  private lastKey = ''
  private lastBox: {count: number} | null = null

  add(key: K, by = 1): void {
    if (key === this.lastKey && this.lastBox !== null) {
      this.lastBox.count += by
      return
    }
    let box = this.boxes.get(key)
    if (box === undefined) this.boxes.set(key, (box = {count: 0}))
    box.count += by
    this.lastKey = key
    this.lastBox = box
  }

  get size(): number {
    return this.boxes.size
  }

  has(key: K): boolean {
    return this.boxes.has(key)
  }

  get(key: K): number {
    return this.boxes.get(key)?.count ?? 0
  }

  entries(): [K, number][] {
    return [...this.boxes].map(([key, box]) => [key, box.count])
  }
}

const byCount = (entries: [string, number][]): Record<string, number> =>
  Object.fromEntries(entries.sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0])))

/**
 * Why an input with lines is not a Dovecot log (no line of it is Dovecot's), as the one line said about it:
 * what it held instead. Null when some line is Dovecot's, or when it held only blank lines and journal markers.
 */
export function notDovecotLog(stats: InputStats): string | null {
  if (stats.dovecotRecords > 0) return null
  const programs = new Map(Object.entries(stats.otherPrograms))
  // Records of the other programs kept as corroboration (ntpd, the kernel) count as other programs' lines too.
  for (const [program, count] of Object.entries(stats.services)) programs.set(program, (programs.get(program) ?? 0) + count)
  const otherLines = [...programs.values()].reduce((sum, count) => sum + count, 0)
  if (stats.unparsed === 0 && otherLines === 0) return null
  const parts: string[] = []
  if (otherLines > 0) {
    const top = [...programs]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([program, count]) => `${program} ${count}`)
    parts.push(`${otherLines} line${otherLines === 1 ? '' : 's'} of other programs (${top.join(', ')}${programs.size > 3 ? ', ...' : ''})`)
  }
  const sample = stats.unparsedSamples[0]
  if (sample !== undefined) {
    const text = sample.text.length > 60 ? `${sample.text.slice(0, 60)}…` : sample.text
    parts.push(
      `${stats.unparsed} line${stats.unparsed === 1 ? '' : 's'} in no log format dovediag knows, such as line ${sample.line}: ${JSON.stringify(text)}`,
    )
  }
  return `no line is a Dovecot log line: ${parts.join('; ')}`
}
