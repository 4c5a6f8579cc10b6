import type {FindingView, Rule} from '../catalog/rule.js'
import type {Evidence, Finding} from './report.js'

/** A fact rule's match at a time, described by the rule's `event` (a time daemon stepping the clock). */
export interface TimedEvent {
  time: number
  detail: string
  evidence: Evidence
}

export interface NoteContext {
  /** The first occurrence times of a rule's matches (bounded). */
  timesOf: (rule: string) => readonly number[]
  /** A problem rule's finding as its correlations and advice see it; undefined when it was not found. */
  view: (rule: string) => FindingView | undefined
  /** A fact rule's events (bounded). */
  eventsOf: (rule: string) => readonly TimedEvent[]
}

const near = (times: readonly number[], time: number, withinSeconds: number): boolean =>
  times.some((other) => Math.abs(other - time) <= withinSeconds * 1000)

const cite = (event: TimedEvent): string =>
  `${event.detail} at ${new Date(event.time).toISOString()} (${event.evidence.source}:${event.evidence.line})`

/**
 * Adds the notes that come from looking at several findings together, as each rule's data says: a concrete value
 * to set (`advice`), one cause behind two symptoms, a corroborating event (`correlations`). No rule is named
 * here. Mutates `notes` of the findings it concerns.
 */
export function crossRuleNotes(findings: Finding[], rules: ReadonlyMap<string, Rule>, context: NoteContext): void {
  for (const finding of findings) {
    const rule = rules.get(finding.rule)
    const own = context.view(finding.rule)
    if (!rule || !own) continue
    const advice = rule.advice?.(own, context.view)
    if (advice) finding.notes.push(advice)
    for (const correlation of rule.correlations ?? []) {
      const other = rules.get(correlation.rule)
      if (!other) continue
      if (correlation.whenFact && !own.values(correlation.whenFact.name).includes(correlation.whenFact.value)) continue
      const times = context.timesOf(rule.id)
      const {withinSeconds} = correlation
      if (other.kind === 'fact') {
        const event = context
          .eventsOf(other.id)
          .find((candidate) => withinSeconds === undefined || near(times, candidate.time, withinSeconds))
        if (event) finding.notes.push(correlation.note.replace('{event}', cite(event)))
      } else if (
        context.view(other.id) &&
        (withinSeconds === undefined || context.timesOf(other.id).some((time) => near(times, time, withinSeconds)))
      ) {
        finding.notes.push(correlation.note)
      }
    }
  }
}
