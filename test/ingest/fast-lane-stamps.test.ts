import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {type FastLaneConsumer, type LaneLine, VERIFY} from '../../src/ingest/fast-lane.js'
import {readLogs} from '../../src/ingest/read-logs.js'
import type {LogLevel} from '../../src/ingest/record.js'
import {StampReader} from '../../src/ingest/timestamp.js'
import {fileInput} from '../../src/input/resolve.js'

/**
 * The fast lane decodes a stamp only when its bytes differ from the last line's, and one that differs only in
 * its seconds and fraction as its minute's start plus them (FastLane.readTail). Every time it gives a line it
 * counts must be the one StampReader (the full parser's) reads from that stamp: across seconds, minutes, days
 * and years, zone changes inside a minute, a year-less stamp's year rolling back, hours and seconds a date
 * refuses, every stamp kind and fraction length.
 */

/** Reads `lines` from a file written `modified` (the reference of year-less stamps): each counted line's time, by its number. */
async function laneTimes(lines: string[], modified: number, timeZone: string | undefined): Promise<Map<number, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'dovediag-stamps-'))
  const path = join(dir, 'dovecot.log')
  writeFileSync(path, lines.join('\n') + '\n')
  utimesSync(path, modified / 1000, modified / 1000)
  const times = new Map<number, number>()
  const consumer: FastLaneConsumer = {
    levels: new Set<LogLevel>(['debug', 'info', 'warning']),
    chunk() {},
    take(bytes: Buffer, start: number, end: number, line: LaneLine) {
      times.set(Number(/n=(\d+)$/.exec(bytes.toString('latin1', start, end))![1]), line.time)
      return true
    },
    parsed() {},
  }
  try {
    for await (const event of readLogs([fileInput(path)], {fastLane: consumer, timeZone})) assert.notEqual(event.type, 'problem')
  } finally {
    rmSync(dir, {recursive: true})
  }
  return times
}

const pad = (value: number, width = 2, fill = '0') => String(value).padStart(width, fill)
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** The wall-clock fields of `wall` (ms, read as UTC) as each stamp kind writes them. */
interface Shape {
  kind: 'bsd' | 'iso-space' | 'iso-t' | 'iso-comma' | 'iso-zoned' | 'iso-compact' | 'dmy'
  /** Digits after the fraction's mark; -1: none. */
  fraction: number
}
function stampText(shape: Shape, wall: number, micro: number, zone: string, odd: string): string {
  const d = new Date(wall)
  const [hour, second] =
    odd === 'hour24' ? ['24', '00'] : odd.length === 2 ? [pad(d.getUTCHours()), odd] : [pad(d.getUTCHours()), pad(d.getUTCSeconds())]
  const time = `${hour}:${pad(d.getUTCMinutes())}:${second}`
  const mark = odd === 'mark' ? (shape.kind === 'iso-space' ? ',' : '7') : shape.kind === 'iso-comma' ? ',' : '.'
  const digits = pad(micro, 6).slice(0, shape.fraction)
  const fraction = shape.fraction < 0 ? '' : mark + (odd === 'letter' ? digits.replace(/\d$/, 'x') : digits)
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  switch (shape.kind) {
    case 'bsd':
      return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate(), 2, ' ')} ${time}${fraction}`
    case 'iso-space':
    case 'iso-comma':
      return `${date} ${time}${fraction}`
    case 'iso-t':
      return `${date}T${time}${fraction}`
    case 'iso-zoned':
      return `${date}T${time}${fraction}${zone}`
    case 'iso-compact':
      return `${date}T${time}${fraction}${zone.replace(':', '')}`
    case 'dmy':
      return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}, ${time}`
  }
}

/**
 * Where the stamps start, in a zone, with the reference: a zone's change (into and out of summer time, by 30
 * minutes, at second 30 of a minute: Monrovia in 1972), a reference whose next day starts inside a minute.
 */
const SETTINGS: {zone: string | undefined; wall: number; reference: number}[] = [
  {zone: 'UTC', wall: Date.UTC(2026, 10, 20, 23, 58), reference: Date.UTC(2026, 10, 25)},
  {zone: 'Europe/Berlin', wall: Date.UTC(2026, 2, 29, 1, 58), reference: Date.UTC(2026, 3, 1)},
  {zone: 'Europe/Berlin', wall: Date.UTC(2026, 9, 25, 1, 58), reference: Date.UTC(2026, 10, 1)},
  {zone: 'Australia/Lord_Howe', wall: Date.UTC(2026, 3, 5, 1, 28), reference: Date.UTC(2026, 3, 10)},
  {zone: 'Africa/Monrovia', wall: Date.UTC(1972, 0, 7, 0, 44, 5), reference: Date.UTC(1972, 0, 10)},
  {zone: 'America/St_Johns', wall: Date.UTC(2026, 10, 1, 0, 58), reference: Date.UTC(2026, 10, 5)},
  // Year-less stamps after the reference's next day are the year before: here from second 30 of a minute on.
  {zone: 'UTC', wall: Date.UTC(2026, 5, 16, 0, 0, 5), reference: Date.UTC(2026, 5, 15, 0, 0, 30)},
  {zone: '+02:00', wall: Date.UTC(2026, 11, 31, 23, 58), reference: Date.UTC(2027, 0, 2)},
  {zone: undefined, wall: Date.UTC(2026, 10, 20, 10, 0), reference: Date.UTC(2026, 10, 25)},
]
const ZONES = ['+00:00', '+01:00', '+02:00', '-03:30', '+05:45']

