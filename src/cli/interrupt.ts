import {ExitStatus} from './exit-status.js'

/**
 * Ctrl-C during a long read: the first SIGINT stops the reading (the command then reports what it read so
 * far and exits 130); a second one exits at once. Only installed while reading, so Ctrl-C elsewhere is
 * Node's default.
 */
export class ReadInterrupt {
  private readonly controller = new AbortController()
  readonly signal: AbortSignal = this.controller.signal

  private readonly onSigint = (): void => {
    if (this.signal.aborted) process.exit(ExitStatus.INTERRUPTED)
    process.stderr.write(`${this.bin}: interrupted: reporting what was read so far (Ctrl-C again to quit at once)\n`)
    this.controller.abort()
  }

  constructor(private readonly bin: string) {
    process.on('SIGINT', this.onSigint)
  }

  get interrupted(): boolean {
    return this.signal.aborted
  }

  /** Reading is over: Ctrl-C is Node's default again. */
  stop(): void {
    process.off('SIGINT', this.onSigint)
  }
}

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
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted')
    else signal.addEventListener('abort', () => resolve('aborted'), {once: true})
  })
  let completed = true
  try {
    for (;;) {
      const pending = iterator.next()
      const next = await Promise.race([pending, aborted])
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
 * Bytes of text until the signal aborts, cut after the last whole line read: a reader that sees the end
 * then never parses half a row (`user1,7` of `user1,75`). Without an abort, every byte passes unchanged.
 */
export async function* wholeLinesUntilAborted(bytes: AsyncIterable<Buffer>, signal: AbortSignal): AsyncGenerator<Buffer> {
  let tail: Buffer = Buffer.alloc(0)
  for await (const chunk of untilAborted(bytes, signal)) {
    const joined = tail.length === 0 ? chunk : Buffer.concat([tail, chunk])
    const end = joined.lastIndexOf(0x0a) + 1
    tail = joined.subarray(end)
    if (end > 0) yield joined.subarray(0, end)
  }
  if (!signal.aborted && tail.length > 0) yield tail
}
