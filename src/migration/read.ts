import {StringDecoder} from 'node:string_decoder'

import {BinaryInputError, looksBinary, openInput, shrankWhileRead, type OpenOptions} from '../input/open.js'
import {MAX_LINE_BYTES, MAX_LINE_SIZE} from '../input/limits.js'
import {openProblem, readProblem} from '../input/problem.js'
import type {InputSource} from '../input/resolve.js'
import {detectFormat} from './detect.js'
import {readDelimited} from './delimited.js'
import {jsonErrorLine, JsonResultReader} from './json.js'
import {type ColumnOverrides, fromInputProblem, type InputFormat, type RowSink} from './record.js'

export interface ReadOptions extends OpenOptions {
  /** Forces the format instead of detecting it. */
  format?: InputFormat
  overrides: ColumnOverrides
}

const BOM = '\uFEFF'

/**
 * Bytes decoded at a time: the text stays below V8's large-object size (128 KiB), so it is made in the young
 * generation and dies there. A 256 KiB read decoded whole is a large object of its own, mapped and unmapped
 * by the kernel each time (most of the page faults of a big export, and as many copies downstream).
 */
const DECODE_BYTES = 1 << 15

/** UTF-8 text without a leading BOM and with CRLF made LF (a CR at a chunk's end waits for the next chunk). */
async function* textChunks(bytes: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const utf8 = new StringDecoder('utf8') // a character split between chunks waits for its end
  let pendingCr = false
  let first = true
  let textStart = true
  for await (const read of bytes) {
    if (first && looksBinary(read)) throw new BinaryInputError()
    first = false
    for (let at = 0; at < read.length; at += DECODE_BYTES) {
      let text: string = (pendingCr ? '\r' : '') + utf8.write(read.subarray(at, at + DECODE_BYTES))
      if (textStart && text !== '') {
        textStart = false
        if (text.startsWith(BOM)) text = text.slice(1) // a UTF-8 BOM (Excel, PowerShell exports) is not content
      }
      pendingCr = text.endsWith('\r')
      if (pendingCr) text = text.slice(0, -1)
      if (text !== '') yield text.replaceAll('\r\n', '\n')
    }
  }
  const rest = (pendingCr ? '\r' : '') + utf8.end()
  if (rest !== '') yield rest.replaceAll('\r\n', '\n')
}

async function* prependText(head: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  if (head !== '') yield head
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
}

/**
 * Hands `each` every line of the text, numbered from 1, without the newline (a chunk's lines at once). A
 * line longer than MAX_LINE_BYTES characters is never held whole: `tooLong` gets its number and length
 * once its end is read, and `each` never sees it.
 */
async function eachLine(
  text: AsyncIterable<string>,
  each: (line: number, content: string) => void,
  tooLong: (line: number, chars: number) => void,
): Promise<void> {
  let carry = ''
  let number = 0
  /** Characters of the too-long line being skipped, or -1. */
  let skipped = -1
  for await (const chunk of text) {
    carry += chunk
    let start = 0
    for (let end = carry.indexOf('\n'); end >= 0; end = carry.indexOf('\n', start)) {
      if (skipped >= 0) {
        tooLong(++number, skipped + end - start)
        skipped = -1
      } else each(++number, carry.slice(start, end))
      start = end + 1
    }
    carry = carry.slice(start)
    if (skipped >= 0 || carry.length > MAX_LINE_BYTES) {
      skipped = Math.max(skipped, 0) + carry.length
      carry = ''
    }
  }
  if (skipped >= 0) tooLong(++number, skipped)
  else if (carry !== '') each(++number, carry)
}

/**
 * Reads one input into the sink: opens it (gzip or not), tells its format from the first line unless
 * forced, and reads it with the matching reader. Every problem goes to the sink with the input's name and
 * a line; nothing here throws for bad input.
 */
