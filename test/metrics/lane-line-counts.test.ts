import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {RULES} from '../../src/catalog/index.js'
import {Diagnoser} from '../../src/diagnosis/diagnose.js'
import type {FastLaneConsumer} from '../../src/ingest/fast-lane.js'
import {readLogs} from '../../src/ingest/read-logs.js'
import {rawRecognizer} from '../../src/match/raw-recognizer.js'
import {LineCounter} from '../../src/metrics/log-metrics.js'

/**
 * `--format prometheus|openmetrics` and `--state` count lines by level, service and host (LineCounter). The
 * reader's fast lane counts lines from their bytes; with it, those counts must be the ones the records give,
 * in the same order (the first MAX_LINE_SERIES series met keep their own; later ones go to "other").
 */
async function lineCounts(text: string, lane: boolean) {
  const diagnoser = new Diagnoser({rules: RULES})
  const counter = new LineCounter('this-host')
  let counted = 0
  let fastLane: FastLaneConsumer | undefined
  if (lane) {
    const inner = counter.lane(diagnoser.fastLane()!)
    fastLane = {...inner, take: (...args) => (inner.take(...args) ? (counted++, true) : false)}
  }
  const bytes = Buffer.from(text)
  // Chunks of 4 KiB: lines cross chunk ends, and a chunk's lines are taken before its records are counted.
  const stdin = (async function* () {
    for (let at = 0; at < bytes.length; at += 4096) yield bytes.subarray(at, at + 4096)
  })()
  for await (const event of readLogs([{kind: 'stdin', name: '-'}], {
    stdin,
    recognizeRaw: rawRecognizer(RULES),
    timeZone: 'UTC',
    fastLane,
  })) {
    if (event.type === 'records')
      for (const record of event.records) {
        diagnoser.add(record)
        counter.add(record)
      }
  }
  return {counts: JSON.stringify([...counter.counts]), counted}
}

const SERVICES = ['imap', 'pop3', 'lmtp', 'imap-login', 'auth', 'managesieve', 'submission']
const LEVELS = ['Info', 'Warning', 'Debug']
const line = (i: number, host: number, service: string, level: string) =>
  `Nov 20 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} mail${host} dovecot: ${service}(user${i % 7}@example.com)<${i}>: ${level}: Disconnected: Logged out in=1 out=2`

describe('line counts with the fast lane (metrics, --state)', () => {
  it("are the records' counts, with most lines counted from their bytes", async () => {
    const lines: string[] = []
    for (let i = 0; i < 3000; i++) lines.push(line(i, i % 3, SERVICES[(i >> 2) % 4], LEVELS[i % 17 === 0 ? 1 : 0]))
    lines.push('Nov 20 11:00:00 mail1 dovecot: imap(jdoe)<1>: Error: Time moved backwards by 5 seconds')
    const text = lines.join('\n') + '\n'
    const fast = await lineCounts(text, true)
    const full = await lineCounts(text, false)
    assert.equal(fast.counts, full.counts)
    assert.ok(fast.counted > 2500, `${fast.counted} of 3001 lines counted from bytes`)
    const counts = new Map(JSON.parse(fast.counts) as [string, number][])
    assert.ok(counts.get('dovediag_log_lines_total{level="info",service="imap",host="mail1"}')! > 200, fast.counts)
  })

  it('fold the same series into "other" past the cap, whichever lines the lane reads', async () => {
    // 16 hosts × 7 services × 3 levels = 336 series, more than the 200 kept: met in an order where later
    // series (new services) appear on lines the lane could read before their chunk's records are counted.
    const lines: string[] = []
    for (let i = 0; i < 12_000; i++) {
      const round = Math.floor(i / 2000)
      lines.push(line(i, i % 16, SERVICES[(i + round) % Math.min(7, 2 + round)], LEVELS[Math.floor(i / 16) % Math.min(3, 1 + round)]))
    }
    const text = lines.join('\n') + '\n'
    const fast = await lineCounts(text, true)
    const full = await lineCounts(text, false)
    assert.equal(fast.counts, full.counts)
    assert.ok(full.counts.includes('service=\\"other\\",host=\\"other\\"'), full.counts)
    assert.ok(fast.counted > 1000, `${fast.counted} lines counted from bytes`)
  })

  it("are the records' counts on any mix of hosts, services, levels and shapes (property)", async () => {
    const shape = fc.record({
      host: fc.integer({min: 0, max: 40}),
      service: fc.constantFrom(...SERVICES),
      level: fc.constantFrom('Info', 'Info', 'Warning', 'Debug', 'Error'),
      own: fc.boolean(),
      repeat: fc.integer({min: 1, max: 60}),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(shape, {minLength: 1, maxLength: 40}), async (runs) => {
        const lines: string[] = []
        let i = 0
        for (const run of runs)
          for (let k = 0; k < run.repeat; k++, i++) {
            const text = line(i, run.host, run.service, run.level)
            lines.push(run.own ? text.replace(/ mail\d+ dovecot: /, ' ') : text)
          }
        const text = lines.join('\n') + '\n'
        assert.equal((await lineCounts(text, true)).counts, (await lineCounts(text, false)).counts)
      }),
      {numRuns: 40},
    )
  })
})
