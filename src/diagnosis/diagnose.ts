import {RULES} from '../catalog/index.js'
import {type ActivityCount, COMPANION_WINDOW_SECONDS, type FindingView, type Rule, type Severity, severityRank} from '../catalog/rule.js'
import {byCodeUnits} from '../code-unit-order.js'
import type {FastLaneConsumer, LaneLine} from '../ingest/fast-lane.js'
import {LOG_LEVELS, type LogLevel, type LogRecord} from '../ingest/record.js'
import {type ByteSearch, conditionsHold, Matcher, type MatchedFields, type RuleMatch} from '../match/matcher.js'
import {BoundedCounter} from './bounded-counter.js'
import {BoundedGroups} from './bounded-groups.js'
import {FilterNames, type FindingFilter, type RecordFilter, recordPasses} from './filters.js'
import {crossRuleNotes, type TimedEvent} from './notes.js'
import type {Activity, Diagnosis, Evidence, Finding, UnrecognizedGroup} from './report.js'
import {messageTemplate} from './template.js'
import {Timeline} from './timeline.js'

/** Failed logins from one address worth a line in the report. */
const AUTH_FAILURE_ALERT = 10

// Bounds that keep memory flat whatever the input size.
const MAX_FACT_GROUPS = 200
const MAX_TEMPLATES = 1000
const MAX_TIMES = 100
/** Processes whose latest finding is remembered, for the companion lines that may follow it. */
const MAX_RECENT_PROCESSES = 1000
const TOP = 5

const SEVERE_LEVELS: ReadonlySet<LogLevel | null> = new Set(['error', 'fatal', 'panic'])

const iso = (time: number | null): string | null => (time === null ? null : new Date(time).toISOString())

function evidenceOf(record: LogRecord): Evidence {
  return {source: record.source, line: record.line, text: record.text ?? record.message}
}

/** First and last time seen, whatever order the inputs come in. */
class Span {
  // Infinities until a time is added: fields that only ever hold numbers keep them in place, where `number | null`
  // fields made a new heap number for every later time (nearly every line).
  private low = Number.POSITIVE_INFINITY
  private high = Number.NEGATIVE_INFINITY
  add(time: number | null): void {
    if (time === null) return
    if (time < this.low) this.low = time
    if (time > this.high) this.high = time
  }

  get first(): number | null {
    return this.low === Number.POSITIVE_INFINITY ? null : this.low
  }

  get last(): number | null {
    return this.high === Number.NEGATIVE_INFINITY ? null : this.high
  }
}

/** Everything kept about one rule's matches: counters and a few lines, never the lines themselves. */
class FindingState {
  count = 0
  readonly span = new Span()
  readonly users = new BoundedCounter()
  readonly services = new BoundedCounter()
  readonly hosts = new BoundedCounter()
  readonly groups = new BoundedGroups<{facts: Record<string, string>; count: number}>(MAX_FACT_GROUPS, (group) => group.count)
  readonly maxima = new Map<string, number>()
  readonly variants = new Map<string, number>()
  readonly evidence: Evidence[] = []
  latest: Evidence | null = null
  /** The first occurrences' times, for correlating with other events. */
  readonly times: number[] = []
  /** Companion lines attached (see RuleCompanion), and the first two of them. */
  companions = 0
  readonly related: Evidence[] = []
  /** When it happened, for the overview's sparkline. */
  readonly timeline = new Timeline()

  constructor(readonly rule: Rule) {}

  add(record: LogRecord, match: RuleMatch): void {
    this.count++
    this.span.add(record.time)
    this.timeline.add(record.time)
    if (record.user) this.users.add(record.user)
    if (record.service) this.services.add(record.service)
    if (record.host) this.hosts.add(record.host)
    if (match.variant) this.variants.set(match.variant.id, (this.variants.get(match.variant.id) ?? 0) + 1)
    const summary = this.rule.summary
    if (summary) {
      // Any key that tells the groups apart: a rule's `by` has one length, and the value itself is a key for one name.
      const {by} = summary
      const key = by.length === 1 ? (match.fact(by[0]) ?? '') : JSON.stringify(by.map((name) => match.fact(name) ?? ''))
      this.groups.take(key, () => ({facts: pick(match.facts, by), count: 0})).count++
      for (const {fact} of summary.max ?? []) {
        const value = Number(match.fact(fact))
        if (Number.isFinite(value) && value > (this.maxima.get(fact) ?? -Infinity)) this.maxima.set(fact, value)
      }
    }
    if (this.evidence.length < 2) this.evidence.push(evidenceOf(record))
    else this.latest = evidenceOf(record)
    if (record.time !== null && this.times.length < MAX_TIMES) this.times.push(record.time)
  }

