/** A name and how often it was seen. */
export interface NameCount {
  name: string
  count: number
}

/** A BoundedCounter's counts as plain data. */
export interface CounterPart {
  entries: [string, number][]
  approximate: boolean
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

  /** The counts as plain data, to merge into a counter elsewhere (another thread's). */
  part(): CounterPart {
    return {entries: [...this.counts], approximate: this.approximate}
  }

  /**
   * Whether adding `part`'s counts gives exactly what counting its names here would have: both exact, and
   * no more names together than the capacity (past it, which names are dropped depends on the order seen).
   */
  canAbsorb(part: CounterPart): boolean {
    if (this.approximate || part.approximate) return false
    let size = this.counts.size
    for (const [name] of part.entries) if (!this.counts.has(name)) size++
    return size <= this.capacity
  }

  /** Adds `part`'s counts (check canAbsorb first when the result must be exact). */
  absorb(part: CounterPart): void {
    for (const [name, count] of part.entries) this.add(name, count)
    this.approximate ||= part.approximate
  }

  get size(): number {
    return this.counts.size
  }

  /** The most frequent names, most frequent first (ties by name, so output is stable). */
  top(limit: number): NameCount[] {
    return [...this.counts]
      .map(([name, count]) => ({name, count}))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
      .slice(0, limit)
  }
}
