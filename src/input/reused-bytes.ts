/**
 * Pieces of chunks gathered into one buffer, grown as needed and reused once cleared: a line that crosses
 * chunks then costs no buffer of its own (a 1 MB line cost a copy per 256 KiB chunk and their join, garbage
 * that raised peak RSS). What `bytes()` gives is valid until the next append after a clear: its reader copies
 * what it keeps, as a reader of reused chunks does (open.ts).
 */
export class ReusedBytes {
  length = 0
  private buffer: Buffer = Buffer.alloc(0)

  /** Appends `piece[0, end)`. */
  append(piece: Buffer, end = piece.length): void {
    const needed = this.length + end
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, 2 * this.buffer.length, 4096))
      this.buffer.copy(grown, 0, 0, this.length)
      this.buffer = grown
    }
    piece.copy(this.buffer, this.length, 0, end)
    this.length = needed
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length)
  }

  clear(): void {
    this.length = 0
  }
}