  addCompanion(record: LogRecord): void {
    this.companions++
    if (this.related.length < 2) this.related.push(evidenceOf(record))
  }

  /** Says how many lines went into groups too small to keep, when any did. */
  private foldedFacts(): string[] {
    const {foldedLines, foldedGroups} = this.groups
    if (foldedLines === 0) return []
    return [`${foldedLines} more line(s) in ${foldedGroups} smaller group(s), not kept (only the ${MAX_FACT_GROUPS} largest are)`]
  }

  /** The finding as correlations and advice see it. */
  view(): FindingView {
    return {
      max: (fact) => this.maxima.get(fact),
      values: (fact) => [...new Set([...this.groups.values()].map((group) => group.facts[fact]).filter(Boolean))].sort(),
    }
  }

  toFinding(): Finding {
    const {rule} = this
    const groups = [...this.groups.values()].sort((a, b) => b.count - a.count)
    return {
      rule: rule.id,
      title: rule.title,
      severity: rule.severity as Severity,
      count: this.count,
      firstSeen: iso(this.span.first),
      lastSeen: iso(this.span.last),
      affected: {
        users: this.users.top(TOP),
        services: this.services.top(TOP),
        hosts: this.hosts.top(TOP),
        approximate: this.users.approximate || this.services.approximate || this.hosts.approximate,
      },
      facts: rule.summary
        ? [...groups.slice(0, TOP).map((group) => rule.summary!.format(group.facts, group.count)), ...this.foldedFacts()]
        : [],
      maxima: (rule.summary?.max ?? [])
        .filter(({fact}) => this.maxima.has(fact))
        .map(({fact, label, unit}) => ({fact, label, unit, value: this.maxima.get(fact)!})),
      variants: (rule.variants ?? [])
        .filter((variant) => this.variants.has(variant.id))
        .map((variant) => ({
          id: variant.id,
          count: this.variants.get(variant.id)!,
          explanation: variant.explanation,
          remedy: variant.remedy,
        })),
      evidence: this.latest ? [...this.evidence, this.latest] : [...this.evidence],
      related: {count: this.companions, evidence: [...this.related]},
      explanation: rule.explanation,
      remedy: rule.remedy ?? [],
      notes: [],
      harmless: rule.harmless ?? null,
      docs: rule.docs,
    }
  }
}

/** The longest a companion may follow its finding (a rule's `withinSeconds` above this is cut to it). */
const MAX_COMPANION_WINDOW_MS = 60_000

/** The process a line came from, within one input: lines of one process follow one another. */
const processKey = (record: LogRecord): string =>
  `${record.source}\0${record.host ?? ''}\0${record.service ?? ''}\0${record.pid ?? ''}\0${record.session ?? ''}\0${record.user ?? ''}`

/** A catch-all rule's match: the record's level, service and message template are its facts. */
function templateMatch(rule: Rule, record: LogRecord): RuleMatch {
  const facts: Record<string, string> = {level: record.level!, template: messageTemplate(record.message, record.user)}
  if (record.service) facts.service = record.service
  return {rule, facts, variant: null, fact: (name) => facts[name]}
}

function pick(facts: Record<string, string>, names: string[]): Record<string, string> {
  const picked: Record<string, string> = {}
  for (const name of names) if (facts[name] !== undefined) picked[name] = facts[name]
  return picked
}

interface TemplateState {
  group: UnrecognizedGroup
  span: Span
}

export interface DiagnoseOptions {
  records?: RecordFilter
  findings?: FindingFilter
  /** False: try every rule's literal on every record (the slow path the fast one is checked against). */
  fastPath?: boolean
  /** The rules to diagnose with: the catalog's plus any user rules (default: the catalog's). */
  rules?: readonly Rule[]
}

/** Series the overview draws under its table: when errors, failed logins and logins happened. */
export interface ActivityTimelines {
  errors: Timeline
  authFailures: Timeline
  logins: Timeline
}

