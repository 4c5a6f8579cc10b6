import {MAX_LINE_BYTES} from './limits.js'
import {ReusedBytes} from './reused-bytes.js'

/**
 * Reading that stops when an AbortSignal fires (Ctrl-C, see src/cli/interrupt.ts): the input layer's side of
 * an interruption, so readers need not know where the signal comes from.
 */

/**
 * The items until the signal aborts, even when the source is waiting (stdin with nothing to read yet):
 * each next() races the abort. The source is closed when the loop ends.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  if (signal === undefined) {
    yield* source
    return
  }
  const iterator = source[Symbol.asyncIterator]()
  let completed = true
  try {
    for (;;) {
      const pending = iterator.next()
      const next = await raceAbort(pending, signal)
      if (next === 'aborted') {
        completed = false
        pending.catch(() => {}) // the read left waiting may fail once its stream is closed: nobody awaits it
        return
      }
      if (next.done) return
      yield next.value
    }
  } finally {
    // A pending next() keeps an async generator busy: return() would wait for it, so do not await then.
    if (completed) await iterator.return?.()
    else iterator.return?.()?.catch(() => {})
  }
}

/**
 * `pending`, or 'aborted' if the signal aborts first. Its abort listener is removed once `pending` settles:
 * `Promise.race` against one long-lived abort promise would leave a reaction on it per call, each holding
 * its result (a chunk of the input), so memory would grow with the input.
 */
function raceAbort<T>(pending: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted')
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve('aborted')
    signal.addEventListener('abort', onAbort, {once: true})
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        // The read's own failure, passed on unchanged.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(error)
      },
    )
  })
}

/**
 * Bytes of text until the signal aborts, cut after the last whole line read: a reader that sees the end
 * then never parses half a row (`user1,7` of `user1,75`). Without an abort, every byte passes unchanged.
 * The partial last line of each chunk is held back and passed on with the next chunk that ends a line; what
 * is held is copied, since a file read with reuseChunks (open.ts) reuses a chunk's memory. At most
 * MAX_LINE_BYTES are held: a longer line is passed on as it comes (its reader cuts it anyway), uncopied, so
 * a line without end (`/dev/zero`, a 3 GB line) never fills memory. `reused`: the reader copies what it keeps
 * of a chunk (a reader of reused chunks does), so the held bytes are gathered in one reused buffer instead of
 * a new one per chunk. `maxHeld`: MAX_LINE_BYTES but in tests.
 */
export async function* wholeLinesUntilAborted(
  bytes: AsyncIterable<Buffer>,
  signal: AbortSignal,
  reused = false,
  maxHeld = MAX_LINE_BYTES,
): AsyncGenerator<Buffer> {
  const held = reused ? new ReusedBytes() : new CopiedPieces()
  /** The line being read is already longer than maxHeld: the rest of it passes as it comes. */
  let passing = false
  for await (const chunk of untilAborted(bytes, signal)) {
    const end = chunk.lastIndexOf(0x0a) + 1
    if (end === 0) {
      if (!passing && held.length + chunk.length > maxHeld) {
        if (held.length > 0) yield held.bytes()
        held.clear()
        passing = true
      }
      if (passing) yield chunk
      else held.append(chunk)
      continue
    }
    passing = false
    if (held.length > 0) yield held.bytes()
    held.clear()
    if (end < chunk.length) held.append(chunk.subarray(end))
    yield chunk.subarray(0, end)
  }
  if (!signal.aborted && held.length > 0) yield held.bytes()
}

/** Held bytes as a copy of each piece, joined when given out: what is given out is never written again. */
class CopiedPieces {
  length = 0
  private pieces: Buffer[] = []

  append(piece: Buffer): void {
    this.pieces.push(Buffer.from(piece))
    this.length += piece.length
  }

  bytes(): Buffer {
    return this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces, this.length)
  }

  clear(): void {
    this.pieces = []
    this.length = 0
  }
}
