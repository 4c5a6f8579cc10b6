import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {parseTime} from '../../src/migration/columns.js'

describe('parseTime: the started/finished columns', () => {
  it('reads RFC 3339 stamps with a zone exactly', () => {
    assert.equal(parseTime('2026-11-23T01:19:36.865Z'), Date.UTC(2026, 10, 23, 1, 19, 36, 865))
    assert.equal(parseTime('2026-11-23T03:19:36+02:00'), Date.UTC(2026, 10, 23, 1, 19, 36))
    assert.equal(parseTime('2026-11-23T01:19Z'), Date.UTC(2026, 10, 23, 1, 19))
  })
  it('reads stamps without a zone in local time (TZ=UTC in tests), and bare dates as local midnight', () => {
    assert.equal(parseTime('2026-11-23T01:19:36'), Date.UTC(2026, 10, 23, 1, 19, 36))
    assert.equal(parseTime('2026-11-23 01:19:36'), Date.UTC(2026, 10, 23, 1, 19, 36))
    assert.equal(parseTime('2026-11-23'), Date.UTC(2026, 10, 23))
  })
  it('reads epoch seconds and milliseconds, and rejects what is no time', () => {
    assert.equal(parseTime('1795400376.5'), 1795400376500)
    assert.equal(parseTime('1795400376500'), 1795400376500)
    assert.equal(parseTime('yesterday'), null)
    assert.equal(parseTime('2026-13-45T99:00:00Z'), null)
    assert.equal(parseTime(''), null)
  })
})