/** What the text overview draws beside the report: per finding, how many distinct users and hosts and when; the activity series. */
export interface Overview {
  findings: Map<string, {users: number; hosts: number; approximate: boolean; timeline: Timeline}>
  activity: ActivityTimelines
  /** The earliest and latest time of the records diagnosed (null: none had a time). */
  span: {start: number; end: number} | null
}

/**
 * Turns a stream of records into findings: feed every record to `add`, then call `finish` once. Memory is
 * bounded by the number of rules and the caps above, not by the input.
 */
export class Diagnoser {
  private readonly states = new Map<string, FindingState>()
  private readonly templates = new BoundedGroups<TemplateState>(MAX_TEMPLATES, (state) => state.group.count)
  private records = 0
  private readonly levels = Object.fromEntries([...LOG_LEVELS, 'none'].map((level) => [level, 0])) as Diagnosis['levels']
  /** Fact rules' counts by rule id, each in a box: counting is one lookup, not a get and a set (most lines are facts). */
  private readonly factCounts = new Map<string, {count: number}>()
  private readonly failuresByIp = new BoundedCounter()
  /** Fact rules' events (rules with an `event`), for other rules' correlations. */
  private readonly events = new Map<string, TimedEvent[]>()
  /** The latest finding of each process (by processKey), oldest first, for the companion lines after it. */
  private readonly recent = new Map<string, {state: FindingState; time: number | null}>()
  /** Literals of every rule's companions: a severe line holding one may be a companion. */
  private readonly companionLiterals: readonly string[]
  private readonly timelines: ActivityTimelines = {errors: new Timeline(), authFailures: new Timeline(), logins: new Timeline()}
  private readonly span = new Span()
  /** --user/--service: the names the log has, for a value that matches nothing. */
  private readonly filterNames: FilterNames | null

  private readonly matcher: Matcher
  /** The matches the fast lane found for the records of lines it declined (fastLane()), until they are added. */
  private readonly laneMatches = new WeakMap<LogRecord, RuleMatch[]>()
  private readonly ruleById: Map<string, Rule>
  /** Catch-all rules (fatal-unrecognized): they take severe records at their levels that no problem rule took. */
  private readonly fallbacks: readonly Rule[]

  constructor(private readonly options: DiagnoseOptions = {}) {
    const rules = options.rules ?? RULES
    this.matcher = new Matcher(rules, {fastPath: options.fastPath})
    this.ruleById = new Map(rules.map((rule) => [rule.id, rule]))
    this.fallbacks = rules.filter((rule) => rule.fallback)
    this.companionLiterals = [...new Set(rules.flatMap((rule) => (rule.companions ?? []).map((companion) => companion.literal)))]
    this.filterNames = FilterNames.for(options.records)
  }

  /**
   * The reader's fast lane (src/ingest/fast-lane.ts), when this diagnosis can take lines counted from their
   * bytes: not with record filters (they read users and times), not on the slow path (the reference).
   */
  fastLane(): FastLaneConsumer | null {
    const filters = this.options.records
    if (this.options.fastPath === false || (filters && Object.values(filters).some((value) => value !== undefined))) return null
    // Rules whose matches a counted line may have: facts only counted (no address count, no event for
    // correlations). The lane offers only lines below SEVERE_LEVELS (`levels`), and for those `add` does no
    // more than count the record (records, level, time span) and each match: the fallbacks, companions,
    // unrecognized groups and the errors' series are for severe levels only. So a line is counted here exactly
    // as `add` would count its record when no other rule matches it; one holding another rule's literal that
    // does not match (a `passwd-file` Info line, which passwd-file-unreadable's levels exclude) is counted too,
    // and matchBytes gives -1 (read the full way, with the matches it found handed to the record by `parsed`)
    // as soon as another rule does match.
    const only = Uint8Array.from(this.matcher.rules, (rule) => (rule.kind === 'fact' && !rule.countByIp && !rule.event ? 1 : 0))
    const fields: MatchedFields = {message: '', program: '', dovecot: true, format: 'dovecot-file', level: null, service: null}
    const matched: Rule[] = []
    // A line declined for a refused rule's match: its matches, until its record is known (parsed) and then added.
    let declined: RuleMatch[] | null = null
    const levels: ReadonlySet<LogLevel> = new Set(LOG_LEVELS.filter((level) => !SEVERE_LEVELS.has(level)))
    // The template of the last line taken, and the search of its program (one per program, not per line).
    let searched: LaneLine['template'] | null = null
    let search: ByteSearch | null = null
    return {
      levels,
      chunk: (bytes: Buffer): void => this.matcher.chunk(bytes),
      take: (bytes: Buffer, start: number, end: number, line: LaneLine): boolean => {
        const {template} = line
        declined = null
        if (template !== searched) {
          searched = template
          search = this.matcher.byteSearch(template.program, template.dovecot, levels)
          fields.program = template.program
          fields.dovecot = template.dovecot
          fields.format = template.format
        }
        fields.level = line.level
        fields.service = line.service
        const count = this.matcher.matchBytes(search!, bytes, start, end, fields, only, matched)
        if (count === -1) {
          declined = this.matcher.lineMatches
          return false
        }
        this.records++
        this.levels[line.level]++
        this.span.add(line.time)
        for (let index = 0; index < count; index++) this.countFact(matched[index], line.time)
        return true
      },
      parsed: (record: LogRecord | null): void => {
        if (record !== null && declined !== null) this.laneMatches.set(record, declined)
        declined = null
      },
    }
  }

