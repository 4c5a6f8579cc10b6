import type {LaneLine} from './fast-lane.js'
import type {InputStatsCounter} from './input-stats.js'
import {isRecord, type LineParser} from './parse-line.js'
import type {LogRecord} from './record.js'

// A Fatal or Panic is followed by its `Raw backtrace:` from the same process (src/lib/failures.c).
const BACKTRACE = 'Raw backtrace:'
/** An unprefixed line that is a backtrace frame: indented, `->` or `#1`. */
const CRASH_FRAME = /^(\s|->|#\d)/
const endsInCrash = (record: LogRecord): boolean => record.level === 'panic' || record.level === 'fatal'

/**
 * The step between the line parser and a reader's events: parses each line, joins a crash's backtrace
 * lines to the crash (its `Raw backtrace:` record and the unprefixed frames after it), counts every line
 * in the input's stats, and batches the records. The last record is held until the next line shows
 * whether it continues it.
 */
export class RecordAssembler {
  private pending: LogRecord | null
  private batch: LogRecord[] = []

  /**
   * `carried`: a crash held at the end of the last look at this input (--follow), whose backtrace may be
   * in the lines read now.
   */
  constructor(
    private readonly parser: LineParser,
    private readonly stats: InputStatsCounter,
    private readonly carried: LogRecord | null = null,
  ) {
    this.pending = carried
  }

  /** Reads one line; returns its record when it is one (not joined to the one before), else null. */
  line(text: string, line: number): LogRecord | null {
    const result = this.parser.parse(text, line)
    const pending = this.pending
    if (isRecord(result)) {
      if (
        pending !== null &&
        result.message.startsWith(BACKTRACE) &&
        endsInCrash(pending) &&
        result.service === pending.service &&
        result.pid === pending.pid
      ) {
        pending.continuation.push(result.message)
        this.stats.continuation()
        return null
      }

      if (pending !== null) this.batch.push(pending)
      this.pending = result
      this.stats.record(result)
      return result
    } else if (result === 'unparsed') {
      // Unprefixed lines right after a crash (indented backtrace frames) belong to it.
      if (pending !== null && (endsInCrash(pending) || pending.continuation.length > 0) && CRASH_FRAME.test(text)) {
        pending.continuation.push(text)
        this.stats.continuation()
      } else this.stats.unparsedLine(line, text)
    } else this.stats.skip(result === 'skipped' && this.parser.skipReason === 'program' ? this.parser.skippedProgram : null)
    return null
  }

  /** The next line may be counted without its record: the record held is no crash whose backtrace may follow. */
  get canCount(): boolean {
    const pending = this.pending
    return pending === null || (!endsInCrash(pending) && pending.continuation.length === 0)
  }

  /** A line counted from its bytes (src/ingest/fast-lane.ts): it ends the record held, as its record would. */
  counted(line: LaneLine): void {
    if (this.pending !== null) this.batch.push(this.pending)
    this.pending = null
    this.stats.counted(line)
  }

  /** The records complete so far (all but the held last one). */
  takeRecords(): LogRecord[] {
    const records = this.batch
    this.batch = []
    return records
  }

  /**
   * At the end of what there is to read: the records left. With `holdCrash` (--follow, more lines may come
   * later), a crash read in this look that has no backtrace yet is not among them but returned as `held`, to be
   * carried into the next look; a crash carried in and still alone is given up on.
   */
  finish(holdCrash: boolean): {records: LogRecord[]; held: LogRecord | null} {
    const last = this.pending
    this.pending = null
    const records = this.takeRecords()
    if (last === null) return {records, held: null}
    if (holdCrash && last !== this.carried && endsInCrash(last) && last.continuation.length === 0) return {records, held: last}
    records.push(last)
    return {records, held: null}
  }
}
