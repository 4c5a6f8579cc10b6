import {byCodeUnits} from '../code-unit-order.js'

/** A name and how often it was seen. */
export interface NameCount {
  name: string
  count: number
}

/**
 * Counts occurrences per name in bounded memory (the Misra-Gries heavy-hitters summary): exact while fewer
 * than `capacity` distinct names were seen; past that, rare names are dropped and the counts kept are lower
 * bounds, flagged by `approximate`.
 */
export class BoundedCounter {
  private readonly counts = new Map<string, number>()
  approximate = false

  constructor(private readonly capacity = 1000) {}

  add(name: string, by = 1): void {
    const current = this.counts.get(name)
    if (current !== undefined) {
      this.counts.set(name, current + by)
      return
    }
    if (this.counts.size >= this.capacity) {
      this.approximate = true
      for (const [key, count] of this.counts) {
        if (count <= 1) this.counts.delete(key)
        else this.counts.set(key, count - 1)
      }
      if (this.counts.size >= this.capacity) return
    }
    this.counts.set(name, by)
  }

  get size(): number {
    return this.counts.size
  }

  /** The most frequent names, most frequent first (ties by name, so output is stable). */
  top(limit: number): NameCount[] {
    return [...this.counts]
      .map(([name, count]) => ({name, count}))
      .sort((a, b) => b.count - a.count || byCodeUnits(a.name, b.name))
      .slice(0, limit)
  }
}
