import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {formatCount} from '../../src/render/numbers.js'

// formatCount writes what toLocaleString('en-US') writes, without loading ICU for it (start-up, issue #16).
describe('formatCount', () => {
  it('groups digits by thousands as en-US does', () => {
    assert.equal(formatCount(0), '0')
    assert.equal(formatCount(999), '999')
    assert.equal(formatCount(1000), '1,000')
    assert.equal(formatCount(1333420), '1,333,420')
    assert.equal(formatCount(-12345), '-12,345')
    assert.equal(formatCount(Number.MAX_SAFE_INTEGER), '9,007,199,254,740,991')
  })

  it('is toLocaleString("en-US") for every integer', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({min: -1e6, max: 1e6})), (value) => {
        assert.equal(formatCount(value), value.toLocaleString('en-US'))
      }),
      {numRuns: 2000},
    )
  })

  it('leaves other numbers to toLocaleString("en-US")', () => {
    for (const value of [1234.5678, -0.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY, -0])
      assert.equal(formatCount(value), value.toLocaleString('en-US'))
  })
})
