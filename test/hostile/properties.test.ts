import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {ExitCodeInputError, explainCode, parseCodeArgument} from '../../src/exit-codes/explain.js'
import {wholeLinesUntilAborted} from '../../src/input/abortable.js'
import {ReusedBytes} from '../../src/input/reused-bytes.js'
import {LineSplitter} from '../../src/ingest/line-splitter.js'
import {isRecord, LineParser, parseLine} from '../../src/ingest/parse-line.js'
import {readLogs} from '../../src/ingest/read-logs.js'
import type {InputStats} from '../../src/ingest/input-stats.js'
import {readResultsInput} from '../../src/migration/read.js'
import type {MigrationRow} from '../../src/policy/migration-row.js'
import type {ApiRequest, ApiResponse, MigrationProblem} from '../../src/migration/record.js'

/**
 * Property-based tests (fast-check) over every parser: whatever the input, they never throw (other than
 * their documented error types), never hang (sizes are bounded), account for every line, and answer the
 * same for CRLF as for LF. Seeded, so a run is repeatable; a failure prints the seed and the shrunk input.
 * Run counts stay moderate so the suite stays fast.
 */
const RUNS = {numRuns: 150, seed: 7}

// Pieces of real log lines, so generated lines reach deep into the parsers instead of failing at once.
const LOG_PIECES = [
  'Nov 22 10:00:06 ',
  '2026-11-22T10:00:06.123456+01:00 ',
  '2026-11-22 10:00:06 ',
  '19.11.2017, 14:53:11 | crit | ',
  'mail ',
  'dovecot: ',
  'dovecot[123]: ',
  'kernel: ',
  'chronyd[9]: ',
  'imap(jdoe)',
  '<1234><AbCd>',
  ': ',
  'Error: ',
  'Fatal: ',
  'Panic: ',
  'Info: ',
  'imap-login: ',
  'lmtp(u@x)',
  'Raw backtrace: ',
  ' -> ',
  '#0 ',
  '-- Boot 1a2b --',
  'dovecot_1  | ',
  'type=AVC msg=audit(1586604621.637:6736): ',
  ' comm="imap"',
  ' pid=12',
  'Disconnected',
  '(',
  ')',
  '[',
  ']',
  ' ',
  '\t',
  'ü',
  '\uFFFD',
  '\u001b[31m',
  '{',
  '}',
  '"',
  ':',
  ',',
]
const logLine = fc.oneof(
  fc.array(fc.constantFrom(...LOG_PIECES), {maxLength: 12}).map((pieces) => pieces.join('')),
  fc.string({maxLength: 80}),
  fc.string({unit: 'binary', maxLength: 40}),
)

/** A journalctl -o json line; MESSAGE as a string, an array of bytes, or something else entirely. */
const journalLine = fc
  .record(
    {
      MESSAGE: fc.oneof(
        logLine,
        fc.array(fc.integer({min: -5, max: 300}), {maxLength: 40}),
        fc.constant(null),
        fc.integer(),
        fc.object({maxDepth: 1}),
      ),
      SYSLOG_IDENTIFIER: fc.oneof(fc.constantFrom('dovecot', 'kernel', 'chronyd', 'sshd'), fc.string({maxLength: 8}), fc.integer()),
      _SYSTEMD_UNIT: fc.constantFrom('dovecot.service', 'ssh.service'),
      __REALTIME_TIMESTAMP: fc.oneof(fc.constant('1763805606000000'), fc.string({maxLength: 8}), fc.integer()),
      PRIORITY: fc.oneof(fc.constantFrom('0', '3', '6', '9', 'x'), fc.integer({min: -2, max: 9})),
      _PID: fc.oneof(fc.constant('42'), fc.string({maxLength: 4})),
      _HOSTNAME: fc.oneof(fc.constant('mx1'), fc.integer()),
    },
    {requiredKeys: []},
  )
  .map((entry) => JSON.stringify(entry))

const anyLine = fc.oneof(logLine, journalLine)
const content = fc.array(anyLine, {maxLength: 30}).map((lines) => lines.join('\n'))

