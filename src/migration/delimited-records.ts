/**
 * Records and fields of delimited text (CSV, TSV, semicolon, GNU parallel's joblog), read exactly as
 * csv-parse reads them with the options readDelimited gives it (`relax_quotes`, `relax_column_count`,
 * `skip_empty_lines`, `bom`, the record delimiter found in the text), over a field at a time instead of a
 * byte at a time: csv-parse's byte loop was a third of `migration check` on a big export (~0.5 s of CPU for
 * the bench's 16 MB, 100 000-row CSV; the check went from 3.30 to 2.13 s of CPU with this and the session's
 * other changes, docs/performance.md). Hand-written parsing, against the guide's "prefer a library", for that
 * measured reason only: csv-parse stays its oracle. The property tests (test/migration/delimited-records.test.ts)
 * hold it to csv-parse on random text and chunking, and whole exports to the reader that was csv-parse alone.
 *
 * How csv-parse reads with those options, and so this reader:
 * - the first LF or CR outside quotes decides the record delimiter; this reader reads LF only (the text has
 *   CRLF made LF) and says so when a CR comes first (`read` returns false), so the caller hands that rare
 *   input to csv-parse itself;
 * - a `"` opens a quoted field only where the field is still empty; inside, `""` is a quote, and a `"`
 *   followed by the delimiter, LF, a NUL or the end closes it; any other closing `"` is kept, with the one
 *   that opened the field, and the field goes on unquoted;
 * - empty lines are skipped (a line holding only `""` is a record);
 * - a quote still open at the end makes the rest of the text no record (`end` gives its line).
 */

/** One record: its fields, and the line it starts on (1-based; the skipped empty lines before it counted). */
export type EachRecord = (fields: string[], line: number) => void

const LF = 0x0a
const CR = 0x0d
const QUOTE = 0x22
const BOM = 0xfeff

/** `incomplete`: the record goes on past the text read so far; `cr`: csv-parse would end records at CR. */
const INCOMPLETE = -1
const CR_RECORDS = -2

export class DelimitedRecordReader {
  private readonly delimiter: number
  /** Text of the record not complete yet (empty at a record boundary, as boundedRecords passes it on). */
  private carry = ''
  /** LFs before `carry`, and before the end of the last record given (for an unclosed quote's line). */
  private newlines = 0
  private newlinesGiven = 0
  private started = false
  /** Whether an LF outside quotes was read, which makes LF the record delimiter. */
  private lineEndKnown = false
  /** The fields of the record `record()` read last. */
  private fields: string[] = []

  constructor(
    delimiter: string,
    /** Whether `"` quotes fields (false for GNU parallel's joblog). */
    private readonly quotes: boolean,
  ) {
    this.delimiter = delimiter.charCodeAt(0)
  }

  /**
   * Reads more text, handing each record it completes to `each`; `stop()` true ends the reading. False when
   * the text ends records at CR (a CR outside quotes before any LF): nothing was given, read it with csv-parse.
   */
  read(text: string, each: EachRecord, stop: () => boolean = () => false): boolean {
    return this.records(this.carry === '' ? text : this.carry + text, false, each, stop)
  }

  /**
   * The end of the text: its last record (with no LF after it) goes to `each`. Returns the line an unclosed
   * quote's record starts on (csv-parse's CSV_QUOTE_NOT_CLOSED), else null; false as `read` does.
   */
  finish(each: EachRecord): {unclosedQuoteLine: number | null} | false {
    const text = this.carry
    this.carry = ''
    let unclosed: number | null = null
    const read = this.records(
      text,
      true,
      each,
      () => false,
      (line) => (unclosed = line),
    )
    return read ? {unclosedQuoteLine: unclosed} : false
  }

  private records(text: string, atEnd: boolean, each: EachRecord, stop: () => boolean, unclosed?: (line: number) => void): boolean {
    let at = 0
    if (!this.started && (text.length > 0 || atEnd)) {
      this.started = true
      if (text.charCodeAt(0) === BOM) at = 1 // csv-parse's `bom`: a BOM at the start is not content
    }
    const length = text.length
    while (at < length) {
      const code = text.charCodeAt(at)
      if (code === LF) {
        // An empty line: skipped (csv-parse's skip_empty_lines), and its LF makes LF the record delimiter.
        this.lineEndKnown = true
        this.newlines++
        at++
        continue
      }
      const line = this.newlines + 1
      const end = this.record(text, at, atEnd)
      if (end === CR_RECORDS) return false
      if (end === INCOMPLETE) {
        if (atEnd) unclosed?.(this.newlinesGiven + 1)
        this.carry = atEnd ? '' : text.slice(at)
        return true
      }
      for (let newline = text.indexOf('\n', at); newline !== -1 && newline < end; newline = text.indexOf('\n', newline + 1)) this.newlines++
      this.newlinesGiven = this.newlines
      at = end
      each(this.fields, line)
      if (stop()) break
    }
    this.carry = ''
    return true
  }

  /**
   * Reads the record starting at `start` (not an LF) into `this.fields`; returns the index after it (after
   * its LF), INCOMPLETE when the text ends first (and, at the end, when a quote is still open), or CR_RECORDS.
   */
  private record(text: string, start: number, atEnd: boolean): number {
    const length = text.length
    const delimiter = this.delimiter
    const fields: string[] = []
    let at = start
    for (;;) {
      // The field is `prefix` (a quoted part) and the unquoted text from `from` up to the delimiter or LF.
      let prefix = ''
      if (this.quotes && at < length && text.charCodeAt(at) === QUOTE) {
        let next = at + 1
        for (;;) {
          const quote = text.indexOf('"', next)
          if (quote === -1 || (quote + 1 === length && !atEnd)) return INCOMPLETE // is it `""`? The next text says.
          const after = quote + 1 < length ? text.charCodeAt(quote + 1) : -1
          if (after === QUOTE) {
            prefix += text.slice(next, quote + 1)
            next = quote + 2
            continue
          }
          prefix += text.slice(next, quote)
          // A CR here, before any LF, is seen by the unquoted text's loop below: CR_RECORDS.
          // Closed by the delimiter, LF, the end or a NUL (csv-parse's `!nextChr`: the NUL is the field's next
          // character); any other character closes it under relax_quotes, both quotes kept as text.
          if (after !== -1 && after !== delimiter && after !== LF && after !== 0) prefix = `"${prefix}"`
          at = quote + 1
          break
        }
      }
      // Unquoted text: a `"` in it is text.
      const from = at
      let code = 0
      while (at < length) {
        code = text.charCodeAt(at)
        if (code === delimiter || code === LF) break
        if (code === CR && !this.lineEndKnown) return CR_RECORDS
        at++
      }
      if (at === length && !atEnd) return INCOMPLETE
      fields.push(prefix + text.slice(from, at))
      if (at === length) break
      at++
      if (code === LF) {
        this.lineEndKnown = true
        break
      }
      if (at === length) {
        if (!atEnd) return INCOMPLETE
        // A delimiter as the text's last character: csv-parse ends the record with one more empty field.
        fields.push('')
        break
      }
    }
    this.fields = fields
    return at
  }
}
