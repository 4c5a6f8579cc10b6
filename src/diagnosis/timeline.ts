/**
 * When things happened, in bounded memory: counts per time bucket for the overview's pictures (a sparkline
 * per finding, a histogram of errors and logins). Only the text report draws them; they are not part of the
 * `--json` document.
 *
 * Buckets start one minute wide. When the times seen span more than MAX_BUCKETS buckets, the width doubles
 * and neighbours merge, so a year of log costs what an hour does. Widths are powers of two minutes counted
 * from the epoch.
 */

const MINUTE = 60_000
const MAX_BUCKETS = 512

export class Timeline {
  /** Bucket width in ms: MINUTE × 2^k. */
  private width = MINUTE
  /** Bucket index (time / width, floored) → count. */
  private readonly buckets = new Map<number, number>()
  private low = Infinity
  private high = -Infinity

  add(time: number | null, count = 1): void {
    if (time === null) return
    this.addToBucket(Math.floor(time / this.width), count)
  }

  private addToBucket(index: number, count: number): void {
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + count)
    if (index < this.low) this.low = index
    if (index > this.high) this.high = index
    while (this.high - this.low >= MAX_BUCKETS) this.coarsen()
  }

  private coarsen(): void {
    const old = [...this.buckets]
    this.buckets.clear()
    this.width *= 2
    this.low = Infinity
    this.high = -Infinity
    for (const [index, count] of old) {
      const merged = Math.floor(index / 2)
      this.buckets.set(merged, (this.buckets.get(merged) ?? 0) + count)
      if (merged < this.low) this.low = merged
      if (merged > this.high) this.high = merged
    }
  }

  get empty(): boolean {
    return this.buckets.size === 0
  }

  /** The earliest and latest time seen, to the bucket (null when no time was seen). */
  range(): {start: number; end: number} | null {
    return this.empty ? null : {start: this.low * this.width, end: (this.high + 1) * this.width}
  }

  /** How many buckets are kept. */
  get size(): number {
    return this.buckets.size
  }

  /**
   * Counts between consecutive `boundaries` (ascending ms): slot i holds [boundaries[i], boundaries[i + 1]).
   * Each stored bucket goes to the slot its start falls in; buckets are at most 1/MAX_BUCKETS of the
   * timeline's own range, so finer than any slot drawn. Buckets outside the boundaries go to the first or last slot.
   */
  between(boundaries: readonly number[]): number[] {
    const slots = Math.max(1, boundaries.length - 1)
    const counts = new Array<number>(slots).fill(0)
    for (const [index, count] of this.buckets) {
      const time = index * this.width
      let slot = 0
      while (slot < slots - 1 && time >= boundaries[slot + 1]) slot++
      counts[slot] += count
    }
    return counts
  }

  /** Counts in `columns` equal slices of [start, end). */
  columns(start: number, end: number, columns: number): number[] {
    const step = Math.max(1, end - start) / columns
    return this.between(Array.from({length: columns + 1}, (_, i) => start + i * step))
  }
}
