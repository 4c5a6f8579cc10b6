import {isAscii} from 'node:buffer'

import {asciiAt} from '../catalog/counted-form.js'
import {COMMON_PAIRS} from './common-pairs.js'

/**
 * Finds which of a fixed set of literals occur in a text: ripgrep's literal prefilter, written for many
 * literals at once. Testing each rule's literal with `includes` costs one native search of the text per
 * rule (about 1 µs a line for the catalog); a loop over every character costs 2-3 ns a character. This
 * visits about one character in five instead:
 *
 * - Literals of at least LONG characters: Wu-Manber on character pairs. A window as long as the shortest
 *   of them slides along the text; the pair at its end says how far it can move without passing over a
 *   window-long part of any literal, chosen by the rarity of its pairs in ordinary Dovecot lines (most pairs
 *   of log text are in none of those parts, and it moves the whole window less one). Where the pair ends the
 *   part of some literals, those are confirmed with `startsWith`.
 * - Shorter literals would cap every skip at their length, so they get one native RegExp alternation
 *   instead, and `includes` for each of them only on the rare texts it matches.
 * - `findBytes` does the same in ASCII bytes, with no string made (the reader's fast lane): the short
 *   literals there are searched once per chunk of the input, with Buffer#indexOf.
 *
 * Exact: every literal that occurs is reported, whatever overlaps.
 */
export class LiteralSet {
  /** The literals of at least LONG characters, searched by skipping. */
  private readonly long: PairSkips
  /** Indexes of the literals shorter than LONG. */
  private readonly short: number[] = []
  /** Matches a text holding any short literal; null when there are none. */
  private readonly anyShort: RegExp | null
  /** For `findBytes`: the chunk the short literals were last searched in, where each occurs in it, and how far lines got. */
  private shortChunk: Uint8Array | null = null
  private readonly shortHits: number[][] = []
  private readonly shortNext: number[] = []
  private shortFrom = 0
  /**
   * The short literals' bytes; null for the empty one (in every text) and for those with characters beyond
   * ASCII, which cannot be in the fast lane's text.
   */
  private readonly shortNeedles: (Buffer | null)[]
  /** findBytes's marks of the long literals it has listed, cleared before it returns. */
  private readonly seen: Uint8Array

  constructor(readonly literals: readonly string[]) {
    if (literals.length > 32767) throw new RangeError('too many literals')
    const long: number[] = []
    literals.forEach((literal, index) => (literal.length >= LONG ? long : this.short).push(index))
    this.anyShort = this.short.length === 0 ? null : new RegExp(this.short.map((index) => escapeRegExp(literals[index])).join('|'))
    this.long = new PairSkips(literals, long)
    this.seen = new Uint8Array(literals.length)
    this.shortNeedles = this.short.map((index) => {
      const needle = Buffer.from(literals[index])
      return needle.length > 0 && isAscii(needle) ? needle : null
    })
  }

  /**
   * Sets `found[i]` to 1 for every literal i that occurs in `text` (and leaves the others as they were:
   * clear it first). Returns how many literals it found (counting a literal again for each further
   * occurrence it happened to confirm), 0 when none occurs.
   */
  find(text: string, found: Uint8Array): number {
    const {literals} = this
    let hits = 0
    if (this.anyShort !== null && this.anyShort.test(text)) {
      for (const index of this.short) {
        if (text.includes(literals[index])) {
          found[index] = 1
          hits++
        }
      }
    }

    return hits + this.long.find(text, found)
  }

