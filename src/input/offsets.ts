import {type FileHandle, open as openFile} from 'node:fs/promises'

import {openInput, type OpenedInput, type OpenOptions} from './open.js'
import type {InputSource} from './resolve.js'

/**
 * The seam between reading positions and the reader (src/ingest/read-logs.ts): the reader starts at
 * `start` (a line start; in inflated bytes for gzip) numbering lines from `line` + 1, and reads whole lines
 * only; it leaves in `end` and `lines` the offset and line number just past the last whole line it read,
 * and sets `finished` when it reached the end of the file without an error.
 */
export interface ReadingPosition {
  start: number
  line: number
  end: number
  lines: number
  finished: boolean
}

export const positionFrom = (start: number, line: number): ReadingPosition => ({start, line, end: start, lines: line, finished: false})

/** A file input read from a position. */
export type PositionedInput = InputSource & {kind: 'file'; position: ReadingPosition}

/** The digest of a content's first bytes. */
export async function fingerprintOf(head: Buffer): Promise<string> {
  // node:crypto and node:zlib are imported when used: a run without --state loads neither (~10-15 ms).
  const {createHash} = await import('node:crypto')
  return createHash('sha256').update(head).digest('hex')
}

const GZIP_MAGIC = [0x1f, 0x8b]

async function hasGzipMagic(handle: FileHandle): Promise<boolean> {
  const head = Buffer.alloc(2)
  const {bytesRead} = await handle.read(head, 0, 2, 0)
  return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await openFile(path, 'r')
  try {
    return await hasGzipMagic(handle)
  } finally {
    await handle.close()
  }
}

/**
 * Up to `bytes` first bytes of an open file's content, inflated when it is gzip (a rotated and compressed log). Read from the handle, not the
 * path: a file renamed meanwhile (logrotate) is still the one whose identity the caller took from the same
 * handle, so a position is never saved with the inode of one file and the first bytes of another.
 */
export async function headOf(handle: FileHandle, bytes: number): Promise<Buffer> {
  if (bytes === 0) return Buffer.alloc(0)
  if (!(await hasGzipMagic(handle))) {
    const head = Buffer.alloc(bytes)
    let length = 0
    for (let read = -1; read !== 0 && length < bytes; length += read)
      ({bytesRead: read} = await handle.read(head, length, bytes - length, length))
    return head.subarray(0, length)
  }
  const parts: Buffer[] = []
  let length = 0
  const stream = handle.createReadStream({start: 0, autoClose: false}).pipe((await import('node:zlib')).createGunzip())
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk)
      length += chunk.length
      if (length >= bytes) break
    }
  } catch {
    // a truncated gzip: what was inflated so far is its head
  } finally {
    stream.destroy()
  }
  return Buffer.concat(parts, length).subarray(0, bytes)
}

/**
 * Opens a file input at its reading position: from `start` (skipped while inflating, for gzip) and whole
 * lines only, counting how far the reader got in `position`. A last line without its newline is left for the
 * next run: it may still be being written.
 */
export async function openAtPosition(input: PositionedInput, options: OpenOptions): Promise<OpenedInput> {
  const {position} = input
  const compressed = await isGzip(input.path).catch(() => false)
  const opened = await openInput(input, {...options, start: compressed ? undefined : position.start})
  return {...opened, bytes: wholeLinesFrom(opened.bytes, compressed ? position.start : 0, position)}
}

async function* wholeLinesFrom(bytes: AsyncIterable<Buffer>, skip: number, position: ReadingPosition): AsyncGenerator<Buffer> {
  let skipped = 0
  let held: Buffer[] = []
  for await (let chunk of bytes) {
    if (skipped < skip) {
      const drop = Math.min(skip - skipped, chunk.length)
      skipped += drop
      chunk = chunk.subarray(drop)
      if (chunk.length === 0) continue
    }
    const end = chunk.lastIndexOf(0x0a) + 1
    if (end === 0) {
      held.push(chunk)
      continue
    }
    const whole = chunk.subarray(0, end)
    for (const piece of held) position.end += piece.length
    position.end += end
    for (let at = whole.indexOf(0x0a); at !== -1; at = whole.indexOf(0x0a, at + 1)) position.lines++
    yield* held
    yield whole
    held = [chunk.subarray(end)]
  }
  position.finished = true
}
