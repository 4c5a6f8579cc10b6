import type {Rule, RuleVariant} from '../catalog/rule.js'
import type {LogRecord} from '../ingest/record.js'

/** One rule matching one record: the named groups that matched, and the sub-case they select. */
export interface RuleMatch {
  rule: Rule
  facts: Record<string, string>
  variant: RuleVariant | null
}

/**
 * Tries one rule on one record, in the cheap-to-dear order: the literal prefilter (a substring test), then
 * the patterns, then the conditions (level, service, program), then extraction of the named groups.
 */
export function matchRule(rule: Rule, record: LogRecord): RuleMatch | null {
  const {message} = record
  if (!message.includes(rule.literal)) return null
  let groups: Record<string, string | undefined> | undefined
  let matched = false
  for (const pattern of rule.patterns) {
    const result = pattern.exec(message)
    if (result) {
      groups = result.groups
      matched = true
      break
    }
  }
  if (!matched || !conditionsHold(rule, record)) return null
  const facts: Record<string, string> = {}
  for (const [name, value] of Object.entries(groups ?? {})) if (value !== undefined && value !== '') facts[name] = value
  const variant = rule.variants?.find((candidate) => candidate.whenFact in facts) ?? null
  return {rule, facts, variant}
}

/** Rules about Dovecot apply to Dovecot's lines unless they name other programs (ntpd, audit, the kernel). */
function conditionsHold(rule: Rule, record: LogRecord): boolean {
  const conditions = rule.conditions ?? {}
  if (conditions.programs ? !conditions.programs.includes(record.program) : !record.dovecot) return false
  if (conditions.levels && (record.level === null || !conditions.levels.includes(record.level))) return false
  if (conditions.services && (record.service === null || !conditions.services.includes(record.service))) return false
  return true
}

/** Matches records against a fixed set of rules. */
export class Matcher {
  constructor(readonly rules: readonly Rule[]) {}

  /** Every rule that matches (the catalog keeps problem rules disjoint; the catalog test checks it). */
  match(record: LogRecord): RuleMatch[] {
    const matches: RuleMatch[] = []
    for (const rule of this.rules) {
      const match = matchRule(rule, record)
      if (match) matches.push(match)
    }
    return matches
  }
}
