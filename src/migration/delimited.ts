import {parse} from 'csv-parse'
import {Readable} from 'node:stream'

import {MAX_LINE_SIZE} from '../input/limits.js'
import {boundedRecords, type LeftOutRecord} from './bounded-records.js'
import {DelimitedRecordReader} from './delimited-records.js'
import {headerProblem, resolveColumns, rowFromValues, type ColumnMap} from './columns.js'
import {DELIMITER} from './detect.js'
import type {ColumnOverrides, RowSink} from './record.js'
import {ownCopy} from '../ingest/own-copy.js'

function countNewlines(text: string): number {
  let count = 0
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) count++
  return count
}

function leftOutMessage(left: LeftOutRecord): string {
  if (left.reason === 'quote-not-closed')
    return `a quote opened on this line is not closed (within ${MAX_LINE_SIZE}, or before the end); line skipped, reading on from the next line`
  return `row is ${(left.chars / 1024 / 1024).toFixed(1)} MB long, over the ${MAX_LINE_SIZE} limit for one row; row skipped`
}

/** What readDelimited does with each record: the first is the header, the rest rows. */
class DelimitedRows {
  header: string[] | null = null
  private map: ColumnMap = {}
  rows = 0
  /** Set when the header cannot give rows: the input is read no further. */
  stopped = false

  constructor(
    private readonly source: string,
    private readonly sink: RowSink,
    private readonly overrides: ColumnOverrides,
  ) {}

  record(record: string[], line: number): void {
    const {source, sink} = this
    if (this.header === null) {
      this.header = record
      this.map = resolveColumns(record, this.overrides)
      const problem = headerProblem(record, this.map, this.overrides)
      if (problem) {
        sink.problem({source, line, message: `not a migration result header: ${problem}`})
        this.stopped = true
      }
      return
    }
    if (record.length !== this.header.length) {
      sink.problem({source, line, message: `${record.length} fields where the header has ${this.header.length}; row skipped`})
      return
    }
    const result = rowFromValues(record, this.map, {source, line})
    // Kept beyond the reading (a row's user name and host, per user; a problem): own copies, not slices of the
    // chunk DelimitedRecordReader read them from (see ownCopy).
    if ('error' in result) sink.problem({source, line, message: ownCopy(`${result.error}; row skipped`)})
    else {
      this.rows++
      result.user = ownCopy(result.user)
      if (result.host !== null) result.host = ownCopy(result.host)
      sink.row(result)
    }
  }

  finish(): void {
    if (this.stopped) return
    if (this.header === null) this.sink.problem({source: this.source, line: null, message: 'empty input: no header and no rows'})
    else if (this.rows === 0) this.sink.problem({source: this.source, line: null, message: 'no result rows after the header'})
  }
}

/** csv-parse's message for a record it skips, without its line (the problem names the line). */
function unreadableRecord(format: string, message: string, code: string | undefined): string {
  const rest = code === 'CSV_QUOTE_NOT_CLOSED' ? '; nothing after it could be read' : ''
  return `unreadable ${format.toUpperCase()} record: ${message.replace(/ at line \d+$/, '')}${rest}`
}

/**
 * Reads a delimited file with a header (CSV, TSV, semicolon, GNU parallel --joblog and --results), so
 * quoted fields may hold delimiters, quotes and newlines (captured stderr), as csv-parse reads it:
 * DelimitedRecordReader does, a field at a time, and csv-parse itself reads the rare text whose records end
 * at CR. The text must have LF line ends (see textChunks). boundedRecords before it leaves out records over
 * MAX_LINE_BYTES (and unclosed quotes), so memory stays bounded and the rows after them are read. False when
 * the header gives no rows: the rest of the text is not read.
 */
export async function readDelimited(
  text: AsyncIterable<string>,
  format: keyof typeof DELIMITER,
  source: string,
  sink: RowSink,
  overrides: ColumnOverrides,
): Promise<boolean> {
  const quotes = format !== 'joblog'
  const records = boundedRecords(text, {
    delimiter: DELIMITER[format],
    quotes,
    onLeftOut: (left) => sink.problem({source, line: left.line, message: leftOutMessage(left)}),
  })
  const rows = new DelimitedRows(source, sink, overrides)
  const reader = new DelimitedRecordReader(DELIMITER[format], quotes)
  const each = (record: string[], line: number): void => rows.record(record, line)
  const stop = (): boolean => rows.stopped
  /** The text read before the header's end: csv-parse reads it again if records end at CR. */
  let head: string[] | null = []
  // Not `for await`: leaving it would close `records`, which csv-parse may have to read on.
  for (let next = await records.next(); !next.done; next = await records.next()) {
    head?.push(next.value)
    if (!reader.read(next.value, each, stop)) return readWithCsvParse(prependText(head!, records), format, source, sink, rows)
    if (rows.stopped) {
      await records.return(undefined)
      return false
    }
    if (rows.header !== null) head = null
  }
  const end = reader.finish(each)
  if (end === false) return readWithCsvParse(head!, format, source, sink, rows)
  if (end.unclosedQuoteLine !== null) {
    const message = unreadableRecord(format, 'Quote Not Closed: the parsing is finished with an opening quote', 'CSV_QUOTE_NOT_CLOSED')
    sink.problem({source, line: end.unclosedQuoteLine, message})
  }
  rows.finish()
  return true
}

async function* prependText(head: readonly string[], rest: AsyncIterator<string>): AsyncGenerator<string> {
  yield* head
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
}

/** Text whose records end at CR (a CR outside quotes before any LF), read by csv-parse as it finds them. */
async function readWithCsvParse(
  text: Iterable<string> | AsyncIterable<string>,
  format: keyof typeof DELIMITER,
  source: string,
  sink: RowSink,
  rows: DelimitedRows,
): Promise<boolean> {
  let linesBefore = 0 // newlines consumed by earlier records: the next record starts after them
  let recordStart = 1
  const input = Readable.from(text)
  const parser = input.pipe(
    parse({
      delimiter: DELIMITER[format],
      // GNU parallel writes the joblog's Command column unquoted, with quotes inside it.
      quote: format !== 'joblog' ? '"' : false,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      raw: true, // for line numbers: `info` would give them too, but copies its whole state per record (slow)
      skip_records_with_error: true,
      on_skip: (error) => {
        sink.problem({source, line: recordStart, message: unreadableRecord(format, error?.message ?? 'bad record', error?.code)})
      },
    }),
  )
  // pipe() does not pass errors on: a read error (a truncated gzip) must end the loop below, not the process.
  input.once('error', (error) => parser.destroy(error))
  for await (const {record, raw} of parser as AsyncIterable<{record: string[]; raw: string}>) {
    let leading = 0 // skipped empty lines before the record
    while (raw.charCodeAt(leading) === 0x0a) leading++
    const line = linesBefore + leading + 1
    linesBefore += countNewlines(raw)
    recordStart = linesBefore + 1
    rows.record(record, line)
    if (rows.stopped) {
      parser.destroy()
      return false
    }
  }
  rows.finish()
  return true
}
