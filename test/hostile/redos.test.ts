import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {MATCH_WINDOW} from '../../src/match/matcher.js'
import {compileSafePattern} from '../../src/catalog/safe-pattern.js'
import {catalogPatterns, judgeVerdict, QUADRATIC_WITHIN_WINDOW, readVerdicts} from '../helpers/redos.js'

/**
 * Every built-in pattern has a current ReDoS verdict, and the verdict is acceptable (the policy is in
 * test/helpers/redos.ts). The verdicts are recheck's, recorded by `npm run test:redos -- --update` and
 * re-checked in CI by `npm run test:redos`; this test reads them, so a changed or new pattern fails here
 * until it has been analysed.
 */
describe('ReDoS: every catalog pattern has a current, acceptable verdict', () => {
  const verdicts = readVerdicts()
  const patterns = catalogPatterns()

  it('the window is small enough that a quadratic pattern stays cheap per line', () => {
    assert.ok(MATCH_WINDOW <= 8192)
  })

  for (const {hash, rule, index, source} of patterns) {
    it(`${rule} pattern ${index + 1}: ${source.slice(0, 70)}`, () => {
      const verdict = verdicts[hash]
      assert.ok(
        verdict,
        `no verdict for this pattern (new or changed): run npm run test:redos -- --update and commit test/hostile/redos-verdicts.json`,
      )
      assert.equal(verdict.source, source, 'the verdict was recorded for another pattern')
      assert.equal(judgeVerdict(verdict), null)
    })
  }

  it('no verdict is kept for a pattern that is gone', () => {
    const current = new Set(patterns.map((p) => p.hash))
    assert.deepEqual(
      Object.keys(verdicts).filter((hash) => !current.has(hash)),
      [],
      'run npm run test:redos -- --update',
    )
  })
})

describe('ReDoS: the policy refuses what it must', () => {
  const base = {rule: 'panic', index: 0, source: 'x', flags: '', checker: 'automaton' as const, complexity: '', attack: 'a'}
  it('an exponential pattern, whoever found it', () => {
    assert.match(judgeVerdict({...base, status: 'vulnerable', degree: 'exponential', checker: 'fuzz'}) ?? '', /exponential/)
  })
  it('a proven quadratic pattern (no rule is listed as decided: issue 14, point 12)', () => {
    assert.equal(QUADRATIC_WITHIN_WINDOW.size, 0)
    assert.match(judgeVerdict({...base, rule: 'disk-full', status: 'vulnerable', degree: 2}) ?? '', /make it linear/)
  })
  it('accepts a safe one, and a fuzzer estimate that is not exponential', () => {
    assert.equal(judgeVerdict({...base, status: 'safe'}), null)
    assert.equal(judgeVerdict({...base, status: 'vulnerable', degree: 3, checker: 'fuzz'}), null)
  })
})

describe('ReDoS: user patterns (--rules FILE)', () => {
  it('are compiled with re2js: an exponential pattern on its attack string returns at once instead of hanging', () => {
    // Native RegExp needs about 2^40 steps here; re2js's automaton is linear in the line.
    const pattern = compileSafePattern('^(?<run>(a+)+)$')
    assert.equal(pattern.exec(`${'a'.repeat(40)}!`), null)
    assert.equal(pattern.exec('a'.repeat(40))?.groups?.run, 'a'.repeat(40))
  })

  it('refuse what only a backtracking engine can do (lookaround, backreferences)', () => {
    assert.throws(() => compileSafePattern('(?=a)a'))
    assert.throws(() => compileSafePattern('(a)\\1'))
  })
})
