/**
 * Groups (of lines sharing facts, or a message shape) counted in bounded memory, keeping the largest. When
 * `capacity` groups are held and a new one comes, the smallest tenth are folded to make room: their lines
 * are counted in `foldedLines`, the groups in `foldedGroups`. Keeping the first groups instead would hide a
 * cause that starts late, however many lines it has. A kept group's count is exact from when it was last
 * admitted; one folded and seen again starts from there (its earlier lines stay in the folded count), so
 * the kept counts and the folded lines always add up to every line counted.
 */
export class BoundedGroups<T> {
  private readonly groups = new Map<string, T>()
  foldedLines = 0
  foldedGroups = 0

  constructor(
    private readonly capacity: number,
    private readonly countOf: (group: T) => number,
  ) {}

  /** The group of `key`, made by `create` when it is not held. */
  take(key: string, create: () => T): T {
    let group = this.groups.get(key)
    if (group === undefined) {
      if (this.groups.size >= this.capacity) this.fold()
      group = create()
      this.groups.set(key, group)
    }
    return group
  }

  values(): IterableIterator<T> {
    return this.groups.values()
  }

  // A tenth at a time, so a flood of one-line groups costs one sort per tenth, not a scan per line.
  private fold(): void {
    const smallest = [...this.groups]
      .sort(([, a], [, b]) => this.countOf(a) - this.countOf(b))
      .slice(0, Math.max(1, Math.ceil(this.capacity / 10)))
    for (const [key, group] of smallest) {
      this.groups.delete(key)
      this.foldedLines += this.countOf(group)
      this.foldedGroups++
    }
  }
}
