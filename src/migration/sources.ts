import fg from 'fast-glob'
import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'
import {Readable} from 'node:stream'
import {createGunzip} from 'node:zlib'

/** An input named on the command line, resolved: a file path, or "-" for stdin. */
export interface InputSource {
  /** As the user named it (a path, or "-"), for messages. */
  name: string
  path: string | null
}

export const STDIN = '-'

/**
 * Expands the command line's inputs: "-" is stdin, a glob lists its matches (sorted), anything else must
 * be an existing file. What cannot be found comes back as a problem instead of vanishing (fast-glob drops
 * missing paths silently).
 */
export async function expandInputs(args: string[]): Promise<{sources: InputSource[]; missing: {name: string; message: string}[]}> {
  const sources: InputSource[] = []
  const missing: {name: string; message: string}[] = []
  for (const arg of args) {
    if (arg === STDIN) {
      sources.push({name: STDIN, path: null})
      continue
    }
    if (fg.isDynamicPattern(arg)) {
      const matches = (await fg(arg, {dot: true, onlyFiles: true})).sort()
      if (matches.length === 0) missing.push({name: arg, message: 'no file matches this pattern'})
      for (const path of matches) sources.push({name: path, path})
      continue
    }
    try {
      const info = await stat(arg)
      if (info.isDirectory()) missing.push({name: arg, message: 'is a directory (give the files, or a glob such as dir/*.csv)'})
      else sources.push({name: arg, path: arg})
    } catch (error) {
      missing.push({name: arg, message: describeFsError(error)})
    }
  }
  return {sources, missing}
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES') return 'permission denied'
  return (error as Error).message
}

const GZIP_MAGIC = [0x1f, 0x8b]

async function* prepend(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value
}

/**
 * Opens an input as a byte stream, gunzipped when it starts with the gzip magic (whatever its name).
 * Nothing is read ahead beyond the first chunk.
 */
export async function openInput(source: InputSource, stdin: Readable = process.stdin): Promise<Readable> {
  const raw: Readable = source.path === null ? stdin : createReadStream(source.path)
  const iterator = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const first = await iterator.next()
  if (first.done) return Readable.from([])
  const chunk = Buffer.isBuffer(first.value) ? first.value : Buffer.from(first.value)
  const stream = Readable.from(prepend(chunk, iterator), {objectMode: false})
  if (chunk[0] !== GZIP_MAGIC[0] || chunk[1] !== GZIP_MAGIC[1]) return stream
  const gunzip = createGunzip()
  stream.on('error', (error) => gunzip.destroy(error))
  return stream.pipe(gunzip)
}