export async function readResultsInput(source: InputSource, sink: RowSink, options: ReadOptions): Promise<InputFormat | null> {
  const name = source.name
  let opened
  try {
    opened = await openInput(source, options)
  } catch (error) {
    sink.problem(fromInputProblem(openProblem(name, error)))
    return null
  }
  try {
    const text = textChunks(opened.bytes)
    let head = ''
    let next = await text.next()
    // Enough to see the first line, or the first MAX_LINE_BYTES of it.
    while (!next.done) {
      head += next.value
      if (head.includes('\n') || head.length > MAX_LINE_BYTES) break
      next = await text.next()
    }
    const format = options.format ?? detectFormat(head.split('\n', 1)[0])
    if (format === null) {
      sink.problem({source: name, line: null, message: 'empty input: no header and no rows'})
      return null
    }
    const all = prependText(head, text)
    /** False when the reader stopped before the end on purpose (a header that gives no rows). */
    let whole = true
    switch (format) {
      case 'csv':
      case 'tsv':
      case 'semicolon':
      case 'joblog':
        whole = await readDelimited(all, format, name, sink, options.overrides)
        break
      case 'jsonl':
        await readJsonLines(all, name, sink, options.overrides)
        break
      case 'json':
        await readJsonDocument(all, name, sink, options.overrides)
        break
    }
    // Only a file read to its end can have got shorter: one the reader stopped early was not read whole.
    const shrank = options.signal?.aborted || !whole ? null : shrankWhileRead(opened)
    if (shrank !== null) sink.problem({source: name, line: null, message: shrank})
    return format
  } catch (error) {
    if (error instanceof BinaryInputError)
      sink.problem({source: name, line: null, message: 'is binary, not a results export (NUL bytes in its first 4 KiB): skipped'})
    else sink.problem(fromInputProblem(readProblem(name, error, null)))
    return null
  }
}

async function readJsonLines(text: AsyncIterable<string>, source: string, sink: RowSink, overrides: ColumnOverrides): Promise<void> {
  const reader = new JsonResultReader(sink, overrides)
  let any = false
  const tooLong = (line: number, chars: number): void => {
    any = true
    const size = (chars / 1024 / 1024).toFixed(1)
    sink.problem({source, line, message: `line is ${size} MB long, over the ${MAX_LINE_SIZE} limit for one row; line skipped`})
  }
  await eachLine(
    text,
    (line, content) => {
      if (content.trim() === '') return
      any = true
      let value: unknown
      try {
        value = JSON.parse(content)
      } catch (error) {
        sink.problem({source, line, message: `not valid JSON: ${(error as Error).message}; line skipped`})
        return
      }
      try {
        reader.value(value, {source, line})
      } catch (error) {
        // The reader refuses deep nesting itself; this is the last guard: one bad line never stops the file.
        if (!(error instanceof RangeError)) throw error
        sink.problem({source, line, message: `cannot be read (${error.message}); line skipped`})
      }
    },
    tooLong,
  )
  if (!any) sink.problem({source, line: null, message: 'empty input: no JSON lines'})
  else if (reader.rows === 0 && reader.requests === 0 && reader.problems === 0)
    sink.problem({source, line: null, message: 'no results in this input'})
}

// A whole JSON document has to be parsed at once: JSON.parse has no streaming mode. JSON Lines stream.
async function readJsonDocument(text: AsyncIterable<string>, source: string, sink: RowSink, overrides: ColumnOverrides): Promise<void> {
  const parsed = parseDocument(await wholeText(text))
  if ('error' in parsed) {
    sink.problem({source, line: parsed.line, message: `not valid JSON: ${parsed.error}; nothing in this input could be checked`})
    return
  }
  const reader = new JsonResultReader(sink, overrides)
  reader.value(parsed.value, {source, line: null})
  if (reader.rows === 0 && reader.requests === 0 && reader.problems === 0)
    sink.problem({source, line: null, message: 'no results in this input'})
}

async function wholeText(text: AsyncIterable<string>): Promise<string> {
  let content = ''
  for await (const chunk of text) content += chunk
  return content
}

// Apart from readJsonDocument so that the text (as large as the input) is let go once parsed.
function parseDocument(content: string): {value: unknown} | {error: string; line: number | null} {
  try {
    return {value: JSON.parse(content)}
  } catch (error) {
    return {error: (error as Error).message, line: jsonErrorLine(content, error as Error)}
  }
}
