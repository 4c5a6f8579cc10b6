import {constants, createReadStream, open as openDescriptor} from 'node:fs'
import {type FileHandle, open, stat} from 'node:fs/promises'
import {pipeline, Readable} from 'node:stream'
import {promisify} from 'node:util'

import {untilAborted, wholeLinesUntilAborted} from './abortable.js'
import type {InputSource} from './resolve.js'

export interface OpenedInput {
  /** The content, inflated when it was gzip; read chunk by chunk, never whole. */
  bytes: AsyncIterable<Buffer>
  compressed: boolean
  /** The file's modification time (ms since the epoch); null for stdin. */
  modified: number | null
  /** For progress: the file's size, and how many of its bytes (compressed, if gzip) were read so far. */
  size?: number
  bytesRead?: () => number
}

export interface OpenOptions {
  /** Where `-` reads from (default process.stdin). */
  stdin?: AsyncIterable<Buffer | string>
  /** Ctrl-C: once aborted, the content ends after the last whole line read (see wholeLinesUntilAborted). */
  signal?: AbortSignal
  /** A file is read from this byte on (a saved position, see offsets.ts). */
  start?: number
  /**
   * The reader is done with a chunk once it asks for the next one (it keeps no view into a chunk): a plain file
   * is then read into a few buffers in turn instead of a new one per chunk. Fresh memory for every 256 KiB read
   * costs the kernel its page faults: 0.3 s of system time on a 200 MB log, more than the reading itself
   * (issue #16, measured in bench/ terms in docs/performance.md).
   */
  reuseChunks?: boolean
}

/**
 * Opens an input as a byte stream, gunzipped when it starts with gzip's magic bytes whatever it is called.
 * Errors opening it (not found, permission denied, a directory) are thrown here; errors later, such as a
 * truncated gzip, are thrown by the iteration of `bytes`.
 */
export async function openInput(source: InputSource, options: OpenOptions = {}): Promise<OpenedInput> {
  const opened = await openWhole(source, options)
  return options.signal ? {...opened, bytes: wholeLinesUntilAborted(opened.bytes, options.signal, options.reuseChunks === true)} : opened
}

async function openWhole(source: InputSource, options: OpenOptions): Promise<OpenedInput> {
  if (source.kind === 'stdin') {
    // Raced against Ctrl-C from the first read on: a terminal (`logs -`) may not have sent a byte yet.
    const stdin = options.stdin ?? process.stdin
    return {...(await inflateIfGzip(options.signal ? untilAborted(stdin, options.signal) : stdin)), modified: null}
  }
  const info = await stat(source.path)
  if (info.isDirectory()) throw Object.assign(new Error('is a directory'), {code: 'EISDIR'})
  if (info.isFIFO() && !options.start) {
    const pipe = await openPipe(source.path)
    // On Ctrl-C the read waiting on the writer is given up by closing the pipe: the generators between it and the
    // reader cannot close it while that read is pending.
    const {signal} = options
    if (signal) {
      const close = (): void => void pipe.destroy()
      signal.addEventListener('abort', close, {once: true})
      pipe.once('close', () => signal.removeEventListener('abort', close))
    }
    const {bytes, compressed} = await inflateIfGzip(pipe)
    return {bytes, compressed, modified: info.mtimeMs, size: info.size, bytesRead: () => pipe.bytesRead}
  }
  if (options.reuseChunks) {
    const file = new ChunksInTurns(await open(source.path, 'r'), options.start ?? null, info.isFile())
    const {bytes, compressed} = await inflateIfGzip(file.chunks(), true)
    return {bytes, compressed, modified: info.mtimeMs, size: info.size, bytesRead: () => file.bytesRead}
  }
  // 64 KiB chunks, not 256 KiB: a chunk then lives through fewer young-generation collections, and fewer dead
  // ones wait in the old generation for a full one (measured before reuseChunks, peak RSS of logs on 1 GB: 100 →
  // 91 MB; migration check on 100 000 rows: 171 MB against 175-182 MB, no slower).
  const stream = createReadStream(source.path, {highWaterMark: 64 * 1024, start: options.start})
  // Opening errors (EACCES) surface on the first read; wait for the open to report them here.
  await new Promise<void>((resolve, reject) => stream.once('ready', () => resolve()).once('error', reject))
  return {...(await inflateIfGzip(stream)), modified: info.mtimeMs, size: info.size, bytesRead: () => stream.bytesRead}
}

/**
 * A FIFO given as a path (`mkfifo`, `<(zcat log.gz)`), read as a pipe is: a read waits for its writer in the
 * event loop, not in the thread pool, so it can be given up. A thread-pool read blocked on a writer that stays
 * open cannot be cancelled, and Node waits for it even on exit: Ctrl-C then reported at once but the process
 * lived on until the writer wrote or closed. The open does not wait for a writer (O_NONBLOCK): a blocking one
 * would wait in the thread pool the same way, so Ctrl-C before any writer came reported nothing until one did.
 * The read still waits for the writer, as `cat` does: Linux reports a FIFO's end only once a writer has come and
 * gone, and the socket reads only when told it can.
 */
async function openPipe(path: string): Promise<import('node:net').Socket> {
  // Linux only: elsewhere (kqueue) a FIFO without a writer may read as ended at once, which would lose its lines.
  const flags = process.platform === 'linux' ? constants.O_RDONLY | constants.O_NONBLOCK : constants.O_RDONLY
  const descriptor = await promisify(openDescriptor)(path, flags)
  // Imported here: a run without a FIFO never loads node:net.
  const {Socket} = await import('node:net')
  return new Socket({fd: descriptor, readable: true, writable: false})
}

