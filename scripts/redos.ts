/**
 * The ReDoS analysis of the catalog's built-in patterns, kept as data: `test/hostile/redos-verdicts.json`
 * holds recheck's verdict for each pattern, keyed by a hash of its source and flags. The analysis takes
 * minutes (recheck's automaton checker gives up on large automata after 10 s, then its fuzzer decides), so
 * the default `npm test` only checks that every pattern has a current, acceptable verdict
 * (test/hostile/redos.test.ts), and this script does the analysis:
 *
 *   npm run test:redos              re-analyses every pattern: a missing verdict or one that no longer
 *                                   holds fails (CI runs this)
 *   npm run test:redos -- --update  analyses the patterns without a verdict (new or changed ones), drops
 *                                   verdicts of patterns that are gone, and writes the file
 *
 * A recorded verdict is re-checked with the checker that decided it, which keeps the full run near a
 * minute: the automaton checker's 10 s give-ups are paid only for new patterns.
 */
import {writeFileSync} from 'node:fs'

import {check, type Diagnostics} from 'recheck'

import {catalogPatterns, judgeVerdict, readVerdicts, VERDICTS_PATH, type PatternVerdict, type Verdicts} from '../test/helpers/redos.js'

const update = process.argv.includes('--update')

const AUTOMATON = {checker: 'automaton', timeout: 10_000} as const
const FUZZ = {checker: 'fuzz', timeout: 20_000, randomSeed: 1} as const

/** The exact automaton proof first; the seeded fuzzer (same verdict every run) when the automaton gives up. */
async function analyse(source: string, flags: string, checker?: 'automaton' | 'fuzz'): Promise<Diagnostics> {
  if (checker !== 'fuzz') {
    const exact = await check(source, flags, AUTOMATON)
    if (exact.status !== 'unknown' || checker === 'automaton') return exact
  }
  return check(source, flags, FUZZ)
}

function toVerdict(rule: string, index: number, source: string, flags: string, diagnostics: Diagnostics): PatternVerdict | string {
  if (diagnostics.status === 'unknown') return `recheck could not decide: ${JSON.stringify(diagnostics.error)}`
  const checker = diagnostics.checker
  if (diagnostics.status === 'safe') {
    return {rule, index, source, flags, status: 'safe', checker, complexity: diagnostics.complexity.summary}
  }
  const {complexity, attack} = diagnostics
  return {
    rule,
    index,
    source,
    flags,
    status: 'vulnerable',
    checker,
    complexity: complexity.summary,
    degree: complexity.type === 'exponential' ? 'exponential' : complexity.type === 'polynomial' ? complexity.degree : 1,
    attack: attack.pattern,
  }
}

/**
 * The parts of a verdict that must not change when the same pattern is analysed again. The automaton's
 * verdict is a proof and must repeat exactly. The fuzzer's is an estimate that depends on how far it got
 * within its time (the same pattern reads "safe" on a quiet machine and "3rd degree" on a loaded one), so
 * only what the policy acts on must repeat: whether it found exponential backtracking.
 */
function essence(verdict: PatternVerdict): string {
  if (verdict.checker === 'fuzz') return JSON.stringify(['fuzz', verdict.degree === 'exponential' ? 'exponential' : 'not exponential'])
  return JSON.stringify([verdict.status, verdict.checker, verdict.degree ?? null])
}

const recorded = readVerdicts()
const next: Verdicts = {}
const failures: string[] = []
const started = Date.now()
const patterns = catalogPatterns()
for (const [n, {hash, rule, index, source, flags}] of patterns.entries()) {
  const known = recorded[hash]
  const t0 = Date.now()
  const fresh = toVerdict(rule, index, source, flags, await analyse(source, flags, known?.checker))
  const took = ((Date.now() - t0) / 1000).toFixed(1)
  const label = `${String(n + 1).padStart(3)}/${patterns.length} ${rule} pattern ${index + 1}`
  if (typeof fresh === 'string') {
    failures.push(`${label}: ${fresh}`)
    console.log(`not ok ${label} (${took} s): ${fresh}`)
    continue
  }
  next[hash] = fresh
  const problem = judgeVerdict(fresh)
  if (problem) failures.push(`${label}: ${problem}`)
  if (known && essence(known) !== essence(fresh)) failures.push(`${label}: recorded ${essence(known)}, now ${essence(fresh)}`)
  if (!known && !update) failures.push(`${label}: no recorded verdict (run npm run test:redos -- --update and commit the file)`)
  console.log(`${problem ? 'not ok' : 'ok'} ${label}: ${fresh.status} by ${fresh.checker}${known ? '' : ' (new)'} (${took} s)`)
}
const gone = Object.keys(recorded).filter((hash) => !(hash in next))
if (gone.length > 0 && !update) failures.push(`${gone.length} recorded verdict(s) for patterns that are gone (run with --update)`)

console.log(`\n${patterns.length} patterns in ${((Date.now() - started) / 1000).toFixed(0)} s`)
if (update) {
  writeFileSync(VERDICTS_PATH, `${JSON.stringify(next, null, 2)}\n`)
  console.log(`wrote ${VERDICTS_PATH}`)
}
for (const failure of failures) console.error(failure)
process.exitCode = failures.length > 0 ? 1 : 0
