import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {mergeByTime} from '../../src/ingest/merge-by-time.js'
import type {LogEvent} from '../../src/ingest/read-logs.js'
import type {InputStats} from '../../src/ingest/input-stats.js'
import type {LogRecord} from '../../src/ingest/record.js'
import {records} from '../diagnosis/records.js'

const [template] = records(['Nov 23 10:30:00 imap(alice)<4101><q1bQXu9gkKzAAAIK>: Info: Disconnected: Logged out in=1 out=2'])

/** A record of input `source` at line `line`, at `time` (ms; null: a record whose line had no time). */
const at = (source: string, line: number, time: number | null): LogRecord => ({...template, source, line, time})

/** An input's events: its records in batches of `batch`, then its input-done. */
async function* input(source: string, times: (number | null)[], batch = 2): AsyncGenerator<LogEvent> {
  for (let i = 0; i < times.length; i += batch) {
    yield {type: 'records', records: times.slice(i, i + batch).map((time, j) => at(source, i + j + 1, time))}
  }
  yield {type: 'input-done', stats: {input: source} as InputStats}
}

async function merged(...streams: AsyncGenerator<LogEvent>[]): Promise<string[]> {
  const out: string[] = []
  for await (const event of mergeByTime(streams)) {
    if (event.type === 'records') out.push(...event.records.map((r) => `${r.source}:${r.line}`))
    else if (event.type === 'problem') out.push(`problem ${event.problem.input}`)
    else out.push(`done ${event.stats.input}`)
  }
  return out
}

describe('mergeByTime (logs --records over several files)', () => {
  it('gives the records of all inputs in time order, each input in its own order', async () => {
    assert.deepEqual(await merged(input('error.log', [1000, 3000, 5000]), input('info.log', [2000, 4000, 6000, 7000])), [
      'error.log:1',
      'info.log:1',
      'error.log:2',
      'info.log:2',
      'error.log:3',
      'done error.log',
      'info.log:3',
      'info.log:4',
      'done info.log',
    ])
  })

  it('on equal times, takes the input named first', async () => {
    const order = await merged(input('a.log', [1000, 2000]), input('b.log', [1000, 2000]))
    assert.deepEqual(
      order.filter((e) => !e.startsWith('done')),
      ['a.log:1', 'b.log:1', 'a.log:2', 'b.log:2'],
    )
  })

  it('keeps a record without a time right after the record before it in its own input', async () => {
    // error.log:2 and :3 have no time: they follow error.log:1 (10 s), before info.log:1 (20 s), across batches.
    const order = await merged(input('error.log', [10_000, null, null, 30_000], 1), input('info.log', [20_000]))
    assert.deepEqual(
      order.filter((e) => !e.startsWith('done')),
      ['error.log:1', 'error.log:2', 'error.log:3', 'info.log:1', 'error.log:4'],
    )
    // One at the very start of an input has nothing before it: it comes first.
    const start = await merged(input('a.log', [0]), input('b.log', [null, 1]))
    assert.deepEqual(
      start.filter((e) => !e.startsWith('done')),
      ['b.log:1', 'a.log:1', 'b.log:2'],
    )
  })

  it("passes an input's problems on after the records read before them", async () => {
    async function* broken(): AsyncGenerator<LogEvent> {
      yield {type: 'records', records: [at('broken.log', 1, 1000), at('broken.log', 2, 2000)]}
      yield {type: 'problem', problem: {kind: 'unreadable', input: 'broken.log', line: 3, message: 'I/O error'}}
      yield {type: 'input-done', stats: {input: 'broken.log'} as InputStats}
    }
    assert.deepEqual(await merged(broken(), input('ok.log', [1500, 3000])), [
      'broken.log:1',
      'ok.log:1',
      'broken.log:2',
      'problem broken.log',
      'done broken.log',
      'ok.log:2',
      'done ok.log',
    ])
  })

  it('streams: inputs without end are merged as they are read, one batch at a time each', async () => {
    const pulled = {a: 0, b: 0}
    async function* endless(name: 'a' | 'b', offset: number): AsyncGenerator<LogEvent> {
      for (let batch = 0; ; batch++) {
        pulled[name]++
        yield {type: 'records', records: Array.from({length: 10}, (_, i) => at(name, batch * 10 + i + 1, (batch * 10 + i) * 2 + offset))}
      }
    }
    const events = mergeByTime([endless('a', 0), endless('b', 1)])
    let seen = 0
    for await (const event of events) {
      if (event.type === 'records') seen += event.records.length
      if (seen >= 2000) break
    }
    // Some 2,000 records out (in batches of 512), half from each input: about 100 batches of 10 were read from
    // each, plus the one in hand, not the endless rest.
    assert.ok(seen < 2600, String(seen))
    assert.ok(pulled.a <= 110 && pulled.b <= 110, JSON.stringify(pulled))
  })
})