/**
 * The bytes as they are, or inflated while streaming when they start with gzip's magic bytes (1f 8b).
 * Only the first chunk is read to decide.
 */
export async function inflateIfGzip(
  source: AsyncIterable<Buffer | string>,
  reused = false,
): Promise<{bytes: AsyncIterable<Buffer>; compressed: boolean}> {
  const iterator = source[Symbol.asyncIterator]()
  const read = async (): Promise<Buffer | null> => {
    const next = await iterator.next()
    return next.done ? null : Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value)
  }

  // A pipe may deliver a single byte first: read until the magic could be seen.
  let head: Buffer = Buffer.alloc(0)
  while (head.length < 2) {
    const chunk = await read()
    if (chunk === null) break
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk])
  }

  if (head.length === 0) return {bytes: Readable.from([]), compressed: false}
  async function* all(): AsyncGenerator<Buffer> {
    try {
      yield head
      for (let chunk = await read(); chunk !== null; chunk = await read()) yield chunk
    } finally {
      await iterator.return?.() // a reader that stops early closes the file
    }
  }

  if (head[0] !== 0x1f || head[1] !== 0x8b) return {bytes: all(), compressed: false}
  // Imported here: a run with no gzip input never loads node:zlib.
  const {createGunzip} = await import('node:zlib')
  const gunzip = createGunzip()
  // The gunzip stream reads a chunk ahead of what it inflated (one, as measured: two buffers would do), and how
  // far is its own business: it gets chunks of its own.
  const compressedChunks = reused ? copies(all()) : all()
  pipeline(Readable.from(compressedChunks), gunzip, () => {}) // errors reach the reader through gunzip
  return {bytes: gunzip, compressed: true}
}

async function* copies(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) yield Buffer.from(chunk)
}

/**
 * A file read in 256 KiB chunks into buffers in turn (OpenOptions.reuseChunks): a chunk stays as it is until
 * the one after the next is asked for, so a reader may still look at the last chunk while it gets the next
 * (inflateIfGzip joins a first chunk of one byte to the next; wholeLinesUntilAborted passes a chunk's partial
 * last line on after the next chunk).
 *
 * A regular file is read one chunk ahead, into a third buffer, while the reader works on the chunk it has: the
 * read then costs the reader no waiting (on the 200 MB real-mix log the main thread sat idle ~0.33 s of 2.35 s
 * for reads it asked for only once it needed them). Not a pipe: a read ahead there can wait for ever on a writer,
 * and the file could not be closed until it returns.
 */
class ChunksInTurns {
  bytesRead = 0
  private readonly buffers: Buffer[]

  constructor(
    private readonly file: FileHandle,
    /** Where the next read starts; null: where the last one ended (a pipe, `<(zcat log.gz)`, cannot seek). */
    private position: number | null,
    private readonly readAhead: boolean,
  ) {
    this.buffers = Array.from({length: readAhead ? 3 : 2}, () => Buffer.allocUnsafe(256 * 1024))
  }

  async *chunks(): AsyncGenerator<Buffer> {
    let turn = 0
    let next: Promise<Buffer> | null = this.read(turn)
    try {
      for (;;) {
        const chunk: Buffer = await next
        next = null
        if (chunk.length === 0) return
        turn = (turn + 1) % this.buffers.length
        if (this.readAhead) next = this.read(turn)
        yield chunk
        next ??= this.read(turn)
      }
    } finally {
      // A read still going on (the reader stopped early, or one failed) ends before the file closes.
      await next?.catch(() => {})
      await this.file.close()
    }
  }

  private read(turn: number): Promise<Buffer> {
    const buffer = this.buffers[turn]
    const reading = this.file.read(buffer, 0, buffer.length, this.position).then(({bytesRead}) => {
      if (this.position !== null) this.position += bytesRead
      this.bytesRead += bytesRead
      return buffer.subarray(0, bytesRead)
    })
    // A read ahead that fails is reported when its chunk is asked for, not as an unhandled rejection before.
    reading.catch(() => {})
    return reading
  }
}

/**
 * A file that got shorter while it was read (logrotate's copytruncate, `> file`): its end was never read,
 * whatever was there. Says how much of it was read; null when it was read to the size it had when opened
 * (or is not a file). Asked once reading ended without an error.
 */
export function shrankWhileRead(opened: OpenedInput): string | null {
  if (opened.size === undefined || !opened.bytesRead) return null
  const read = opened.bytesRead()
  if (read >= opened.size) return null
  return `${SHRANK} (truncated, e.g. by logrotate's copytruncate): ${read} of its ${opened.size} bytes read; the rest is gone`
}

/** How shrankWhileRead's message starts. */
export const SHRANK = 'got shorter while it was read'

/** NUL bytes in the first 4 KiB: not text (a systemd .journal, an image), whatever the file is called. */
export const looksBinary = (head: Buffer): boolean => head.subarray(0, 4096).includes(0)

/** Thrown by a reader of text that found binary data (see looksBinary) in its first chunk. */
export class BinaryInputError extends Error {
  constructor() {
    super('is binary, not text (NUL bytes in its first 4 KiB)')
  }
}