const step = fc.record({
  // Seconds to the next line's stamp: mostly the same second or the next, some across minutes, hours, days.
  jump: fc.constantFrom(0, 0, 0, 1, 1, 1, 2, 9, 10, 29, 30, 31, 59, 60, 61, 3599, 3600, 86_400, 31_536_000),
  micro: fc.oneof(fc.constant(0), fc.constant(999_999), fc.nat(999_999)),
  // Now and then a field a date refuses or rolls over (second 60, not digits, hour 24), another fraction mark (a
  // comma, a digit), a letter in the fraction.
  odd: fc.constantFrom('', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '', '60', '6a', ' 5', 'hour24', 'mark', 'letter'),
  zone: fc.nat(ZONES.length - 1),
  // The zone changes now and then: a stamp that differs from the last in its zone only.
  newZone: fc.nat(9),
})
const sequence = fc.record({
  setting: fc.nat(SETTINGS.length - 1),
  shape: fc.record({
    kind: fc.constantFrom<Shape['kind']>('bsd', 'iso-space', 'iso-t', 'iso-comma', 'iso-zoned', 'iso-compact', 'dmy'),
    fraction: fc.constantFrom(-1, -1, 0, 1, 2, 3, 6),
  }),
  steps: fc.array(step, {minLength: 20, maxLength: 90}),
})

type Sequence = typeof sequence extends fc.Arbitrary<infer T> ? T : never

function linesOf({setting, shape, steps}: Sequence): {lines: string[]; stamps: string[]} {
  const start = SETTINGS[setting]
  const fraction = shape.kind === 'dmy' ? -1 : shape.fraction
  let wall = start.wall
  let zone = ZONES[0]
  const lines: string[] = []
  const stamps: string[] = []
  for (const [n, {jump, micro, odd, zone: next, newZone}] of steps.entries()) {
    wall += jump * 1000
    if (newZone === 0) zone = ZONES[next]
    const stamp = stampText({...shape, fraction}, wall, micro, zone, odd)
    stamps.push(stamp)
    // mailcow's UI export writes its stamps before a priority column.
    lines.push(`${stamp} ${shape.kind === 'dmy' ? '| info | ' : ''}imap(jdoe): Info: n=${n}`)
  }
  return {lines, stamps}
}

describe('the fast lane reads stamps', () => {
  it('gives each counted line the time StampReader reads from its stamp (property)', async () => {
    const counted: Record<string, number> = {}
    await fc.assert(
      fc.asyncProperty(sequence, async (generated) => {
        const {zone, reference} = SETTINGS[generated.setting]
        const {lines, stamps} = linesOf(generated)
        const times = await laneTimes(lines, reference, zone)
        for (const [n, time] of times) {
          const reader = new StampReader(reference, zone)
          assert.ok(reader.read(stamps[n] + ' ', 0), stamps[n])
          assert.equal(time, reader.time, `${stamps[n]} in ${zone}, line ${n}`)
        }
        // And it counted every line with a time once its one template was trusted (learned from the first such
        // line, confirmed by the next VERIFY): a time it read wrong in those would have dropped the template (the
        // full parser disagreeing), which the times above do not show.
        let timed = 0
        for (const [n, stamp] of stamps.entries()) {
          const reader = new StampReader(reference, zone)
          if (reader.read(stamp + ' ', 0) && reader.time !== null && ++timed > VERIFY + 1)
            assert.ok(times.has(n), `line ${n} not counted: ${lines[n]}`)
        }
        counted[generated.shape.kind] = (counted[generated.shape.kind] ?? 0) + times.size
      }),
      {numRuns: 250},
    )
    // The lane read lines of every kind (else the property held of nothing).
    for (const kind of ['bsd', 'iso-space', 'iso-t', 'iso-comma', 'iso-zoned', 'iso-compact', 'dmy'])
      assert.ok((counted[kind] ?? 0) > 0, `${kind}: ${JSON.stringify(counted)}`)
  })

  it('reads a zone change inside a minute and a year rolling back inside one as StampReader does', async () => {
    // Monrovia moved from -0:44:30 to UTC at 00:44:30 on 7 Jan 1972: second 29 and second 30 of one minute.
    const second = (n: number) => pad(n < 20 ? n : 20 + 2 * (n - 20))
    const monrovia = Array.from({length: 40}, (_, n) => `1972-01-07 00:44:${second(n)} imap(jdoe): Info: n=${n}`)
    // Year-less stamps past the reference's next day (second 30 here) are the year before.
    const rollback = Array.from({length: 40}, (_, n) => `Jun 16 00:00:${second(n)} imap(jdoe): Info: n=${n}`)
    for (const [lines, zone, reference] of [
      [monrovia, 'Africa/Monrovia', Date.UTC(1972, 0, 10)],
      [rollback, 'UTC', Date.UTC(2026, 5, 15, 0, 0, 30)],
    ] as const) {
      const times = await laneTimes([...lines], reference, zone)
      assert.equal(times.size, 40 - VERIFY - 1)
      for (const [n, time] of times) {
        const reader = new StampReader(reference, zone)
        assert.ok(reader.read(lines[n], 0))
        assert.equal(time, reader.time, lines[n])
      }
    }
  })
})
