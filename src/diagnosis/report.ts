import type {Severity} from '../catalog/rule.js'
import type {LogLevel} from '../ingest/record.js'
import type {LogsSummary} from '../ingest/summary.js'
import type {NameCount} from './bounded-counter.js'

/**
 * The diagnosis part of `dovediag logs --json`: one home for its shape, documented in the README
 * ("JSON output of logs"). Fields are only ever added; times are ISO 8601 UTC strings or null.
 */

/** A line shown as proof: where it is and what it says. */
export interface Evidence {
  source: string
  line: number
  text: string
}

export interface FindingVariant {
  id: string
  count: number
  explanation: string
  remedy: string[]
}

export interface FindingMaximum {
  fact: string
  label: string
  value: number
  unit: 'seconds' | 'bytes' | 'MB'
}

export interface Finding {
  rule: string
  title: string
  severity: Severity
  count: number
  firstSeen: string | null
  lastSeen: string | null
  /** Top users, services and hosts with counts (`approximate` when too many distinct names to count exactly). */
  affected: {users: NameCount[]; services: NameCount[]; hosts: NameCount[]; approximate: boolean}
  /** The extracted facts summed up, one line each, most frequent first ("imap hit vsz_limit=256 MB 41 time(s)"). */
  facts: string[]
  maxima: FindingMaximum[]
  /** Sub-cases seen, each with its own remedy (e.g. mkdir-eacces "acl-mac"). */
  variants: FindingVariant[]
  /** Up to 3 lines: the first two and the latest. */
  evidence: Evidence[]
  /**
   * Lines that followed a match from the same process within seconds and only repeat its consequence (the rule's
   * companions, e.g. "Failed to start listeners" after a listen() error): how many, and the first two.
   */
  related: {count: number; evidence: Evidence[]}
  explanation: string
  remedy: string[]
  /** What this finding has to do with the others, and concrete values to set. */
  notes: string[]
  harmless: string | null
  docs: string
  /** With --state: whether this rule was not reported by an earlier run, and when it was first seen in any run. */
  sinceLastRun?: {new: boolean; firstSeen: string}
}

/** Error/Fatal/Panic lines no rule recognized, grouped by their masked shape. */
export interface UnrecognizedGroup {
  level: LogLevel
  service: string | null
  template: string
  count: number
  firstSeen: string | null
  lastSeen: string | null
  example: Evidence
}

export interface Activity {
  logins: number
  logouts: number
  authFailures: number
  deliveries: number
  clockSteps: number
  /** Addresses with at least `AUTH_FAILURE_ALERT` failed logins. */
  authFailuresByIp: NameCount[]
}

export interface Diagnosis {
  /** Records that passed the filters. */
  records: number
  levels: Record<LogLevel | 'none', number>
  findings: Finding[]
  unrecognized: UnrecognizedGroup[]
  /** Severe lines in shapes beyond the bounded list of groups: counted, not shown. */
  unrecognizedOther: number
  activity: Activity
}

/**
 * `dovediag logs --json`: what was read (inputs, problems, totals: see src/ingest/summary.ts) and what it
 * means (the Diagnosis fields).
 */
export type LogsReport = LogsSummary & Diagnosis
