import type {DovecotVersion} from './rule.js'
import type {Rule, RuleConditions, RuleKind, Severity} from './rule.js'

/** One line of `dovediag rules --json`. */
export interface RuleListing {
  id: string
  kind: RuleKind
  /** null for fact rules, which are counted and never flagged. */
  severity: Severity | null
  title: string
  docs: string
  /** `built-in`, or the file a user rule came from. */
  origin: string
}

/**
 * Everything a rule says, as plain JSON: the `explain --json` document, and what the text page and the
 * generated docs/rules/<id>.md are rendered from. Patterns are shown as their source text.
 */
export interface RuleDescription extends RuleListing {
  versions: DovecotVersion[] | null
  literal: string
  /** The catch-all rule: matches what no other problem rule recognized, by level (no literal or pattern). */
  fallback: boolean
  patterns: string[]
  conditions: RuleConditions | null
  /** Named group → what it means. */
  facts: Record<string, string>
  explanation: string
  remedy: string[]
  variants: {id: string; whenFact: string; explanation: string; remedy: string[]}[]
  harmless: string | null
  examples: {
    match: {line: string; version: DovecotVersion | null; facts: Record<string, string>; variant: string | null}[]
    nearMiss: {line: string; why: string | null}[]
  }
}

export const BUILT_IN = 'built-in'

export function listRule(rule: Rule, origin: string = BUILT_IN): RuleListing {
  return {id: rule.id, kind: rule.kind, severity: rule.severity ?? null, title: rule.title, docs: rule.docs, origin}
}

export function describeRule(rule: Rule, origin: string = BUILT_IN): RuleDescription {
  return {
    ...listRule(rule, origin),
    versions: rule.versions ?? null,
    literal: rule.literal,
    fallback: rule.fallback ?? false,
    patterns: rule.patterns.map((pattern) => pattern.source),
    conditions: rule.conditions ?? null,
    facts: rule.facts ?? {},
    explanation: rule.explanation,
    remedy: rule.remedy ?? [],
    variants: (rule.variants ?? []).map(({id, whenFact, explanation, remedy}) => ({id, whenFact, explanation, remedy})),
    harmless: rule.harmless ?? null,
    examples: {
      match: rule.examples.match.map((e) => ({line: e.line, version: e.version ?? null, facts: e.facts ?? {}, variant: e.variant ?? null})),
      nearMiss: rule.examples.nearMiss.map((e) => ({line: e.line, why: e.why ?? null})),
    },
  }
}

/** The conditions as one phrase: "levels warning, error; services imap". */
export function conditionsText(conditions: RuleConditions | null): string {
  const parts: string[] = []
  const list = (name: string, values: readonly string[] | undefined) => {
    if (values && values.length > 0) parts.push(`${name} ${values.join(', ')}`)
  }
  list('levels', conditions?.levels)
  list('services', conditions?.services)
  list('programs', conditions?.programs)
  if (!conditions?.programs) parts.push("Dovecot's own lines")
  return parts.join('; ')
}
