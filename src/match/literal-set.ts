/**
 * Finds which of a fixed set of literals occur in a text, in one pass over it: ripgrep's literal
 * prefilter, written for many literals at once. Testing each rule's literal with `includes` costs one
 * search of the text per rule (about 1 µs a line for the catalog); this looks at each position once,
 * through a table of the literals' first two characters, and confirms a possible hit with `startsWith`.
 * Exact: every literal that occurs is reported, whatever overlaps.
 */
export class LiteralSet {
  /** For each two-character key: the first literal in its chain, or -1. */
  private readonly heads = new Int16Array(65536).fill(-1)
  /** The next literal with the same key, or -1. */
  private readonly next: Int16Array
  /** Where in each literal its key pair starts. */
  private readonly offsets: Int32Array
  /** Literals shorter than two characters: tested with `includes`. */
  private readonly short: number[] = []

  constructor(readonly literals: readonly string[]) {
    if (literals.length > 32767) throw new RangeError('too many literals')
    this.next = new Int16Array(literals.length).fill(-1)
    this.offsets = new Int32Array(literals.length)
    literals.forEach((literal, index) => {
      if (literal.length < 2) {
        this.short.push(index)
        return
      }

      const offset = rarestPair(literal)
      this.offsets[index] = offset
      const key = pairKey(literal.charCodeAt(offset), literal.charCodeAt(offset + 1))
      this.next[index] = this.heads[key]
      this.heads[key] = index
    })
  }

  /**
   * Sets `found[i]` to 1 for every literal i that occurs in `text` (and leaves the others as they were:
   * clear it first). Returns how many positions held a literal, 0 when none did.
   */
  find(text: string, found: Uint8Array): number {
    const {heads, next, literals, offsets} = this
    let hits = 0
    for (const index of this.short) {
      if (text.includes(literals[index])) {
        found[index] = 1
        hits++
      }
    }

    const last = text.length - 1
    let previous = text.charCodeAt(0)
    for (let at = 0; at < last; at++) {
      const current = text.charCodeAt(at + 1)
      for (let index = heads[pairKey(previous, current)]; index !== -1; index = next[index]) {
        const start = at - offsets[index]
        if (start >= 0 && text.startsWith(literals[index], start)) {
          found[index] = 1
          hits++
        }
      }

      previous = current
    }

    return hits
  }
}

/**
 * Where the literal's least common character pair starts, so that few positions of ordinary log text need a
 * `startsWith`: log messages are mostly lower-case words, spaces, digits and ': '; upper case and other
 * punctuation are rarer.
 */
function rarestPair(literal: string): number {
  let best = 0
  let bestScore = Infinity
  for (let at = 0; at + 1 < literal.length; at++) {
    const score = commonness(literal.charCodeAt(at)) + commonness(literal.charCodeAt(at + 1))
    if (score < bestScore) [best, bestScore] = [at, score]
  }

  return best
}

function commonness(c: number): number {
  if (c === 32 || c === 58) return 4 // space, ':'
  if (c >= 97 && c <= 122) return 3 // a-z
  if (c >= 48 && c <= 57) return 2 // 0-9
  return 1 // upper case, other punctuation
}

// Characters beyond Latin-1 share keys with Latin-1 ones: a shared key only costs a `startsWith` that fails.
const pairKey = (first: number, second: number): number => (first & 0xff) | ((second & 0xff) << 8)
