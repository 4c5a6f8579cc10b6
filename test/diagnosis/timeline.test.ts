import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {Timeline} from '../../src/diagnosis/timeline.js'

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 10, 22, 6, 0)

describe('Timeline', () => {
  it('counts per slice of the span, in any order', () => {
    const timeline = new Timeline()
    for (const minutes of [130, 5, 70, 71, 10]) timeline.add(T0 + minutes * 60_000)
    timeline.add(null)
    assert.deepEqual(timeline.columns(T0, T0 + 3 * HOUR, 3), [2, 2, 1])
    assert.deepEqual(timeline.between([T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]), [2, 2, 1])
  })

  it('stays bounded over a long span and keeps every count', () => {
    const timeline = new Timeline()
    let total = 0
    for (let day = 0; day < 365; day++)
      for (let minute = 0; minute < 1440; minute += 7) {
        timeline.add(T0 + day * 24 * HOUR + minute * 60_000)
        total++
      }
    assert.ok(timeline.size <= 512, `${timeline.size} buckets`)
    const range = timeline.range()!
    assert.equal(
      timeline.columns(range.start, range.end, 12).reduce((a, b) => a + b, 0),
      total,
    )
  })
})
