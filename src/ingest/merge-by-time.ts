import {tuneEngineForReading} from './engine-tuning.js'
import {readLogInput, readLogs, type LogEvent, type ReadLogsOptions} from './read-logs.js'
import type {LogInput} from './inputs.js'
import type {LogRecord} from './record.js'

/** Records per batch yielded: about what one chunk of one input gives. */
const BATCH = 512

/** One input being read: the batch of records in hand and how far into it the merge is. */
interface Cursor {
  events: AsyncGenerator<LogEvent>
  batch: LogRecord[]
  at: number
  /** The last time this input's records had: a record without a time sorts as this (-Infinity before any). */
  time: number
  done: boolean
}

/**
 * Every input read at once and their records yielded in time order, a streaming k-way merge: each input is
 * in the order of its lines, and the next record out is the earliest among the next records of all inputs
 * (on equal times, the input named first). A record without a time (a line whose stamp could not be read, a
 * `--- Raw backtrace` that stands alone) comes right after the record before it in its own input, never
 * elsewhere. Memory holds one batch of records per input, whatever their size. Problems and each input's
 * `input-done` are yielded as they come, after the records before them.
 *
 * `dovediag logs --records` merges all its inputs this way: Dovecot's log_path and info_log_path (the same
 * host's errors and the rest), and logs of several hosts alike (the records name their host when the lines
 * do). Each input's own order is kept even where its times step back (a clock change).
 */
export async function* readLogsByTime(inputs: readonly LogInput[], options: ReadLogsOptions = {}): AsyncGenerator<LogEvent> {
  if (inputs.length < 2) yield* readLogs([...inputs], options)
  else {
    // readLogInput, unlike readLogs, leaves V8 as it is: the reading's settings (young generation cap among them).
    tuneEngineForReading()
    yield* mergeByTime(inputs.map((input) => readLogInput(input, options)))
  }
}

/** The merge itself, over each input's events (readLogInput's), in the order the inputs were named. */
export async function* mergeByTime(streams: readonly AsyncGenerator<LogEvent>[]): AsyncGenerator<LogEvent> {
  const cursors: Cursor[] = streams.map((events) => ({events, batch: [], at: 0, time: -Infinity, done: false}))
  const out: LogRecord[] = []

  /** Reads `cursor` until it holds a record or ends, yielding the other events it meets (after the records before them). */
  async function* refill(cursor: Cursor): AsyncGenerator<LogEvent> {
    while (cursor.at >= cursor.batch.length && !cursor.done) {
      const next = await cursor.events.next()
      if (next.done) cursor.done = true
      else if (next.value.type === 'records') {
        cursor.batch = next.value.records
        cursor.at = 0
      } else {
        if (out.length > 0) yield {type: 'records', records: out.splice(0)}
        yield next.value
      }
    }
  }

  const headTime = (cursor: Cursor): number => cursor.batch[cursor.at].time ?? cursor.time

  for (const cursor of cursors) yield* refill(cursor)
  for (;;) {
    let earliest: Cursor | null = null
    for (const cursor of cursors) {
      if (cursor.done && cursor.at >= cursor.batch.length) continue
      if (earliest === null || headTime(cursor) < headTime(earliest)) earliest = cursor
    }
    if (earliest === null) break
    // Its next record, and those after it that have no time of their own.
    do {
      const record = earliest.batch[earliest.at++]
      if (record.time !== null) earliest.time = record.time
      out.push(record)
      if (earliest.at >= earliest.batch.length) yield* refill(earliest)
    } while (earliest.at < earliest.batch.length && earliest.batch[earliest.at].time === null)
    if (out.length >= BATCH) yield {type: 'records', records: out.splice(0)}
  }
  if (out.length > 0) yield {type: 'records', records: out}
}
