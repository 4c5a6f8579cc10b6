import type {InputProblem} from '../input/problem.js'
import type {InputStats} from './input-stats.js'

/** `dovediag logs --json`: what was read, per input and in total, and what could not be. */
export interface LogsSummary {
  inputs: InputStats[]
  problems: InputProblem[]
  totals: {inputs: number; lines: number; parsed: number; records: number; skipped: number; unparsed: number; problems: number}
}

export function summarize(inputs: InputStats[], problems: InputProblem[]): LogsSummary {
  const sum = (key: 'lines' | 'parsed' | 'records' | 'skipped' | 'unparsed') => inputs.reduce((total, stats) => total + stats[key], 0)
  return {
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