  add(record: LogRecord): void {
    this.filterNames?.add(record)
    if (this.options.records && !recordPasses(record, this.options.records)) return
    this.records++
    this.levels[record.level ?? 'none']++
    this.span.add(record.time)
    if (SEVERE_LEVELS.has(record.level)) this.timelines.errors.add(record.time)
    let recognized = false
    const known = this.laneMatches.get(record)
    if (known !== undefined) this.laneMatches.delete(record)
    for (const match of known ?? this.matcher.match(record)) {
      const {rule} = match
      if (rule.kind === 'fact') {
        this.addFact(record, match)
        continue
      }
      recognized = true
      this.addFinding(record, match)
    }
    if (recognized || !record.dovecot || !SEVERE_LEVELS.has(record.level)) return
    if (this.addAsCompanion(record)) return
    const fallback = this.fallbacks.find((rule) => conditionsHold(rule, record))
    if (fallback) this.addFinding(record, templateMatch(fallback, record))
    else this.addUnrecognized(record)
  }

  private addFinding(record: LogRecord, match: RuleMatch): void {
    let state = this.states.get(match.rule.id)
    if (!state) this.states.set(match.rule.id, (state = new FindingState(match.rule)))
    state.add(record, match)
    if (match.rule.companions === undefined) return
    const key = processKey(record)
    this.recent.delete(key)
    this.recent.set(key, {state, time: record.time})
    if (this.recent.size > MAX_RECENT_PROCESSES) this.recent.delete(this.recent.keys().next().value!)
  }

  /** Attaches a severe line no rule took to the finding its process had just before, if that rule names it a companion. */
  private addAsCompanion(record: LogRecord): boolean {
    const {message} = record
    if (!this.companionLiterals.some((literal) => message.includes(literal))) return false
    const latest = this.recent.get(processKey(record))
    const companion = latest?.state.rule.companions?.find((candidate) => message.includes(candidate.literal))
    if (latest && companion) {
      const within = Math.min((companion.withinSeconds ?? COMPANION_WINDOW_SECONDS) * 1000, MAX_COMPANION_WINDOW_MS)
      if (latest.time === null || record.time === null || (record.time >= latest.time && record.time - latest.time <= within)) {
        latest.state.addCompanion(record)
        return true
      }
    }
    return false
  }

  /** What every fact rule's match adds: its count, and its time to the activity series it has one in. */
  private countFact(rule: Rule, time: number | null): void {
    let box = this.factCounts.get(rule.id)
    if (box === undefined) this.factCounts.set(rule.id, (box = {count: 0}))
    box.count++
    if (rule.activity === 'logins' || rule.activity === 'authFailures') this.timelines[rule.activity].add(time)
  }

  private addFact(record: LogRecord, match: RuleMatch): void {
    const {rule} = match
    this.countFact(rule, record.time)
    if (rule.countByIp) {
      const ip = match.facts.ip ?? record.ip
      if (ip) this.failuresByIp.add(ip)
    }
    if (rule.event && record.time !== null) {
      let events = this.events.get(rule.id)
      if (!events) this.events.set(rule.id, (events = []))
      if (events.length < MAX_TIMES)
        events.push({time: record.time, detail: rule.event(match.facts, record.program), evidence: evidenceOf(record)})
    }
  }

