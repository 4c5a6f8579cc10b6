/**
 * Text handed to `write` at a time: large enough that a big report takes few writes, small enough that the
 * string and its encoded copy stay below V8's large-object size (128 KiB) and are made and freed cheaply.
 */
const PIECE = 1 << 15

/**
 * Writes a report given as many pieces in fewer, larger strings, so that no string of the whole report is
 * ever built: the report of a 100 000-user migration wave is tens of MB, and as much again once encoded
 * for stdout.
 */
export function writePieces(pieces: Iterable<string>, write: (text: string) => void): void {
  let pending = ''
  for (const piece of pieces) {
    pending += piece
    if (pending.length >= PIECE) {
      write(pending)
      pending = ''
    }
  }
  if (pending !== '') write(pending)
}