/** Cuts a buffer into chunks at the given points, as a stream would deliver it. */
function chunked(buffer: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (buffer.length + 1)))].sort((a, b) => a - b)
  const chunks: Buffer[] = []
  let start = 0
  for (const point of [...points, buffer.length]) {
    if (point > start) chunks.push(buffer.subarray(start, point))
    start = Math.max(start, point)
  }
  return chunks
}

/** The chunks as stdin would give them. */
async function* stream(chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks
}

const withCrlf = (text: string): string => text.replaceAll('\n', '\r\n')

describe('properties: log lines (LineParser, parseLine)', () => {
  it('never throw, and give a record, skipped, unparsed or blank (blank only for an empty line)', () => {
    fc.assert(
      fc.property(fc.array(anyLine, {maxLength: 20}), (lines) => {
        const parser = new LineParser({source: 'x.log', reference: Date.UTC(2026, 10, 23), timeZone: 'UTC'})
        for (const [index, text] of lines.entries()) {
          for (const result of [parser.parse(text, index + 1), parseLine(text, {line: index + 1})]) {
            if (isRecord(result)) {
              assert.equal(result.line, index + 1)
              assert.equal(typeof result.message, 'string')
            } else assert.ok(['skipped', 'unparsed', 'blank'].includes(result))
            assert.equal(result === 'blank', text === '')
          }
        }
      }),
      RUNS,
    )
  })

  it('a journal line whose MESSAGE is an array of bytes reads as the same line with MESSAGE as text', () => {
    fc.assert(
      fc.property(logLine, (message) => {
        const entry = {
          SYSLOG_IDENTIFIER: 'dovecot',
          _SYSTEMD_UNIT: 'dovecot.service',
          __REALTIME_TIMESTAMP: '1763805606000000',
          PRIORITY: '3',
        }
        const asText = parseLine(JSON.stringify({...entry, MESSAGE: message}))
        const asBytes = parseLine(JSON.stringify({...entry, MESSAGE: [...Buffer.from(message)]}))
        assert.equal(typeof asText, typeof asBytes)
        if (isRecord(asText) && isRecord(asBytes)) assert.deepEqual({...asBytes, text: ''}, {...asText, text: ''})
        else assert.equal(asBytes, asText)
      }),
      RUNS,
    )
  })
})

describe('properties: the line splitter', () => {
  it('gives the same lines however the bytes are cut into chunks: every line counted, CR of CRLF dropped, long lines cut', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({maxLength: 300}).map((bytes) => Buffer.from(bytes.map((b) => (b % 7 === 0 ? 10 : b % 7 === 1 ? 13 : b)))),
        fc.array(fc.nat(), {maxLength: 8}),
        fc.integer({min: 1, max: 40}),
        (buffer, cuts, maxLineBytes) => {
          const got: [string, number][] = []
          const splitter = new LineSplitter(maxLineBytes)
          // Each chunk in one buffer, overwritten once pushed, as a file read with reuseChunks gives them.
          const reused = Buffer.alloc(buffer.length)
          for (const chunk of chunked(buffer, cuts)) {
            chunk.copy(reused)
            splitter.push(reused.subarray(0, chunk.length), (text, cut) => got.push([text, cut]))
            reused.fill(0x5a)
          }
          splitter.end((text, cut) => got.push([text, cut]))

          // The reference: split the whole buffer at once.
          const expected: [string, number][] = []
          let start = 0
          for (let newline = buffer.indexOf(10); ; newline = buffer.indexOf(10, start)) {
            const end = newline === -1 ? buffer.length : newline
            if (newline === -1 && end === start) break
            const kept = Math.min(end - start, maxLineBytes)
            let keptEnd = start + kept
            if (keptEnd > start && buffer[keptEnd - 1] === 13) keptEnd--
            expected.push([buffer.toString('utf8', start, keptEnd), end - start - kept])
            if (newline === -1) break
            start = newline + 1
          }
          assert.deepEqual(got, expected)
        },
      ),
      RUNS,
    )
  })
})

describe('properties: reused bytes', () => {
  it('holds what was appended, in order, across growths and clears', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.nat({max: 3000}), {freq: 8}), {maxLength: 20}), (steps) => {
        const held = new ReusedBytes()
        let expected: Buffer[] = []
        for (const [index, step] of steps.entries()) {
          if (step === null) {
            held.clear()
            expected = []
            continue
          }
          // Each piece of its own bytes, and only its first half appended when it has one.
          const piece = Buffer.alloc(step, index % 251)
          const end = step >> 1 || step
          held.append(piece, end)
          expected.push(piece.subarray(0, end))
          assert.ok(held.bytes().equals(Buffer.concat(expected)), `after step ${index}`)
          assert.equal(held.length, held.bytes().length)
        }
      }),
      RUNS,
    )
  })
})

