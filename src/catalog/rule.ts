import type {LogLevel} from '../ingest/record.js'
import type {CountedForm} from './counted-form.js'
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
  /** A near miss that another rule recognizes instead: the boundary between two rules (checked by the catalog test). */
  otherRule?: string
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

/**
 * A line that only repeats the consequence of this rule's problem (the master's Fatal after the cause, the
 * "Internal error occurred" a client was told): when it follows a match from the same process within a few
 * seconds and no rule recognizes it, it is attached to the finding as related evidence instead of being listed
 * as unrecognized.
 */
export interface RuleCompanion {
  /** A literal the companion's message contains (case-sensitive). */
  literal: string
  /** How long after the match it may come (default COMPANION_WINDOW_SECONDS). */
  withinSeconds?: number
}

export const COMPANION_WINDOW_SECONDS = 5

/**
 * Another rule that explains this one's finding, or corroborates it: the note is added to this rule's finding
 * when the other rule's finding (or, for a fact rule, its event) is there too.
 */
export interface RuleCorrelation {
  rule: string
  /** Only when one of the other rule's matches came within this many seconds of one of this rule's; absent: anywhere. */
  withinSeconds?: number
  /** Only when this rule's matches took this value of a fact. */
  whenFact?: {name: string; value: string}
  /**
   * The note. `{event}` is replaced by the other rule's event ("ntpd stepped the clock by -3.2 s at <time>
   * (file:line)"), for a fact rule with an `event`.
   */
  note: string
}

/** What a rule's `advice` sees of a finding: the largest values and the distinct values of its facts. */
export interface FindingView {
  max: (fact: string) => number | undefined
  values: (fact: string) => string[]
}

/** Where a fact rule's matches go in the report's activity line. */
export type ActivityCount = 'logins' | 'logouts' | 'authFailures' | 'deliveries' | 'clockSteps'

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
   * (ReDoS); user rules get linear-time re2js patterns (see catalog/safe-pattern.ts).
   */
  patterns: RulePattern[]
  conditions?: RuleConditions
  /**
   * Fact rules that are only counted: the patterns' test on a message's ASCII bytes (see counted-form.ts),
   * for the reader's fast lane.
   */
  countedForm?: CountedForm
  /** What each named group means, for `explain` and the docs. */
  facts?: Record<string, string>
  summary?: FactSummary
  /** What happened and why, in the project's words. */
  explanation: string
  /** Steps to take, in order (required for problems). */
  remedy?: string[]
  variants?: RuleVariant[]
  /** Lines that follow a match and only repeat its consequence (see RuleCompanion). */
  companions?: RuleCompanion[]
  /** Other rules this one's finding is explained or corroborated by (see RuleCorrelation). */
  correlations?: RuleCorrelation[]
  /** A concrete value to set, worked out from this finding and the others' (e.g. a vsz_limit above the largest cache). */
  advice?: (own: FindingView, other: (rule: string) => FindingView | undefined) => string | null
  /** Fact rules: what one match is, as an event another rule's correlation can cite ("ntpd stepped the clock by 3 s"). */
  event?: (facts: Record<string, string>, program: string) => string
  /** Fact rules: the activity count their matches add to. */
  activity?: ActivityCount
  /** Fact rules: also count matches by remote address (failed logins from one address). */
  countByIp?: boolean
  /** When this can be left alone. */
  harmless?: string
  /** The Dovecot documentation page (with anchor) this rule is based on. */
  docs: string
  examples: {match: RuleExample[]; nearMiss: RuleExample[]}
}

/** Identity function that checks a rule's shape where it is written. */
export const defineRule = (rule: Rule): Rule => rule
