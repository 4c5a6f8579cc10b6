import type {LogInput} from './inputs.js'

// `x.log.3.gz`, `x.log.1`, `x.log-20261122.gz` (or with the hour, minute, second: logrotate's dateformat), `x.log`:
// the live file's path and where this one sits.
const ROTATED = /^(.*?)(?:\.(\d+)|-(\d{8}(?:\d{2}){0,3}))?(\.gz)?$/

export interface Position {
  base: string
  /** Sorts older first: numbered (higher = older), then dated (older date first), then the live file. */
  rank: [number, number]
}

/** The live file's path a (possibly rotated) log file belongs to, and its place in that set. */
export function rotationOf(path: string): Position {
  const m = ROTATED.exec(path)!
  if (m[2] !== undefined) return {base: m[1], rank: [0, -Number(m[2])]}
  if (m[3] !== undefined) return {base: m[1], rank: [1, Number(m[3])]}
  return {base: m[1], rank: [2, 0]}
}

/**
 * Orders files so each rotated set reads oldest first (`x.log.3.gz`, `x.log.2.gz`, `x.log.1`, `x.log`),
 * whatever order the shell or the glob gave them in. Sets keep the order in which they first appeared;
 * stdin and commands keep their place.
 */
export function orderRotatedSets(inputs: LogInput[]): LogInput[] {
  const groups = new Map<string, {input: LogInput; rank: [number, number]}[]>()
  for (const input of inputs) {
    const {base, rank} = input.kind === 'file' ? rotationOf(input.path) : {base: `\0${input.name}`, rank: [2, 0] as [number, number]}
    if (!groups.has(base)) groups.set(base, [])
    groups.get(base)!.push({input, rank})
  }

  return [...groups.values()].flatMap((group) =>
    group.sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1]).map((entry) => entry.input),
  )
}