  private addUnrecognized(record: LogRecord): void {
    const template = messageTemplate(record.message, record.user)
    const key = `${record.level} ${record.service ?? ''} ${template}`
    const state = this.templates.take(key, () => ({
      group: {
        level: record.level!,
        service: record.service,
        template,
        count: 0,
        firstSeen: null,
        lastSeen: null,
        example: evidenceOf(record),
      },
      span: new Span(),
    }))
    state.group.count++
    state.span.add(record.time)
  }

  finish(): Diagnosis {
    const all = [...this.states.values()]
    const findings = all.map((state) => state.toFinding())
    crossRuleNotes(findings, this.ruleById, {
      timesOf: (rule) => this.states.get(rule)?.times ?? [],
      view: (rule) => this.states.get(rule)?.view(),
      eventsOf: (rule) => this.events.get(rule) ?? [],
    })
    const filter = this.options.findings ?? {}
    const shown = findings
      .filter((finding) => !filter.rules || filter.rules.includes(finding.rule))
      .filter((finding) => !filter.minSeverity || severityRank(finding.severity) >= severityRank(filter.minSeverity))
      .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.count - a.count || byCodeUnits(a.rule, b.rule))
    const unrecognized = filter.rules
      ? []
      : [...this.templates.values()]
          .map(({group, span}) => ({...group, firstSeen: iso(span.first), lastSeen: iso(span.last)}))
          .sort((a, b) => b.count - a.count || byCodeUnits(a.template, b.template))
    return {
      records: this.records,
      levels: this.levels,
      findings: shown,
      unrecognized,
      unrecognizedOther: filter.rules ? 0 : this.templates.foldedLines,
      activity: this.activity(),
    }
  }

  /**
   * The overview's extra data for the text report, for every finding whatever the display filters hide
   * (call after `finish`). Not part of the --json document.
   */
  overview(): Overview {
    const findings: Overview['findings'] = new Map()
    for (const [rule, state] of this.states) {
      findings.set(rule, {
        users: state.users.size,
        hosts: state.hosts.size,
        approximate: state.users.approximate || state.hosts.approximate,
        timeline: state.timeline,
      })
    }
    const {first, last} = this.span
    return {findings, activity: this.timelines, span: first === null || last === null ? null : {start: first, end: last + 1}}
  }

  /** Whether any finding is at or above `severity`, whatever --min-severity and --rule hide from the report (`--fail-on`). */
  hasFindingAtOrAbove(severity: Severity): boolean {
    return [...this.states.values()].some((state) => severityRank(state.rule.severity as Severity) >= severityRank(severity))
  }

  /** Each --user/--service value that matched no line, with the names of its kind the log had (to suggest from). */
  unmatchedFilters(): ReturnType<FilterNames['unmatched']> {
    return this.filterNames?.unmatched() ?? []
  }

  /** Findings the display filters (--min-severity, --rule) leave out of the report. */
  hiddenFindings(): {rule: string; severity: Severity; count: number}[] {
    const filter = this.options.findings ?? {}
    return [...this.states.values()]
      .filter(
        (state) =>
          (filter.rules && !filter.rules.includes(state.rule.id)) ||
          (filter.minSeverity && severityRank(state.rule.severity as Severity) < severityRank(filter.minSeverity)),
      )
      .map((state) => ({rule: state.rule.id, severity: state.rule.severity as Severity, count: state.count}))
  }

  private activity(): Activity {
    const counts: Record<ActivityCount, number> = {logins: 0, logouts: 0, authFailures: 0, deliveries: 0, clockSteps: 0}
    for (const [id, {count}] of this.factCounts) {
      const activity = this.ruleById.get(id)?.activity
      if (activity) counts[activity] += count
    }
    return {...counts, authFailuresByIp: this.failuresByIp.top(TOP).filter(({count}) => count >= AUTH_FAILURE_ALERT)}
  }
}

/** Diagnoses a whole stream of records. */
export async function diagnose(records: AsyncIterable<LogRecord> | Iterable<LogRecord>, options: DiagnoseOptions = {}): Promise<Diagnosis> {
  const diagnoser = new Diagnoser(options)
  for await (const record of records) diagnoser.add(record)
  return diagnoser.finish()
}

/** `--fail-on`: whether any finding is at or above the severity. */
export const hasFindingAtOrAbove = (diagnosis: Diagnosis, severity: Severity): boolean =>
  diagnosis.findings.some((finding) => severityRank(finding.severity) >= severityRank(severity))
