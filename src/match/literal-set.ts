/**
 * Finds which of a fixed set of literals occur in a text: ripgrep's literal prefilter, written for many
 * literals at once. Testing each rule's literal with `includes` costs one native search of the text per
 * rule (about 1 µs a line for the catalog); a loop over every character costs 2-3 ns a character. This
 * visits about one character in five instead:
 *
 * - Literals of at least LONG characters: Wu-Manber on character pairs. A window as long as the shortest
 *   of them slides along the text; the pair at its end says how far it can move without passing over the
 *   start of any literal (most pairs of log text are in none of the literals, and it moves the whole
 *   window less one). Where the pair ends the window prefix of some literals, those are confirmed with
 *   `startsWith`.
 * - Shorter literals would cap every skip at their length, so they get one native RegExp alternation
 *   instead, and `includes` for each of them only on the rare texts it matches.
 *
 * Exact: every literal that occurs is reported, whatever overlaps.
 */
export class LiteralSet {
  /** For each pair key: how far the window may move when its last two characters have that key. */
  private readonly shifts = new Uint8Array(65536)
  /** For each pair key: the first long literal whose window prefix ends with that pair, or -1. */
  private readonly heads = new Int16Array(65536).fill(-1)
  /** The next long literal with the same end pair, or -1. */
  private readonly next: Int16Array
  /** The window: the length of the shortest long literal; 0 when there are none. */
  private readonly window: number
  /** Indexes of the literals shorter than LONG. */
  private readonly short: number[] = []
  /** Matches a text holding any short literal; null when there are none. */
  private readonly anyShort: RegExp | null

  constructor(readonly literals: readonly string[]) {
    if (literals.length > 32767) throw new RangeError('too many literals')
    this.next = new Int16Array(literals.length).fill(-1)
    const long: number[] = []
    literals.forEach((literal, index) => (literal.length >= LONG ? long : this.short).push(index))
    this.anyShort = this.short.length === 0 ? null : new RegExp(this.short.map((index) => escapeRegExp(literals[index])).join('|'))
    // Capped so that every skip fits the table's bytes; longer literals are confirmed whole all the same.
    this.window = long.length === 0 ? 0 : Math.min(256, ...long.map((index) => literals[index].length))

    const window = this.window
    this.shifts.fill(window - 1) // a pair in no literal: the window moves past all but its last character
    for (const index of long) {
      const literal = literals[index]
      // A pair ending at j of a window prefix: moving by window - 1 - j puts it at the window's end.
      for (let j = 1; j < window; j++) {
        const key = pairKey(literal.charCodeAt(j - 1), literal.charCodeAt(j))
        this.shifts[key] = Math.min(this.shifts[key], window - 1 - j)
      }

      const key = pairKey(literal.charCodeAt(window - 2), literal.charCodeAt(window - 1))
      this.next[index] = this.heads[key]
      this.heads[key] = index
    }
  }

  /**
   * Sets `found[i]` to 1 for every literal i that occurs in `text` (and leaves the others as they were:
   * clear it first). Returns how many literals it found (counting a literal again for each further
   * occurrence it happened to confirm), 0 when none occurs.
   */
  find(text: string, found: Uint8Array): number {
    const {literals, shifts, heads, next, window} = this
    let hits = 0
    if (this.anyShort !== null && this.anyShort.test(text)) {
      for (const index of this.short) {
        if (text.includes(literals[index])) {
          found[index] = 1
          hits++
        }
      }
    }

    if (window === 0) return hits
    const length = text.length
    // `end` is the index of the window's last character.
    for (let end = window - 1; end < length;) {
      const key = pairKey(text.charCodeAt(end - 1), text.charCodeAt(end))
      const shift = shifts[key]
      if (shift !== 0) {
        end += shift
        continue
      }

      const start = end - window + 1
      for (let index = heads[key]; index !== -1; index = next[index]) {
        if (text.startsWith(literals[index], start)) {
          found[index] = 1
          hits++
        }
      }

      end++
    }

    return hits
  }
}

/**
 * Literals at least this long go through the skipping search. Shorter ones would limit every skip to
 * their own length; the catalog's (`SSL`, `avc:`, `uota`, `limit`) are few and rare enough for a regex.
 */
const LONG = 6

// Characters beyond Latin-1 share keys with Latin-1 ones: a shared key only costs a shorter skip or a
// `startsWith` that fails, never a missed literal.
const pairKey = (first: number, second: number): number => (first & 0xff) | ((second & 0xff) << 8)

const escapeRegExp = (literal: string): string => literal.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
