import {parse} from 'csv-parse'
import {Readable} from 'node:stream'

import {MAX_LINE_SIZE} from '../input/limits.js'
import {boundedRecords, type LeftOutRecord} from './bounded-records.js'
import {headerProblem, resolveColumns, rowFromValues, type ColumnMap} from './columns.js'
import {DELIMITER} from './detect.js'
import type {ColumnOverrides, RowSink} from './record.js'

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

/**
 * Reads a delimited file with a header (CSV, TSV, semicolon, GNU parallel --joblog and --results) through
 * csv-parse, so quoted fields may hold delimiters, quotes and newlines (captured stderr). The text must
 * have LF line ends (see textChunks): csv-parse miscounts lines with CRLF. csv-parse holds a record whole:
 * boundedRecords before it leaves out records over MAX_LINE_BYTES (and unclosed quotes), so memory stays
 * bounded and the rows after them are read.
 */
export async function readDelimited(
  text: AsyncIterable<string>,
  format: keyof typeof DELIMITER,
  source: string,
  sink: RowSink,
  overrides: ColumnOverrides,
): Promise<void> {
  let linesBefore = 0 // newlines consumed by earlier records: the next record starts after them
  let recordStart = 1
  const quotes = format !== 'joblog'
  const input = Readable.from(
    boundedRecords(text, {
      delimiter: DELIMITER[format],
      quotes,
      onLeftOut: (left) => sink.problem({source, line: left.line, message: leftOutMessage(left)}),
    }),
  )
  const parser = input.pipe(
    parse({
      delimiter: DELIMITER[format],
      // GNU parallel writes the joblog's Command column unquoted, with quotes inside it.
      quote: quotes ? '"' : false,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      raw: true, // for line numbers: `info` would give them too, but copies its whole state per record (slow)
      skip_records_with_error: true,
      on_skip: (error) => {
        const rest = error?.code === 'CSV_QUOTE_NOT_CLOSED' ? '; nothing after it could be read' : ''
        sink.problem({
          source,
          line: recordStart,
          message: `unreadable ${format.toUpperCase()} record: ${(error?.message ?? 'bad record').replace(/ at line \d+$/, '')}${rest}`,
        })
      },
    }),
  )
  // pipe() does not pass errors on: a read error (a truncated gzip) must end the loop below, not the process.
  input.once('error', (error) => parser.destroy(error))

  let header: string[] | null = null
  let map: ColumnMap = {}
  let rows = 0
  for await (const {record, raw} of parser as AsyncIterable<{record: string[]; raw: string}>) {
    let leading = 0 // skipped empty lines before the record
    while (raw.charCodeAt(leading) === 0x0a) leading++
    const line = linesBefore + leading + 1
    linesBefore += countNewlines(raw)
    recordStart = linesBefore + 1
    if (header === null) {
      header = record
      map = resolveColumns(header, overrides)
      const problem = headerProblem(header, map, overrides)
      if (problem) {
        sink.problem({source, line, message: `not a migration result header: ${problem}`})
        parser.destroy()
        return
      }
      continue
    }
    if (record.length !== header.length) {
      sink.problem({source, line, message: `${record.length} fields where the header has ${header.length}; row skipped`})
      continue
    }
    const result = rowFromValues(record, map, {source, line})
    if ('error' in result) sink.problem({source, line, message: `${result.error}; row skipped`})
    else {
      rows++
      sink.row(result.row)
    }
  }
  if (header === null) sink.problem({source, line: null, message: 'empty input: no header and no rows'})
  else if (rows === 0) sink.problem({source, line: null, message: 'no result rows after the header'})
}
