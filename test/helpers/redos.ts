import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {RULES} from '../../src/catalog/index.js'

/**
 * The ReDoS policy for built-in patterns, shared by the fast test (test/hostile/redos.test.ts, which reads
 * recorded verdicts) and the analysis (scripts/redos.ts, which makes them with recheck).
 *
 * What "safe" means (see the README's "Hostile input" and bench/adversarial-lines.ts for the numbers):
 * - exponential backtracking is never acceptable;
 * - recheck's "safe"/"linear" is the goal, reached by tight classes (`[^()]+` inside parentheses, so that
 *   scans from successive repeated prefixes cannot overlap) and `[\s\S]+$` tails that cannot fail;
 * - a pattern the automaton checker proves quadratic is refused: even within the matcher's MATCH_WINDOW
 *   (8 KiB) one crafted line cost up to half a second. Where a class cannot be tight (paths hold any
 *   character), what precedes the rule's literal is read backwards from it (a lookbehind), so matching
 *   starts only where the literal is. QUADRATIC_WITHIN_WINDOW could list a pattern decided otherwise (degree
 *   2 at most); it is empty. bench/adversarial-lines.ts measures every pattern on crafted lines.
 * - The fuzzer's degree is an estimate (it calls some patterns the automaton proves linear "3rd degree"), so
 *   only the automaton's proof of super-linearity needs a decision here; an exponential from either fails.
 */
export const QUADRATIC_WITHIN_WINDOW = new Set<string>([
  // Empty since issue 14 (point 12): every pattern the automaton proved quadratic was made linear (a lookbehind
  // read back from the literal, a start anchored to its run, a capture that stops at the next repeat of its
  // prefix). A new one fails until it is made linear too.
])

/** One recorded recheck verdict. `degree` is set for vulnerable patterns (1 when recheck did not say). */
export interface PatternVerdict {
  rule: string
  index: number
  source: string
  flags: string
  status: 'safe' | 'vulnerable'
  checker: 'automaton' | 'fuzz'
  complexity: string
  degree?: number | 'exponential'
  attack?: string
}

export type Verdicts = Record<string, PatternVerdict>

export const VERDICTS_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../hostile/redos-verdicts.json')

/** A pattern's key in the verdicts: its flags and source, hashed (a changed pattern needs a new verdict). */
export function patternHash(source: string, flags: string): string {
  return createHash('sha256').update(`/${source}/${flags}`).digest('hex').slice(0, 16)
}

export interface CatalogPattern {
  hash: string
  rule: string
  index: number
  source: string
  flags: string
}

/** Every built-in pattern (native RegExps: the backtracking ones that need the analysis). */
export function catalogPatterns(): CatalogPattern[] {
  return RULES.flatMap((rule) =>
    rule.patterns.map((pattern, index) => {
      if (!(pattern instanceof RegExp)) throw new Error(`${rule.id} pattern ${index + 1} is not a native RegExp`)
      return {hash: patternHash(pattern.source, pattern.flags), rule: rule.id, index, source: pattern.source, flags: pattern.flags}
    }),
  )
}

export function readVerdicts(): Verdicts {
  return existsSync(VERDICTS_PATH) ? (JSON.parse(readFileSync(VERDICTS_PATH, 'utf8')) as Verdicts) : {}
}

/** Why a verdict is not acceptable under the policy above, or null when it is. */
export function judgeVerdict(verdict: PatternVerdict): string | null {
  if (verdict.status === 'safe') return null
  if (verdict.degree === 'exponential') return `exponential backtracking on ${verdict.attack}`
  if (verdict.checker !== 'automaton') return null
  if (!QUADRATIC_WITHIN_WINDOW.has(verdict.rule))
    return `${verdict.complexity} on ${verdict.attack}: make it linear (tighter classes) or decide`
  if (typeof verdict.degree !== 'number' || verdict.degree > 2) return `${verdict.complexity}: above quadratic`
  return null
}
