import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseISO} from 'date-fns/parseISO'
import fc from 'fast-check'

import {parseTime, resolveColumns, rowFromValues} from '../../src/migration/columns.js'
import {parseCodeArgument} from '../../src/exit-codes/explain.js'

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

/** parseTime as it was before utcStamp: the regular expression, then Date.parse or date-fns. */
function parseTimeOracle(raw: string): number | null {
  const value = raw.trim()
  if (value === '') return null
  if (/^\d+(\.\d+)?$/.test(value)) {
    const number = Number(value)
    return number > 1e11 ? number : Math.round(number * 1000)
  }
  const zoned = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:\d\d)$/
  const time = zoned.test(value) ? Date.parse(value) : parseISO(value).getTime()
  return Number.isNaN(time) ? null : time
}

describe('parseTime: the common UTC stamps read from their digits', () => {
  const digit = fc.constantFrom(...'0123456789')
  const twoDigits = fc.tuple(digit, digit).map((pair) => pair.join(''))
  // Near every edge: month 00-19, day 00-39, hour 00-29, minute and second 00-69, any year, sometimes a stray character.
  const field = (first: string) => fc.tuple(fc.constantFrom(...first), digit).map((pair) => pair.join(''))
  const stamp = fc
    .record({
      year: fc.tuple(digit, digit, digit, digit).map((four) => four.join('')),
      month: field('01'),
      day: field('0123'),
      hour: field('012'),
      minute: field('0123456'),
      second: field('0123456'),
      fraction: fc.oneof(
        fc.constant(''),
        fc.tuple(digit, digit, digit).map((three) => `.${three.join('')}`),
        twoDigits.map((two) => `.${two}`),
      ),
      zone: fc.constantFrom('Z', 'Z', 'Z', 'z', '+00:00', ''),
      stray: fc.option(fc.tuple(fc.nat(23), fc.constantFrom('x', ' ', '-', ':', '.', 'T', '/')), {nil: null}),
    })
    .map(({year, month, day, hour, minute, second, fraction, zone, stray}) => {
      const text = `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${zone}`
      return stray === null ? text : text.slice(0, stray[0]) + stray[1] + text.slice(stray[0] + 1)
    })

  it('gives what Date.parse gives, for any stamp of those shapes and their near misses', () => {
    fc.assert(
      fc.property(stamp, (text) => assert.equal(parseTime(text), parseTimeOracle(text), text)),
      {numRuns: 20_000},
    )
  })

  it('reads the edges as Date.parse does', () => {
    for (const text of [
      '0000-01-01T00:00:00Z',
      '0000-02-29T23:59:59.999Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
      '2000-02-29T12:00:00Z',
      '2026-02-31T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2100-03-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T24:00:00.000Z',
      '2026-12-32T00:00:00Z',
      ' 2026-11-23T01:00:22.507Z ',
    ]) {
      assert.equal(parseTime(text), parseTimeOracle(text), text)
    }
  })
})

describe('rowFromValues: codes and fields read as before', () => {
  /** The code and host rowFromValues read before its fast paths: trim(), then parseCodeArgument. */
  function oracle(codeText: string, host: string): {code: number | null; host: string | null} {
    const code = codeText.trim()
    let value: number | null = null
    try {
      value = code === '' ? null : parseCodeArgument(code)
    } catch {
      value = null
    }
    const name = host.trim()
    return {code: value, host: name === '' || name === ':' ? null : name}
  }
  const spaces = fc.constantFrom('', ' ', '\t', '\u00a0', '\ufeff', '\u2028', '\u3000', '\n')
  const codeText = fc.oneof(
    fc.stringMatching(/^[0-9]{1,12}$/),
    fc.tuple(spaces, fc.stringMatching(/^[-+\u2212]?[0-9]{0,11}$/), spaces).map((parts) => parts.join('')),
    fc.constantFrom('EX_TEMPFAIL', 'SIGKILL', 'tempfail', '4294967295', '-1', '٣', '１'),
    fc.string({maxLength: 6}),
  )
  const host = fc.oneof(
    fc.string({maxLength: 8}),
    fc.tuple(spaces, fc.constantFrom('mig-01', 'a', ':', 'é', ''), spaces).map((parts) => parts.join('')),
  )

  it('gives the code parseCodeArgument gives, and the host trim() gives, for any text', () => {
    const map = resolveColumns(['user', 'exit_code', 'host'])
    fc.assert(
      fc.property(codeText, host, (code, hostText) => {
        const row = rowFromValues(['jdoe', code, hostText], map, {source: 'x.csv', line: 2})
        const expected = oracle(code, hostText)
        if (expected.code === null) assert.ok('error' in row, `${JSON.stringify(code)} read as ${JSON.stringify(row)}`)
        else {
          assert.ok(!('error' in row), JSON.stringify(code))
          assert.equal(row.code, expected.code, JSON.stringify(code))
          assert.equal(row.host, expected.host, JSON.stringify(hostText))
        }
      }),
      {numRuns: 5_000},
    )
  })
})