  /**
   * `find` in the ASCII text `bytes[start, end)` (the reader's fast lane, src/ingest/fast-lane.ts), without
   * making a string of it: puts the index of each literal that occurs in `hits` (once each, in no set order)
   * and returns how many; `hits` must have room for every literal. Literals with characters beyond ASCII
   * cannot occur in it and are never reported. The short literals are searched once per chunk (`bytes`),
   * natively, so call it for a chunk's lines in their order.
   */
  findBytes(bytes: Uint8Array, start: number, end: number, hits: Int16Array): number {
    const seen = this.seen
    let count = this.long.findBytes(bytes, start, end, seen, hits)
    if (this.short.length > 0) {
      if (bytes !== this.shortChunk || start < this.shortFrom) this.searchShort(bytes)
      this.shortFrom = start
      const {short, shortHits, shortNext, literals} = this
      for (let i = 0; i < short.length; i++) {
        const at = shortHits[i]
        const length = literals[short[i]].length
        let next = shortNext[i]
        while (next < at.length && at[next] < start) next++
        shortNext[i] = next
        // The empty literal is in every text, as includes('') is.
        if (length === 0 || (next < at.length && at[next] + length <= end)) hits[count++] = short[i]
      }
    }

    for (let i = 0; i < count; i++) seen[hits[i]] = 0
    return count
  }

  /**
   * `findBytes` is to be given lines of `bytes` next: the short literals are searched in it now, outside
   * `findBytes` (which does it on a chunk it was not told of), so that the optimized `findBytes` never takes
   * that path: it runs once a chunk, too rarely for V8 to have feedback for it, and would deoptimize it.
   */
  chunk(bytes: Uint8Array): void {
    if (this.short.length > 0) this.searchShort(bytes)
  }

  /** Where each short literal occurs in `bytes` (the starts of its occurrences, in order). */
  private searchShort(bytes: Uint8Array): void {
    this.shortChunk = bytes
    this.shortFrom = 0
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
    this.shortNeedles.forEach((needle, i) => {
      const at: number[] = []
      if (needle !== null) for (let pos = buffer.indexOf(needle); pos !== -1; pos = buffer.indexOf(needle, pos + 1)) at.push(pos)
      this.shortHits[i] = at
      this.shortNext[i] = 0
    })
  }
}

/**
 * Wu-Manber on character pairs for some of the literals (all at least two characters long). A window as
 * long as the shortest of them slides along the text; the pair at its end says how far it can move without
 * passing over the part searched for of any literal (most pairs of log text are in none of them, and it moves
 * the whole window less one). Where the pair ends the part searched for of some literals, those are confirmed.
 * The part searched for is the window-long piece of the literal whose pairs are rarest in ordinary Dovecot
 * lines (`searchedPart`): a common pair there shortens the skips over every line, and one that ends it makes
 * every line holding it confirm the literal.
 */
class PairSkips {
  /** For each pair key: how far the window may move when its last two characters have that key. */
  private readonly shifts = new Uint8Array(65536)
  /** For each pair key: the first literal whose part searched for ends with that pair, or -1. */
  private readonly heads = new Int16Array(65536).fill(-1)
  /** The next literal with the same end pair, or -1. */
  private readonly next: Int16Array
  /** For each literal, where its part searched for starts in it. */
  private readonly partAt: Int32Array
  /** The window: the length of the shortest literal; 0 when there are none. */
  private readonly window: number

  constructor(
    private readonly literals: readonly string[],
    indexes: number[],
  ) {
    this.next = new Int16Array(literals.length).fill(-1)
    this.partAt = new Int32Array(literals.length)
    // Capped so that every skip fits the table's bytes; longer literals are confirmed whole all the same.
    this.window = indexes.length === 0 ? 0 : Math.min(256, ...indexes.map((index) => literals[index].length))

    const window = this.window
    this.shifts.fill(window - 1) // a pair in no literal: the window moves past all but its last character
    for (const index of indexes) {
      const literal = literals[index]
      const at = searchedPart(literal, window)
      this.partAt[index] = at
      // A pair ending at j of the part: moving by window - 1 - j puts it at the window's end.
      for (let j = 1; j < window; j++) {
        const key = pairKey(literal.charCodeAt(at + j - 1), literal.charCodeAt(at + j))
        this.shifts[key] = Math.min(this.shifts[key], window - 1 - j)
      }

      const key = pairKey(literal.charCodeAt(at + window - 2), literal.charCodeAt(at + window - 1))
      this.next[index] = this.heads[key]
      this.heads[key] = index
    }
  }