describe('properties: reading until Ctrl-C', () => {
  it('passes every byte once, in order, from chunks overwritten as they are read; once aborted, ends after the last whole line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({maxLength: 200}).map((bytes) => Buffer.from(bytes.map((b) => (b % 9 === 0 ? 10 : b)))),
        fc.array(fc.nat(), {maxLength: 10}),
        fc.integer({min: 1, max: 40}),
        fc.boolean(),
        fc.option(fc.nat({max: 12})),
        async (buffer, cuts, maxHeld, reused, abortAt) => {
          const chunks = chunked(buffer, cuts)
          const controller = new AbortController()
          // One buffer for every chunk, overwritten when the next is read: the harshest reuse.
          const scratch = Buffer.alloc(buffer.length)
          async function* source(): AsyncGenerator<Buffer> {
            for (const [index, chunk] of chunks.entries()) {
              if (index === abortAt) controller.abort()
              scratch.fill(0x5a)
              chunk.copy(scratch)
              yield scratch.subarray(0, chunk.length)
            }
          }
          const got: Buffer[] = []
          for await (const piece of wholeLinesUntilAborted(source(), controller.signal, reused, maxHeld)) got.push(Buffer.from(piece))
          const text = Buffer.concat(got)
          if (abortAt === null || abortAt >= chunks.length) {
            assert.deepEqual(text, buffer)
            return
          }
          const read = Buffer.concat(chunks.slice(0, abortAt))
          const whole = read.lastIndexOf(10) + 1
          assert.deepEqual(text, read.subarray(0, text.length), 'a prefix of what was read')
          assert.ok(text.length >= whole, 'every whole line read is passed on')
          // A last line no longer than maxHeld is held back whole; a longer one may have been passed on as it came.
          if (read.length - whole <= maxHeld) assert.equal(text.length, whole)
        },
      ),
      RUNS,
    )
  })
})

async function readAll(
  text: string,
  cuts: number[],
): Promise<{stats: InputStats; records: {line: number; message: string; level: string | null}[]}> {
  let stats: InputStats | undefined
  const records: {line: number; message: string; level: string | null}[] = []
  const stdin = stream(chunked(Buffer.from(text), cuts))
  for await (const event of readLogs([{kind: 'stdin', name: '-'}], {stdin, timeZone: 'UTC'})) {
    if (event.type === 'records') records.push(...event.records.map(({line, message, level}) => ({line, message, level})))
    if (event.type === 'input-done') stats = event.stats
  }
  assert.ok(stats, 'input-done for every input')
  return {stats, records}
}

describe('properties: reading a log (readLogs)', () => {
  it('accounts for every line (lines = parsed + skipped + unparsed), and reads CRLF as it reads LF', async () => {
    await fc.assert(
      fc.asyncProperty(content, fc.array(fc.nat(), {maxLength: 5}), async (text, cuts) => {
        const lf = await readAll(text, cuts)
        // A newline ends a line; text after the last newline is one more line.
        const lines = text.split('\n').length - (text.endsWith('\n') || text === '' ? 1 : 0)
        // NUL bytes at the start make it binary: reading stops there (a problem says so), so fewer lines.
        if (lf.stats.complete) assert.equal(lf.stats.lines, lines)
        else assert.ok(text.includes('\0'))
        assert.equal(lf.stats.parsed + lf.stats.skipped + lf.stats.unparsed, lf.stats.lines)
        assert.equal(lf.stats.parsed, lf.stats.records + lf.stats.continuations)
        assert.equal(lf.records.length, lf.stats.records)
        const crlf = await readAll(withCrlf(text), cuts)
        assert.deepEqual(crlf.records, lf.records)
        assert.deepEqual({...crlf.stats, unparsedSamples: []}, {...lf.stats, unparsedSamples: []})
      }),
      {...RUNS, numRuns: 100},
    )
  })
})

