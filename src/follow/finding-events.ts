import type {Diagnosis, Evidence, Finding} from '../diagnosis/report.js'

/** One line of `logs --follow`: a finding that first appeared, or that kept happening. */
export interface FindingEvent {
  event: 'finding'
  /** `new`: the rule's first occurrence while following; `repeat`: more of it, said at most once per interval. */
  status: 'new' | 'repeat'
  rule: string
  severity: Finding['severity']
  title: string
  /** Occurrences so far, and since this rule's last event. */
  count: number
  added: number
  firstSeen: string | null
  lastSeen: string | null
  /** The latest line that matched. */
  evidence: Evidence | null
  docs: string
}

/**
 * Turns successive diagnoses of a growing log into events: a rule's first finding at once, then more of it
 * at most once per `repeatInterval` ms (with how many were added meanwhile). Keeps one entry per rule.
 */
export class FindingEvents {
  private readonly said = new Map<string, {count: number; at: number}>()

  constructor(private readonly repeatInterval: number) {}

  next(diagnosis: Diagnosis, now = Date.now()): FindingEvent[] {
    const events: FindingEvent[] = []
    for (const finding of diagnosis.findings) {
      const last = this.said.get(finding.rule)
      if (last !== undefined && (finding.count === last.count || now - last.at < this.repeatInterval)) continue
      events.push({
        event: 'finding',
        status: last === undefined ? 'new' : 'repeat',
        rule: finding.rule,
        severity: finding.severity,
        title: finding.title,
        count: finding.count,
        added: finding.count - (last?.count ?? 0),
        firstSeen: finding.firstSeen,
        lastSeen: finding.lastSeen,
        evidence: finding.evidence.at(-1) ?? null,
        docs: finding.docs,
      })
      this.said.set(finding.rule, {count: finding.count, at: now})
    }
    return events
  }
}
