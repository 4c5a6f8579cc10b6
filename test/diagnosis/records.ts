import {isRecord, parseLine} from '../../src/ingest/parse-line.js'
import type {LogRecord} from '../../src/ingest/record.js'

/** Records from log lines through the real parser, numbered from 1 as in a file called `source`. */
export function records(lines: string[], source = 'test.log'): LogRecord[] {
  return lines.map((text, index) => {
    const result = parseLine(text, {source, line: index + 1, reference: Date.UTC(2026, 11, 31), timeZone: 'UTC'})
    if (!isRecord(result)) throw new Error(`not a record: ${text}`)
    return result
  })
}
