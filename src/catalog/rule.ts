import type {LogLevel} from '../ingest/record.js'
import type {RulePattern} from './pattern.js'

/**
 * The shape of one catalog rule: data only (ShellCheck's code + wiki page, ESLint's `meta`), so the
 * matcher, the report, `dovediag rules`/`explain` and generated docs all read the same thing.
 */

/** Ordered from least to most urgent; `--min-severity` and `--fail-on` compare positions in this list. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity)

/** Dovecot versions the examples are written for; formats differ between them (see docs/formats). */
export type DovecotVersion = '2.2' | '2.3' | '2.4'

/** An example line, exactly as it appears in a log (own file, syslog, journal, audit.log). */
export interface RuleExample {
  line: string
  /** The Dovecot version whose format this line follows, where formats differ. */
  version?: DovecotVersion
  /** Facts the rule must extract from this line (a subset: only the ones listed are checked). */
  facts?: Record<string, string>
  /** The variant this line must select (see `RuleVariant`). */
  variant?: string
  /** Why a near miss must not match (for readers of the catalog). */
  why?: string
}

/**
 * A different remedy for a sub-case the line itself reveals: chosen when the named fact (a named
 * group of the pattern) was captured. The first variant whose fact is present wins.
 */
export interface RuleVariant {
  id: string
  /** The named group that must have matched. */
  whenFact: string
  /** One line saying what this sub-case means. */
  explanation: string
  remedy: string[]
}

/** Conditions checked after the pattern matched; every listed condition must hold. */
export interface RuleConditions {
  /** Dovecot level words (or syslog priorities) the line must carry. */
  levels?: LogLevel[]
  /** Process/service names (`imap`, `master`, ...). */
  services?: string[]
  /** Programs (`dovecot` for Dovecot's lines, `ntpd`, `audit`, ...). Default: Dovecot's lines only. */
  programs?: string[]
}

/** How the report sums up extracted facts: group by these facts, then format one line per group. */
export interface FactSummary {
  /** Named groups to group by (at most a few; the count of distinct groups is bounded). */
  by: string[]
  /** "imap hit vsz_limit=256 MB 41 times": small formatting, the only code a rule may hold. */
  format: (facts: Record<string, string>, count: number) => string
  /** Numeric facts whose largest value the report shows ("largest jump: 18 s"). */
  max?: {fact: string; label: string; unit: 'seconds' | 'bytes' | 'MB'}[]
}

/** `problem` rules become findings; `fact` rules are counted as ordinary activity, never flagged. */
export type RuleKind = 'problem' | 'fact'

export interface Rule {
  /** Stable slug: never renamed or reused once published. */
  id: string
  kind: RuleKind
  title: string
  /** Required for problems; facts are never flagged. */
  severity?: Severity
  /** Dovecot versions that print these lines, where not all of 2.2, 2.3 and 2.4 do. */
  versions?: DovecotVersion[]
  /**
   * A literal every matching message contains (case-sensitive): the cheap prefilter run before the
   * pattern, and what a chunk scanner can search for.
   */
  literal: string
  /**
   * True for the catch-all rule: it has no literal or pattern and takes every record at its `conditions.levels`
   * that no other problem rule recognized (grouped by message template). The matcher never tries it.
   */
  fallback?: boolean
  /**
   * Patterns tried in order against the record's message (text after the process prefix and level word).
   * Named groups are the extracted facts. Built-in rules use native RegExps with no nested quantifiers
   * (ReDoS); user rules get linear-time re2js patterns (see catalog/pattern.ts).
   */
  patterns: RulePattern[]
  conditions?: RuleConditions
  /** What each named group means, for `explain` and the docs. */
  facts?: Record<string, string>
  summary?: FactSummary
  /** What happened and why, in the project's words. */
  explanation: string
  /** Steps to take, in order (required for problems). */
  remedy?: string[]
  variants?: RuleVariant[]
  /** When this can be left alone. */
  harmless?: string
  /** The Dovecot documentation page (with anchor) this rule is based on. */
  docs: string
  examples: {match: RuleExample[]; nearMiss: RuleExample[]}
}

/** Identity function that checks a rule's shape where it is written. */
export const defineRule = (rule: Rule): Rule => rule