  find(text: string, found: Uint8Array): number {
    const {literals, shifts, heads, next, window, partAt} = this
    if (window === 0) return 0
    let hits = 0
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
        // The literal starts partAt before its part: a part this near the text's start is no literal's.
        const at = start - partAt[index]
        if (at >= 0 && text.startsWith(literals[index], at)) {
          found[index] = 1
          hits++
        }
      }

      end++
    }

    return hits
  }

  /**
   * `find` over the bytes of ASCII text from `from` to `to`, listing each literal found in `hits` once (`seen`
   * marks the listed ones; the caller clears it). The same loop as `find`'s: a shared one would cost a call
   * per step.
   */
  findBytes(bytes: Uint8Array, from: number, to: number, seen: Uint8Array, hits: Int16Array): number {
    const {literals, shifts, heads, next, window, partAt} = this
    if (window === 0) return 0
    let count = 0
    for (let end = from + window - 1; end < to;) {
      const key = bytes[end - 1] | (bytes[end] << 8)
      const shift = shifts[key]
      if (shift !== 0) {
        end += shift
        continue
      }

      const start = end - window + 1
      for (let index = heads[key]; index !== -1; index = next[index]) {
        // Within the text only: the bytes before `from` are another line's, or this line's prefix.
        const at = start - partAt[index]
        if (seen[index] === 0 && at >= from && asciiAt(bytes, at, to, literals[index])) {
          seen[index] = 1
          hits[count++] = index
        }
      }

      end++
    }

    return count
  }
}

/**
 * Where, in `literal`, the `window`-long part to search for starts: the part whose pairs cost least in ordinary
 * Dovecot lines (COMMON_PAIRS). A common pair ending at j of the part lowers that pair's skip by j, for every
 * literal, and one that ends it (j = window - 1) makes each line holding it confirm the literal as well, which
 * costs about CONFIRM_COST skips. The first such part on a tie; the whole literal when it is the window's length.
 */
function searchedPart(literal: string, window: number): number {
  const common = pairFrequencies()
  let best = 0
  let bestCost = Infinity
  for (let at = 0; at + window <= literal.length; at++) {
    let cost = 0
    for (let j = 1; j < window; j++) cost += common[pairKey(literal.charCodeAt(at + j - 1), literal.charCodeAt(at + j))] * j
    cost += common[pairKey(literal.charCodeAt(at + window - 2), literal.charCodeAt(at + window - 1))] * CONFIRM_COST
    if (cost < bestCost) {
      best = at
      bestCost = cost
    }
  }
  return best
}

/** What confirming a literal costs, in skips (a call to compare it, mostly failing at its first characters). */
const CONFIRM_COST = 10

let pairTable: Uint16Array | null = null
/** COMMON_PAIRS by pair key (per 100 000 pairs; 0 for a pair not listed), made when first asked for. */
function pairFrequencies(): Uint16Array {
  if (pairTable === null) {
    pairTable = new Uint16Array(65536)
    for (const [pair, per100k] of COMMON_PAIRS) pairTable[pairKey(pair.charCodeAt(0), pair.charCodeAt(1))] = per100k
  }
  return pairTable
}

/**
 * Literals at least this long go through the skipping search. Shorter ones would limit every skip to
 * their own length; the catalog's (`SSL`, `avc:`, `uota`, `fts`) are few and rare enough for a regex over a
 * message, or one `Buffer#indexOf` pass each over a chunk (findBytes).
 */
export const LONG = 6

// Characters beyond Latin-1 share keys with Latin-1 ones: a shared key only costs a shorter skip or a
// `startsWith` that fails, never a missed literal.
const pairKey = (first: number, second: number): number => (first & 0xff) | ((second & 0xff) << 8)

const escapeRegExp = (literal: string): string => literal.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
