import type {Evidence, Finding} from './report.js'

/** Something that happened at a time, e.g. a time daemon stepping the clock. */
export interface TimedEvent {
  time: number
  detail: string
  evidence: Evidence
}

export interface NoteContext {
  /** The first occurrence times of a rule's matches (bounded). */
  timesOf: (rule: string) => readonly number[]
  /** The distinct values a fact took in a rule's matches (as far as the bounded summary kept them). */
  factValues: (rule: string, fact: string) => string[]
  clockSteps: readonly TimedEvent[]
  /** Processes the kernel's OOM killer killed (bounded). */
  oomKills: readonly TimedEvent[]
}

/** A clock step this close to a jump Dovecot noticed is taken as its cause. */
const CORROBORATION_WINDOW_MS = 10 * 60 * 1000
/** The master logs a SIGKILLed child within moments of the kernel killing it. */
const OOM_KILL_WINDOW_MS = 2 * 60 * 1000

const MB = 1024 * 1024
/** mail_cache_max_size's default (and maximum): caches are cut down at this size. */
const DEFAULT_CACHE_MAX_MB = 1024

/**
 * A vsz_limit that fits the largest cache file with room to spare, as the docs advise ("somewhat higher than
 * the maximum cache file size ... for example 1500M"): the larger of that cache and 1 GB, plus 512 MB, rounded
 * up to 256 MB, and always above the current limit.
 */
export function suggestVszLimitMb(currentMb: number | undefined, largestCacheBytes: number | undefined): number {
  const cacheMb = Math.max(DEFAULT_CACHE_MAX_MB, Math.ceil((largestCacheBytes ?? 0) / MB))
  let suggestion = Math.ceil((cacheMb + 512) / 256) * 256
  if (currentMb !== undefined && suggestion <= currentMb) suggestion = Math.ceil((currentMb * 1.5) / 256) * 256
  return suggestion
}

const byRule = (findings: Finding[], rule: string): Finding | undefined => findings.find((finding) => finding.rule === rule)

/**
 * Adds the notes that come from looking at several findings together: one cause behind two symptoms,
 * a corroborating clock step, a concrete value to set. Mutates `notes` of the findings it concerns.
 */
export function crossRuleNotes(findings: Finding[], context: NoteContext): void {
  const eagain = byRule(findings, 'net-connect-unix-eagain')
  const limit = byRule(findings, 'process-limit-reached')
  if (eagain && limit) {
    const note =
      'net-connect-unix-eagain and process-limit-reached happened together: one cause. The service hit its limit, ' +
      'new connections queued on its socket until the kernel refused them. Fix the limit first.'
    eagain.notes.push(note)
    limit.notes.push(note)
  }

  const backwards = byRule(findings, 'time-moved-backwards')
  const forwards = byRule(findings, 'time-moved-forwards')
  for (const [finding, rule] of [[backwards, 'time-moved-backwards'], [forwards, 'time-moved-forwards']] as const) {
    if (!finding) continue
    const times = context.timesOf(rule)
    const step = context.clockSteps.find((event) => times.some((time) => Math.abs(time - event.time) <= CORROBORATION_WINDOW_MS))
    if (step) {
      finding.notes.push(
        `Corroborated: ${step.detail} at ${new Date(step.time).toISOString()} (${step.evidence.source}:${step.evidence.line}), ` +
          'within minutes of the jump. The time daemon is stepping the clock: make it slew instead.',
      )
    }
  }

  const killed = byRule(findings, 'child-killed-signal')
  if (killed && context.factValues('child-killed-signal', 'signal').includes('9')) {
    const times = context.timesOf('child-killed-signal')
    const kill = context.oomKills.find((event) => times.some((time) => Math.abs(time - event.time) <= OOM_KILL_WINDOW_MS))
    if (kill) {
      killed.notes.push(
        `Corroborated: ${kill.detail} at ${new Date(kill.time).toISOString()} (${kill.evidence.source}:${kill.evidence.line}). ` +
          "The host (or the service's memory cgroup) ran out of memory: add RAM or swap, or lower what the mail processes may use (vsz_limit, process_limit).",
      )
    }
  }

  const oom = byRule(findings, 'vsz-limit-oom')
  const mmap = byRule(findings, 'index-cache-mmap-enomem')
  const largestCache = mmap?.maxima.find((maximum) => maximum.fact === 'size')?.value
  if (oom) {
    const currentMb = oom.maxima.find((maximum) => maximum.fact === 'limitMb')?.value
    const services = context.factValues('vsz-limit-oom', 'service')
    const suggestion = suggestVszLimitMb(currentMb, largestCache)
    const where = services.length > 0 ? services.map((service) => `service ${service} { vsz_limit = ${suggestion}M }`).join(', ') : `default_vsz_limit = ${suggestion}M`
    oom.notes.push(
      `Suggested: ${where}` +
        (currentMb !== undefined ? ` (now ${currentMb} MB)` : '') +
        (largestCache !== undefined ? `; the largest cache file mapped was ${Math.ceil(largestCache / MB)} MB` : '') +
        '. Or set `default_vsz_limit` to apply it to every service.',
    )
  }
  if (oom && mmap) {
    const note = 'index-cache-mmap-enomem and vsz-limit-oom happened together: one cause, cache files larger than the processes may map.'
    oom.notes.push(note)
    mmap.notes.push(note)
  }
}
