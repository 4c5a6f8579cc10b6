import type {InputFormat} from './record.js'

// GNU parallel's --joblog header, exactly as it writes it.
const JOBLOG_HEADER = /^Seq\tHost\tStarttime\tJobRuntime\t/

/**
 * Tells an input's format from its first line (the text before the first newline, or all of a short
 * input). Null for an input with nothing in it.
 */
export function detectFormat(firstLine: string): InputFormat | null {
  const line = firstLine.replace(/^\uFEFF/, '')
  const trimmed = line.trim()
  if (trimmed === '') return null
  if (trimmed.startsWith('{')) return 'jsonl'
  if (trimmed.startsWith('[')) return isJson(trimmed) ? 'jsonl' : 'json'
  if (JOBLOG_HEADER.test(line)) return 'joblog'
  return delimiterFormat(line)
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

const DELIMITERS: [InputFormat, string][] = [
  ['csv', ','],
  ['tsv', '\t'],
  ['semicolon', ';'],
]

/** The delimiter used most often in a header line, outside double quotes; comma when there is none. */
function delimiterFormat(header: string): InputFormat {
  const unquoted = header.replace(/"[^"]*"/g, '')
  let best: InputFormat = 'csv'
  let bestCount = 0
  for (const [format, delimiter] of DELIMITERS) {
    const count = unquoted.split(delimiter).length - 1
    if (count > bestCount) [best, bestCount] = [format, count]
  }
  return best
}

export const DELIMITER: Record<'csv' | 'tsv' | 'semicolon' | 'joblog', string> = {
  csv: ',',
  tsv: '\t',
  semicolon: ';',
  joblog: '\t',
}
