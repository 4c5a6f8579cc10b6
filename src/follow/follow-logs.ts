import {existsSync} from 'node:fs'
import {resolve} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import type {LogInput} from '../ingest/inputs.js'
import type {LogRecord} from '../ingest/record.js'
import {readLogs, type LogEvent, type ReadLogsOptions} from '../ingest/read-logs.js'
import {planReading, positionToSave, type SavedPosition} from '../state/positions.js'

export interface FollowOptions extends ReadLogsOptions {
  /** Where reading starts: positions saved by an earlier run (--state); files without one are read whole first. */
  saved: Map<string, SavedPosition>
  /** How often the files are looked at for new lines (ms). */
  pollInterval: number
  /** Said once per rotation or truncation seen (one line each). */
  onNote: (note: string) => void
  /** After each look at the files, whether or not they had new lines. */
  onRound?: () => void | Promise<void>
}

/**
 * `tail -F` over the named files: reads them (from the saved positions, if any), then keeps looking every
 * `pollInterval` for lines added since, until the signal aborts. A file that is rotated is followed by name:
 * the rest of the rotated copy first (found by inode or first bytes, src/state/positions.ts), then the new
 * file from its start; a truncated one from its start. Stdin is read until it ends. Only whole lines are
 * read; `input-done` comes for the first reading only, so nothing grows with the time spent following.
 * `saved` holds the positions reached, for --state. A crash that ends one look is held until the next, which
 * may hold its backtrace (Dovecot writes both at once, but a look can fall between them).
 */
export async function* followLogs(inputs: LogInput[], options: FollowOptions): AsyncGenerator<LogEvent> {
  const {signal} = options
  const files = inputs.filter((input) => input.kind === 'file')
  const others = inputs.filter((input) => input.kind !== 'file')
  let round = 0
  /** Crashes held at the end of a look, by input name (src/ingest/record-assembler.ts). */
  const heldCrashes = new Map<string, LogRecord>()
  const reading: ReadLogsOptions = {...options, heldCrashes}
  while (!signal?.aborted) {
    const heldBefore = new Set(heldCrashes.values())
    // A file missing at first is looked for again each round, as tail -F does.
    const plan = await planReading(
      round === 0 ? files : files.filter((input) => options.saved.has(resolve(input.path)) || existsSync(input.path)),
      options.saved,
    )
    // The first round's notes say what the saved state led to; later ones what happened while following.
    for (const note of plan.notes) options.onNote(note)
    for await (const event of readLogs(round === 0 ? [...plan.inputs, ...others] : plan.inputs, reading)) {
      if (event.type === 'input-done' && round > 0) continue
      yield event
    }
    // Held from an earlier look, and its input had nothing new in this one: no backtrace is coming.
    const alone = [...heldCrashes].filter(([, record]) => heldBefore.has(record))
    for (const [name] of alone) heldCrashes.delete(name)
    if (alone.length > 0) yield {type: 'records', records: alone.map(([, record]) => record)}
    for (const log of plan.tracked) {
      if (log.identity !== null && log.position.finished)
        options.saved.set(log.path, await positionToSave({...log, identity: log.identity}))
    }
    round++
    await options.onRound?.()
    if (signal?.aborted) break
    await sleep(options.pollInterval, undefined, {signal}).catch(() => {})
  }
  if (heldCrashes.size > 0) yield {type: 'records', records: [...heldCrashes.values()]}
}
