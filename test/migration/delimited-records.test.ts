import assert from 'node:assert/strict'
import {Readable} from 'node:stream'
import {describe, it} from 'node:test'
import {parse} from 'csv-parse/sync'
import {parse as parseStream} from 'csv-parse'

import {seededRandom} from '../../fixtures/seeded-random.mjs'
import {MAX_LINE_BYTES, MAX_LINE_SIZE} from '../../src/input/limits.js'
import {boundedRecords, type LeftOutRecord} from '../../src/migration/bounded-records.js'
import {headerProblem, resolveColumns, rowFromValues, type ColumnMap} from '../../src/migration/columns.js'
import {readDelimited} from '../../src/migration/delimited.js'
import {DelimitedRecordReader} from '../../src/migration/delimited-records.js'
import {DELIMITER} from '../../src/migration/detect.js'
import type {ColumnOverrides, MigrationProblem, RowSink} from '../../src/migration/record.js'

interface Reading {
  records: {fields: string[]; line: number}[]
  /** The line csv-parse names for a record it skips (an unclosed quote at the end). */
  skipped: number[]
}

/**
 * csv-parse itself, with the options readDelimited gave it before DelimitedRecordReader (and still gives it
 * for text whose records end at CR), lines counted from each record's raw text as readDelimited counted them.
 */
function csvParse(text: string, delimiter: string, quotes: boolean): Reading {
  const reading: Reading = {records: [], skipped: []}
  let linesBefore = 0
  let skips = 0
  const rows = parse(text, {
    delimiter,
    quote: quotes ? '"' : false,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    raw: true,
    skip_records_with_error: true,
    on_skip: () => {
      skips++
      return undefined
    },
  }) as unknown as {record: string[]; raw: string}[]
  for (const {record, raw} of rows) {
    let leading = 0
    while (raw.charCodeAt(leading) === 0x0a) leading++
    reading.records.push({fields: record, line: linesBefore + leading + 1})
    linesBefore += raw.split('\n').length - 1
  }
  // With these options csv-parse skips only a record whose quote is still open at the end: after every other.
  for (; skips > 0; skips--) reading.skipped.push(linesBefore + 1)
  return reading
}

/** The reader, fed `text` in pieces; null when it leaves the text to csv-parse (records ending at CR). */
function reader(text: string, delimiter: string, quotes: boolean, sizes: () => number): Reading | null {
  const reading: Reading = {records: [], skipped: []}
  const records = new DelimitedRecordReader(delimiter, quotes)
  const each = (fields: string[], line: number) => reading.records.push({fields, line})
  for (let at = 0; at < text.length;) {
    const size = Math.max(1, sizes())
    if (!records.read(text.slice(at, at + size), each)) return null
    at += size
  }
  const end = records.finish(each)
  if (end === false) return null
  if (end.unclosedQuoteLine !== null) reading.skipped.push(end.unclosedQuoteLine)
  return reading
}

describe('DelimitedRecordReader reads as csv-parse does', () => {
  it('agrees on random text: quotes, doubled quotes, delimiters, empty lines, NUL, BOM, any chunking', () => {
    const {random, pick} = seededRandom(29)
    const alphabet = ['a', 'b', 'é', '😀', ',', ',', ';', '\t', '"', '"', '"', '\n', '\n', ' ', '\u0000', '\r']
    let compared = 0
    let toCsvParse = 0
    for (let round = 0; round < 4000; round++) {
      const length = Math.floor(random() * 60)
      let text = random() < 0.05 ? '\uFEFF' : ''
      for (let i = 0; i < length; i++) text += pick(alphabet)
      // Most rounds without CR: a CR before the first LF leaves the text to csv-parse.
      if (random() < 0.8) text = text.replaceAll('\r', 'r')
      const delimiter = pick([',', ',', ';', '\t'])
      const quotes = random() < 0.85
      const expected = csvParse(text, delimiter, quotes)
      for (const chunk of [1, 2, 7, 1000]) {
        const {random: sizes} = seededRandom(chunk + round)
        const actual = reader(text, delimiter, quotes, () => Math.ceil(sizes() * chunk))
        if (actual === null) {
          toCsvParse++ // always exact: readDelimited hands this text to csv-parse
          continue
        }
        assert.deepEqual(actual, expected, JSON.stringify({text, delimiter, quotes, chunk}))
        compared++
      }
    }
    assert.ok(compared > 14_000, `${compared} compared`)
    assert.ok(toCsvParse > 0 && toCsvParse < 2_000, `${toCsvParse} left to csv-parse`)
  })

  it('reads an export with multi-line quoted stderr, and tells where each record starts', () => {
    const text =
      'user,code,stderr\n\nalice@example.com,0,\nbob@example.com,75,"dsync(bob): Error: a, b\nsecond ""line"""\n\n\ncarol,2,x"y\ndave,1,"a"b'
    const reading = reader(text, ',', true, () => 5)
    assert.deepEqual(reading, {
      records: [
        {fields: ['user', 'code', 'stderr'], line: 1},
        {fields: ['alice@example.com', '0', ''], line: 3},
        {fields: ['bob@example.com', '75', 'dsync(bob): Error: a, b\nsecond "line"'], line: 4},
        {fields: ['carol', '2', 'x"y'], line: 8},
        {fields: ['dave', '1', '"a"b'], line: 9},
      ],
      skipped: [],
    })
  })

  it('leaves text whose records end at CR to csv-parse, before giving any record', () => {
    const given: string[][] = []
    const records = new DelimitedRecordReader(',', true)
    assert.equal(
      records.read('user,code\r', (fields) => given.push(fields)),
      false,
    )
    assert.deepEqual(given, [])
  })

  it('also when the CR follows a closing quote (read by the unquoted part of the field), and not once an LF has ended a record', () => {
    for (const text of ['"user"\r"code"\r', '"us""er",code\r', 'user,"code"\r\n']) {
      const given: string[][] = []
      assert.equal(
        new DelimitedRecordReader(',', true).read(text, (fields) => given.push(fields)),
        false,
        JSON.stringify(text),
      )
      assert.deepEqual(given, [])
    }
    const given: string[][] = []
    assert.equal(
      new DelimitedRecordReader(',', true).read('user,code\n"a"\r,1\n', (fields) => given.push(fields)),
      true,
    )
    assert.deepEqual(given, [
      ['user', 'code'],
      ['"a"\r', '1'],
    ])
  })
})

