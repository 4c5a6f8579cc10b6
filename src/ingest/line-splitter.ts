import {MAX_LINE_BYTES} from '../input/limits.js'
import {BinaryInputError, looksBinary} from '../input/open.js'
import {ReusedBytes} from '../input/reused-bytes.js'

/**
 * Splits a byte stream into lines, counting every one, so line numbers stay exact.
 *
 * Written here rather than taken from split2 because split2 cannot keep exact line numbers past an
 * over-long line: `skipOverflow` drops it silently, and without it the stream fails (see stack-notes).
 * A line longer than `maxLineBytes` (MAX_LINE_BYTES) is cut to that length and reported with the number of bytes cut,
 * so memory stays bounded however long a line is. `\n` ends a line; a `\r` before it is dropped (CRLF);
 * a last line without `\n` is still a line.
 */
export class LineSplitter {
  /** The current line's bytes from earlier chunks, up to maxLineBytes. */
  private readonly part = new ReusedBytes()
  /** Bytes of the current line beyond maxLineBytes, dropped. */
  private cutBytes = 0

  constructor(readonly maxLineBytes = MAX_LINE_BYTES) {}

  /**
   * Calls `emit` for each line completed by `chunk`. `take`, when given, is offered each whole line that lies
   * in the chunk first, as bytes (`chunk[start, end)`, its newline excluded): when it returns true it has
   * read the line, which is then neither decoded nor emitted.
   */
  push(chunk: Buffer, emit: (text: string, cutBytes: number) => void, take?: (chunk: Buffer, start: number, end: number) => boolean): void {
    let start = 0
    for (;;) {
      const newline = chunk.indexOf(10, start)
      if (newline === -1) {
        if (start < chunk.length) this.keep(chunk.subarray(start))
        return
      }

      if (this.part.length === 0 && this.cutBytes === 0) {
        if (take !== undefined && newline - start <= this.maxLineBytes && take(chunk, start, newline)) {
          start = newline + 1
          continue
        }
        const end = newline - start > this.maxLineBytes ? start + this.maxLineBytes : newline
        emit(decode(chunk, start, end), newline - end)
      } else {
        this.keep(chunk.subarray(start, newline))
        this.flush(emit)
      }

      start = newline + 1
    }
  }

  /** At the end of the input: the last line, if it had no newline. */
  end(emit: (text: string, cutBytes: number) => void): void {
    if (this.part.length > 0 || this.cutBytes > 0) this.flush(emit)
  }

  private keep(piece: Buffer): void {
    const kept = Math.min(piece.length, this.maxLineBytes - this.part.length)
    // Copied: the chunk it points into may be reused by the stream.
    if (kept > 0) this.part.append(piece, kept)
    this.cutBytes += piece.length - kept
  }

  private flush(emit: (text: string, cutBytes: number) => void): void {
    const text = decode(this.part.bytes(), 0, this.part.length)
    const cut = this.cutBytes
    this.part.clear()
    this.cutBytes = 0
    emit(text, cut)
  }
}

function decode(buffer: Buffer, start: number, end: number): string {
  if (end > start && buffer[end - 1] === 13) end -= 1 // CRLF
  return buffer.toString('utf8', start, end)
}

/** One line of `splitLines`: its 1-based number, its text, and the bytes cut off its end (0: whole). */
export interface SplitLine {
  line: number
  text: string
  cutBytes: number
}

/**
 * The lines of a byte stream, each at most `maxLineBytes` long (see LineSplitter), as they are read.
 * Throws BinaryInputError when the first chunk is binary (`match - </dev/zero`).
 */
export async function* splitLines(bytes: AsyncIterable<Buffer | string>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<SplitLine> {
  const splitter = new LineSplitter(maxLineBytes)
  let lines: SplitLine[] = []
  let line = 0
  let first = true
  const emit = (text: string, cutBytes: number): void => void lines.push({line: ++line, text, cutBytes})
  for await (const piece of bytes) {
    const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece)
    if (first && looksBinary(chunk)) throw new BinaryInputError()
    first = false
    splitter.push(chunk, emit)
    yield* lines
    lines = []
  }
  splitter.end(emit)
  yield* lines
}
