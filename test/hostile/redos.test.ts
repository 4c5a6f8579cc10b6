import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {check, type Diagnostics} from 'recheck'

import {RULES} from '../../src/catalog/index.js'
import {MATCH_WINDOW} from '../../src/match/matcher.js'
import {compileSafePattern} from '../../src/catalog/pattern.js'

/**
 * Every catalog pattern, through the recheck ReDoS analyzer.
 *
 * What "safe" means here (see the README's "Hostile input" and bench/adversarial-lines.ts for the numbers):
 * - exponential backtracking is never acceptable;
 * - recheck's "safe"/"linear" is the goal, reached by tight classes (`[^()]+` inside parentheses, so that
 *   scans from successive repeated prefixes cannot overlap) and `[\s\S]+$` tails that cannot fail;
 * - a pattern still quadratic (degree 2) is accepted only because the matcher gives patterns at most
 *   MATCH_WINDOW characters of a message: the cost per line is then bounded, the cost per input linear.
 *   Those the automaton checker proves quadratic are listed below by name, so a new quadratic pattern fails
 *   here until someone decides about it. A degree above 2 is refused: within the window it would still cost
 *   seconds per line. bench/adversarial-lines.ts measures all of them, listed or not, on hostile lines.
 */
const QUADRATIC_WITHIN_WINDOW = new Set([
  // Paths may contain parentheses and commas (a mailbox "Sent (old)"): a class tight enough to be linear
  // would stop matching real lines.
  'chown-eperm',
  'disk-full',
  'mkdir-eacces',
  // The user name may hold '<' and '(' (clients choose it): excluding them would let a client hide its failures.
  'auth-failed',
  // Lazy "mailbox name" / "reason" captures that may contain anything up to a fixed literal.
  'quota-exceeded',
  'transaction-log-corrupted',
  'tls-handshake-failed',
  'uidlist-broken',
])

/**
 * The automaton checker proves linearity exactly, but gives up on lookarounds and large automata; the
 * fuzzer (seeded: the same verdict every run) then decides, and may overstate a degree but not miss an
 * exponential. Sequential: recheck runs one native agent.
 */
async function analyse(pattern: RegExp): Promise<Diagnostics> {
  const exact = await check(pattern.source, pattern.flags, {checker: 'automaton', timeout: 10_000})
  if (exact.status !== 'unknown') return exact
  return check(pattern.source, pattern.flags, {checker: 'fuzz', timeout: 20_000, randomSeed: 1})
}

describe('ReDoS: every catalog pattern', () => {
  // Built-in patterns are native RegExps (backtracking): those are the ones to analyse.
  const patterns = RULES.flatMap((rule) => rule.patterns.map((pattern, index) => ({rule: rule.id, index, pattern: pattern as RegExp})))

  it('every built-in pattern is a native RegExp, so every one is analysed here', () => {
    for (const {rule, pattern} of patterns) assert.ok(pattern instanceof RegExp, rule)
  })

  const verdicts = (async () => {
    const all: Diagnostics[] = []
    for (const {pattern} of patterns) all.push(await analyse(pattern))
    return all
  })()

  it('the window is small enough that a quadratic pattern stays cheap per line', () => {
    assert.ok(MATCH_WINDOW <= 8192)
  })

  for (const [n, {rule, index, pattern}] of patterns.entries()) {
    it(`${rule} pattern ${index + 1}: ${pattern.source.slice(0, 70)}`, async () => {
      const verdict: Diagnostics = (await verdicts)[n]
      assert.notEqual(verdict.status, 'unknown', `recheck could not decide: ${JSON.stringify(verdict)}`)
      if (verdict.status === 'safe') return
      assert.equal(verdict.status, 'vulnerable')
      const {complexity, attack} = verdict as Extract<Diagnostics, {status: 'vulnerable'}>
      assert.notEqual(complexity.type, 'exponential', `exponential backtracking on ${attack.pattern}`)
      // The automaton checker's verdict is a proof; the fuzzer's degree is an estimate (it calls some patterns
      // the automaton proves linear "3rd degree"), so only a proof of super-linearity needs a decision here.
      if (verdict.checker !== 'automaton') return
      assert.ok(QUADRATIC_WITHIN_WINDOW.has(rule), `${complexity.summary} on ${attack.pattern}: make it linear (tighter classes) or decide`)
      assert.ok(complexity.type === 'polynomial' && complexity.degree <= 2, `${complexity.summary}`)
    })
  }
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