// Migration exports: rows built from fields that may be fine or broken, written in each format.
const user = fc.oneof(fc.constantFrom('jdoe@example.org', 'a', 'ü@x', ''), fc.string({maxLength: 10}))
const code = fc.oneof(fc.constantFrom('0', '2', '75', '1003', '-1', 'EX_TEMPFAIL', 'x', '', '999999999999'), fc.string({maxLength: 4}))
const stderr = fc.oneof(fc.constant(''), fc.string({maxLength: 30}), fc.constantFrom('a,"b"\nc', 'Error: x; y\tz'))
const resultRow = fc.record({user, code, stderr})

interface Collected {
  rows: MigrationRow[]
  problems: MigrationProblem[]
  responses: ApiResponse[]
  requests: ApiRequest[]
}

async function readMigration(text: string, cuts: number[]): Promise<Collected> {
  const collected: Collected = {rows: [], problems: [], responses: [], requests: []}
  await readResultsInput(
    {kind: 'stdin', name: '-'},
    {
      row: (row) => collected.rows.push({...row, order: collected.rows.length}),
      problem: (problem) => collected.problems.push(problem),
      apiResponse: (response) => collected.responses.push(response),
      apiRequest: (request) => collected.requests.push(request),
    },
    {stdin: stream(chunked(Buffer.from(text), cuts)), overrides: {}},
  )
  return collected
}

const DELIMITED = {csv: ',', tsv: '\t', semicolon: ';'} as const
function delimited(rows: {user: string; code: string; stderr: string}[], delimiter: string): string {
  const quote = (value: string) => (/[",\t;\n\r]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value)
  return [['user', 'exit_code', 'stderr'], ...rows.map((row) => [row.user, row.code, row.stderr])]
    .map((fields) => fields.map(quote).join(delimiter))
    .join('\n')
}

/** Each row read or reported as a problem on its own line: nothing lost, nothing counted twice. */
function assertEveryRowAccounted(result: Collected, rows: number): void {
  const rowProblems = result.problems.filter((problem) => problem.line !== null)
  assert.equal(result.rows.length + rowProblems.length, rows, JSON.stringify(result.problems))
  const lines = [...result.rows.map((row) => row.line), ...rowProblems.map((problem) => problem.line)]
  assert.equal(new Set(lines).size, lines.length, `one outcome per row: ${lines.join(',')}`)
}

describe('properties: migration readers', () => {
  for (const [format, delimiter] of Object.entries(DELIMITED)) {
    it(`${format}: every row is read or reported (rows read + problems = rows), and CRLF reads as LF`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(resultRow, {minLength: 1, maxLength: 12}), fc.array(fc.nat(), {maxLength: 4}), async (rows, cuts) => {
          const text = delimited(rows, delimiter)
          const lf = await readMigration(text, cuts)
          assertEveryRowAccounted(lf, rows.length)
          assert.deepEqual(await readMigration(withCrlf(text), cuts), lf)
        }),
        {...RUNS, numRuns: 60},
      )
    })
  }

  it('JSON Lines and JSON documents: every object is read or reported', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(resultRow, {minLength: 1, maxLength: 12}), fc.array(fc.nat(), {maxLength: 4}), async (rows, cuts) => {
        const objects = rows.map((row) => ({
          user: row.user,
          exit_code: /^-?\d+$/.test(row.code) ? Number(row.code) : row.code,
          stderr: row.stderr,
        }))
        const jsonl = objects.map((object) => JSON.stringify(object)).join('\n')
        const lines = await readMigration(jsonl, cuts)
        assertEveryRowAccounted(lines, rows.length)
        assert.deepEqual(await readMigration(withCrlf(jsonl), cuts), lines)
        const document = await readMigration(JSON.stringify(objects, null, 2), cuts)
        // A document has no line per object: its problems name the item instead.
        assert.equal(document.rows.length + document.problems.filter((problem) => problem.message.startsWith('item ')).length, rows.length)
        assert.deepEqual(
          document.rows.map((row) => row.user),
          lines.rows.map((row) => row.user),
        )
      }),
      {...RUNS, numRuns: 60},
    )
  })

  it('doveadm HTTP API responses of any shape: never throw; each response is joined or reported', async () => {
    const apiEntry = fc.oneof(
      fc.tuple(fc.constant('doveadmResponse'), fc.jsonValue({maxDepth: 1}), fc.string({maxLength: 6})),
      fc.tuple(
        fc.constant('error'),
        fc.oneof(
          fc.record(
            {
              type: fc.constantFrom('exitCode', 'unAuthorized'),
              exitCode: fc.oneof(fc.integer({min: -1, max: 80}), fc.string({maxLength: 3})),
            },
            {requiredKeys: []},
          ),
          fc.jsonValue({maxDepth: 1}),
        ),
        fc.string({maxLength: 6}),
      ),
      fc.tuple(fc.constant('syncRequest'), fc.record({user}, {requiredKeys: []}), fc.string({maxLength: 6})),
      fc.jsonValue({maxDepth: 2}),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.array(apiEntry, {minLength: 1, maxLength: 8}),
        fc.boolean(),
        fc.array(fc.nat(), {maxLength: 4}),
        async (entries, asLines, cuts) => {
          const text = asLines ? entries.map((entry) => JSON.stringify(entry)).join('\n') : JSON.stringify(entries)
          const result = await readMigration(text, cuts)
          for (const problem of result.problems) assert.equal(problem.source, '-')
          if (asLines) assert.deepEqual(await readMigration(withCrlf(text), cuts), result)
        },
      ),
      {...RUNS, numRuns: 80},
    )
  })

  it('GNU parallel joblogs and arbitrary text: never throw, every problem names the input', async () => {
    const joblogRow = fc.record({
      seq: fc.nat(99),
      code: fc.oneof(fc.nat(300), fc.string({maxLength: 3})),
      signal: fc.oneof(fc.nat(20), fc.string({maxLength: 2})),
      command: fc.string({maxLength: 30}),
    })
    const joblog = fc
      .array(joblogRow, {maxLength: 8})
      .map((rows) =>
        [
          'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand',
          ...rows.map((row) => `${row.seq}\t:\t1763805606.123\t1.5\t0\t0\t${row.code}\t${row.signal}\tdoveadm sync -u ${row.command}`),
        ].join('\n'),
      )
    const garbage = fc.oneof(
      fc.string({maxLength: 200}),
      fc.string({unit: 'binary', maxLength: 200}),
      fc
        .array(fc.constantFrom('"', ',', '\n', '\r\n', '[', '{', '}', ']', 'user', 'code', '\t', ';', 'x'), {maxLength: 60})
        .map((parts) => parts.join('')),
    )
    await fc.assert(
      fc.asyncProperty(fc.oneof(joblog, garbage), fc.array(fc.nat(), {maxLength: 4}), async (text, cuts) => {
        const result = await readMigration(text, cuts)
        for (const problem of result.problems) assert.equal(problem.source, '-')
        for (const row of result.rows) assert.ok(row.line >= 1)
      }),
      {...RUNS, numRuns: 120},
    )
  })
})

