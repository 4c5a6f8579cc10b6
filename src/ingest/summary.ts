import type {InputProblem} from '../input/problem.js'
import type {InputStats} from './input-stats.js'

/** `dovediag logs --json`: what was read, per input and in total, and what could not be. */
export interface LogsSummary {
  /**
   * False when not everything named was read to its end: Ctrl-C or SIGTERM, or an input that stopped early
   * (binary, a read error, a truncated gzip, a file that shrank while read; its own `complete` says which).
   */
  complete: boolean
  inputs: InputStats[]
  problems: InputProblem[]
  totals: {inputs: number; lines: number; parsed: number; records: number; skipped: number; unparsed: number; problems: number}
}

export function summarize(inputs: InputStats[], problems: InputProblem[], interrupted = false): LogsSummary {
  const sum = (key: 'lines' | 'parsed' | 'records' | 'skipped' | 'unparsed') => inputs.reduce((total, stats) => total + stats[key], 0)
  return {
    complete: !interrupted && inputs.every((stats) => stats.complete),
    inputs,
    problems,
    totals: {
      inputs: inputs.length,
      lines: sum('lines'),
      parsed: sum('parsed'),
      records: sum('records'),
      skipped: sum('skipped'),
      unparsed: sum('unparsed'),
      problems: problems.length,
    },
  }
}
