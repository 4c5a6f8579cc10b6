import type {Rule} from '../catalog/rule.js'
import type {RawRecognizer} from '../ingest/raw-line.js'
import {LiteralSet} from './literal-set.js'
import {Matcher} from './matcher.js'

/**
 * The catalog as the raw fallback asks it (src/ingest/raw-line.ts): whether a line holds any rule's literal,
 * and whether any rule, problem or fact, matches a record made from the line's text.
 */
export function rawRecognizer(rules: readonly Rule[]): RawRecognizer {
  const matcher = new Matcher(rules)
  const literals = new LiteralSet([...new Set(rules.map((rule) => rule.literal))])
  const found = new Uint8Array(literals.literals.length)
  return {
    mayMatch(text) {
      const hits = literals.find(text, found)
      found.fill(0)
      return hits > 0
    },
    matches: (record) => matcher.match(record).length > 0,
  }
}