describe('properties: exit-code arguments', () => {
  it('parseCodeArgument throws only ExitCodeInputError, and what it accepts explainCode explains', () => {
    const argument = fc.oneof(
      fc.string({maxLength: 12}),
      fc.integer().map(String),
      fc.bigInt({min: -(2n ** 70n), max: 2n ** 70n}).map(String),
      fc.constantFrom(
        'EX_TEMPFAIL',
        'tempfail',
        'sigkill',
        'SIGKILL',
        '\u221275',
        '4294967295',
        '+75',
        ' 75 ',
        '1e3',
        '0x4b',
        'NaN',
        'Infinity',
        '-0',
      ),
    )
    fc.assert(
      fc.property(argument, fc.constantFrom<'intermediate' | 'final'>('intermediate', 'final'), (input, phase) => {
        let code: number
        try {
          code = parseCodeArgument(input)
        } catch (error) {
          assert.ok(error instanceof ExitCodeInputError, String(error))
          assert.ok(error.message.length > 0)
          return
        }
        assert.ok(Number.isSafeInteger(code))
        const explanation = explainCode(code, phase, input)
        assert.equal(explanation.code, code)
        assert.ok(explanation.status >= 0 && explanation.status <= 255)
        assert.ok(explanation.meaning.length > 0)
      }),
      {...RUNS, numRuns: 400},
    )
  })
})
