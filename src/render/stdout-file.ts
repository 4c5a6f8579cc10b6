import {fstatSync, writeSync} from 'node:fs'

/** Bytes encoded between two writes: few write calls, and far below what a report of 100 000 users holds. */
const BUFFER_BYTES = 1 << 18

/**
 * Text written to a regular file by encoding it into one reused Buffer and writing that with `writeSync`.
 * `process.stdout.write(text)` encodes each piece into a Buffer of its own: a 100 000-user `--json` report
 * is ~48 MB of fresh Buffers, each mapped, faulted in and collected (mig7, docs/performance.md). Reusing one
 * is safe only because a write to a regular file is complete when `writeSync` returns; a pipe or a terminal
 * keeps `process.stdout` (see stdoutFileWriter).
 * Each text is encoded as Buffer.from encodes it (a lone surrogate becomes U+FFFD), so the bytes are the
 * ones `process.stdout.write` would write for the same texts.
 */
export class FileTextWriter {
  private readonly buffer: Buffer
  private used = 0
  private failed = false

  constructor(
    private readonly fd: number,
    /** What to do with a write error (the rest of the text is dropped). */
    private readonly onError: (error: Error) => void,
    bytes = BUFFER_BYTES,
  ) {
    this.buffer = Buffer.allocUnsafe(bytes)
  }

  write(text: string): void {
    if (this.failed) return
    // A UTF-16 code unit is at most three UTF-8 bytes: the room is checked before encoding.
    if (this.used + text.length * 3 > this.buffer.length) {
      this.flush()
      if (text.length * 3 > this.buffer.length) {
        this.writeAll(Buffer.from(text))
        return
      }
    }
    this.used += this.buffer.write(text, this.used)
  }

  /** Writes what is encoded and not written yet; call it once the last text is given. */
  flush(): void {
    if (this.used === 0 || this.failed) return
    const used = this.used
    this.used = 0
    this.writeAll(this.buffer.subarray(0, used))
  }

  private writeAll(bytes: Uint8Array): void {
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(this.fd, bytes, at, bytes.length - at)
    } catch (error) {
      this.failed = true
      this.onError(error as Error)
    }
  }
}

/**
 * A FileTextWriter for stdout when stdout is a regular file (`> report.json`) written by the process's own
 * stream, else null (a pipe, a terminal, or a `process.stdout.write` replaced to capture the output, as tests
 * do). A write error goes to process.stdout's 'error' listeners, as the stream's own would.
 */
export function stdoutFileWriter(): FileTextWriter | null {
  const stdout = process.stdout
  if (Object.hasOwn(stdout, 'write') || stdout.writableLength > 0 || stdout.destroyed) return null
  try {
    if (!fstatSync(1).isFile()) return null
  } catch {
    return null
  }
  return new FileTextWriter(1, (error) => stdout.destroy(error))
}