// readDelimited as it was before DelimitedRecordReader, all of it through csv-parse: kept here verbatim as the
// oracle the reading of whole exports must agree with, rows and problems alike.
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

async function referenceReadDelimited(
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
    parseStream({
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
      sink.row(result)
    }
  }
  if (header === null) sink.problem({source, line: null, message: 'empty input: no header and no rows'})
  else if (rows === 0) sink.problem({source, line: null, message: 'no result rows after the header'})
}

type Read = (...args: Parameters<typeof readDelimited>) => Promise<unknown>

/**
 * The rows in order, and the problems by line: a record left out by boundedRecords is reported when it scans
 * past it, which csv-parse's stream did further ahead of the rows than the reader does now.
 */
async function events(
  read: Read,
  text: string,
  format: keyof typeof DELIMITER,
  chunk: number,
): Promise<{rows: unknown[]; problems: MigrationProblem[]}> {
  const rows: unknown[] = []
  const problems: MigrationProblem[] = []
  const sink: RowSink = {
    row: (row) => rows.push(row),
    problem: (problem) => problems.push(problem),
    apiResponse: () => assert.fail('no API responses in delimited text'),
    apiRequest: () => assert.fail('no API requests in delimited text'),
  }
  async function* pieces(): AsyncGenerator<string> {
    for (let at = 0; at < text.length; at += chunk) yield text.slice(at, at + chunk)
  }
  await read(pieces(), format, 'wave.csv', sink, {})
  const byLine = problems.map((problem, index) => ({problem, index}))
  byLine.sort((a, b) => (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) || a.index - b.index)
  return {rows, problems: byLine.map(({problem}) => problem)}
}

describe('readDelimited reads whole exports as it did through csv-parse alone', () => {
  it('agrees on random exports: quoted multi-line stderr, bad rows, empty lines, unclosed quotes, CR line ends, joblogs, headers that give no rows', async () => {
    const {random, pick} = seededRandom(41)
    const users = ['alice@example.com', 'bob', 'Carol@Example.com', '', 'd"q', 'eve@example.com']
    const codes = ['0', '75', '2', 'x', '', '"75"', 'EX_TEMPFAIL']
    const stderr = ['', 'Error: a, b', '"dsync(bob): Error: x\nsecond ""line"""', '"a"b', '"unclosed', 'w\r\nx', '\u0000']
    let compared = 0
    for (let round = 0; round < 300; round++) {
      const format = pick(['csv', 'csv', 'tsv', 'semicolon', 'joblog'] as const)
      const d = DELIMITER[format]
      // Now and then a header that gives no rows (no exit code column): the reading stops at it.
      const header = random() < 0.1 ? ['user', 'stderr'] : ['user', 'exit_code', 'stderr']
      let text = (random() < 0.1 ? '\uFEFF' : '') + header.join(d) + (random() < 0.1 ? '\r' : '') + '\n'
      const rows = Math.floor(random() * 8)
      for (let row = 0; row < rows; row++) {
        if (random() < 0.15) text += '\n'
        const fields = [pick(users), pick(codes), pick(stderr)]
        if (random() < 0.1) fields.pop()
        text += fields.join(d) + (row === rows - 1 && random() < 0.3 ? '' : '\n')
      }
      for (const chunk of [1, 3, 64, 100_000]) {
        const expected = await events(referenceReadDelimited, text, format, chunk)
        const actual = await events(readDelimited, text, format, chunk)
        const where = JSON.stringify({text, format, chunk})
        if (header.length === 3) assert.deepEqual(actual, expected, where)
        else {
          // The header's problem alone: csv-parse's stream had read ahead of the header and could report the
          // unclosed quotes of rows after it, which are no longer read.
          assert.match(expected.problems[0]?.message ?? '', /^not a migration result header: no exit code column/, where)
          assert.deepEqual(actual, {rows: [], problems: expected.problems.slice(0, 1)}, where)
        }
        compared++
      }
    }
    assert.equal(compared, 1200)
  })

  it('agrees on rows over the row limit, quoted or not, one holding many lines, between ordinary rows', async () => {
    const over = 'x'.repeat(MAX_LINE_BYTES + 1000)
    const text = [
      'user,exit_code,stderr',
      'alice@example.com,75,"Error: a, b"',
      `bob@example.com,75,"${over}"`,
      'carol@example.com,0,',
      `dave@example.com,75,${over}`,
      `erin@example.com,75,"first ""line""\n${over.slice(0, MAX_LINE_BYTES / 2)}\n${over.slice(0, MAX_LINE_BYTES / 2)}"`,
      'frank@example.com,2,"unclosed',
      'grace@example.com,0,',
    ].join('\n')
    for (const chunk of [32_768, 100_000]) {
      const expected = await events(referenceReadDelimited, text, 'csv', chunk)
      assert.ok(expected.problems.length >= 3, JSON.stringify(expected.problems))
      assert.deepEqual(await events(readDelimited, text, 'csv', chunk), expected, `chunk ${chunk}`)
    }
  })
})
