import {hostname} from 'node:os'

import type {Diagnosis} from '../diagnosis/report.js'
import type {LogRecord} from '../ingest/record.js'
import type {FastLaneConsumer, LaneLine, LineTemplate} from '../ingest/fast-lane.js'
import type {LogsSummary} from '../ingest/summary.js'
import {isNotice} from '../input/problem.js'

/**
 * The series `dovediag logs --format openmetrics` exports, one home for their names and meanings
 * (docs/monitoring.md lists them). Labels are bounded: rule ids, severities, levels, Dovecot services, host
 * names and input paths, never user names; source addresses only for the few with the most failed logins.
 */
export const METRICS = {
  findings: {
    name: 'dovediag_findings_total',
    type: 'counter',
    help: "Lines matching each catalog rule's problem, by rule, severity and host.",
  },
  lines: {name: 'dovediag_log_lines_total', type: 'counter', help: "Dovecot log records read, by Dovecot's level, service and host."},
  logins: {name: 'dovediag_logins_total', type: 'counter', help: 'Successful logins.'},
  logouts: {name: 'dovediag_logouts_total', type: 'counter', help: 'Logouts.'},
  authFailures: {name: 'dovediag_auth_failures_total', type: 'counter', help: 'Failed logins.'},
  authFailuresBySource: {
    name: 'dovediag_auth_failures_by_source_total',
    type: 'counter',
    help: 'Failed logins from the source addresses with the most of them (a bounded few).',
  },
  deliveries: {name: 'dovediag_deliveries_total', type: 'counter', help: 'Mails delivered (LDA, LMTP).'},
  lastSeen: {
    name: 'dovediag_rule_last_seen_timestamp_seconds',
    type: 'gauge',
    help: "When each rule's problem was last seen (log time, Unix seconds).",
  },
  readable: {name: 'dovediag_input_readable', type: 'gauge', help: 'Whether each input was read whole this run (1) or not (0).'},
  runTime: {name: 'dovediag_run_timestamp_seconds', type: 'gauge', help: 'When this dovediag run ended (Unix seconds).'},
  runDuration: {name: 'dovediag_run_duration_seconds', type: 'gauge', help: 'How long this dovediag run took.'},
  since: {
    name: 'dovediag_counters_since_timestamp_seconds',
    type: 'gauge',
    help: 'When the counters started counting: the --state file was created (or this run began, without one).',
  },
} as const

export type MetricKey = keyof typeof METRICS

/** Distinct level/service/host combinations counted before the rest go to service="other". */
const MAX_LINE_SERIES = 200
/** Source addresses kept across runs; later new ones are counted in the total only. */
const MAX_SOURCES = 20
/** Distinct hosts a rule is counted under before the rest go to host="other". */
const OTHER = 'other'

/** Escapes a label value for the text exposition format. */
const escapeLabel = (value: string): string => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')

/** The series key: `name{a="x",b="y"}`, as the exposition format writes it and the state file keeps it. */
function seriesKey(metric: MetricKey, labels: [string, string][]): string {
  const inner = labels.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')
  return labels.length === 0 ? METRICS[metric].name : `${METRICS[metric].name}{${inner}}`
}

/** Counts records by level, service and host as they are read (the only counts the diagnosis does not keep jointly). */
export class LineCounter {
  readonly counts = new Map<string, number>()
  constructor(private readonly localHost = hostname()) {}

  add(record: LogRecord): void {
    if (!record.dovecot) return
    const level = record.level ?? 'none'
    const host = record.host ?? this.localHost
    let key = seriesKey('lines', [
      ['level', level],
      ['service', record.service ?? 'unknown'],
      ['host', host],
    ])
    if (!this.counts.has(key) && this.counts.size >= MAX_LINE_SERIES)
      key = seriesKey('lines', [
        ['level', level],
        ['service', OTHER],
        ['host', OTHER],
      ])
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
  }

  /**
   * The reader's fast lane with these counts kept too: `inner` (the diagnosis's) takes a line, and its series
   * here counts it, as `add` would its record. Only a series a record already made: the lane reads a chunk's
   * lines before the chunk's records are counted, so a series first met on a lane line could take a place
   * among the MAX_LINE_SERIES that in the log's order went to another; such a line is read the full way.
   */
  lane(inner: FastLaneConsumer): FastLaneConsumer {
    // The series key of a template's level and service, made once (a string per line would cost the lane).
    const keys = new Map<LineTemplate, Map<string, Map<string, string>>>()
    const keyOf = (line: LaneLine): string => {
      let byLevel = keys.get(line.template)
      if (byLevel === undefined) keys.set(line.template, (byLevel = new Map<string, Map<string, string>>()))
      let byService = byLevel.get(line.level)
      if (byService === undefined) byLevel.set(line.level, (byService = new Map<string, string>()))
      let key = byService.get(line.service)
      if (key === undefined) {
        key = seriesKey('lines', [
          ['level', line.level],
          ['service', line.service],
          ['host', line.template.host ?? this.localHost],
        ])
        byService.set(line.service, key)
      }
      return key
    }
    return {
      levels: inner.levels,
      chunk: (bytes) => inner.chunk(bytes),
      take: (bytes, start, end, line) => {
        if (!line.template.dovecot) return inner.take(bytes, start, end, line)
        const key = keyOf(line)
        const count = this.counts.get(key)
        if (count === undefined || !inner.take(bytes, start, end, line)) return false
        this.counts.set(key, count + 1)
        return true
      },
      parsed: (record) => inner.parsed(record),
    }
  }
}

/**
 * This run's counters as series keys and values: findings by rule, severity and host (the hosts a finding
 * names; its other lines under this machine's name, or "other" when it named too many to count exactly),
 * lines, activity.
 */
export function runCounters(diagnosis: Diagnosis, lines: LineCounter, localHost = hostname()): Map<string, number> {
  const counters = new Map<string, number>(lines.counts)
  const add = (key: string, value: number) => counters.set(key, (counters.get(key) ?? 0) + value)
  for (const finding of diagnosis.findings) {
    const labels = (host: string): [string, string][] => [
      ['rule', finding.rule],
      ['severity', finding.severity],
      ['host', host],
    ]
    let named = 0
    for (const host of finding.affected.hosts) {
      add(seriesKey('findings', labels(host.name)), host.count)
      named += host.count
    }
    if (finding.count > named)
      add(
        seriesKey('findings', labels(finding.affected.approximate || finding.affected.hosts.length >= 5 ? OTHER : localHost)),
        finding.count - named,
      )
  }
  const a = diagnosis.activity
  add(seriesKey('logins', []), a.logins)
  add(seriesKey('logouts', []), a.logouts)
  add(seriesKey('authFailures', []), a.authFailures)
  add(seriesKey('deliveries', []), a.deliveries)
  for (const source of a.authFailuresByIp) add(seriesKey('authFailuresBySource', [['source', source.name]]), source.count)
  return counters
}

/**
 * Counters kept across --state runs: the last run's plus this run's, so they never go backwards (they
 * start again only with a new state file). Source addresses beyond the bound are not added as new series.
 */
export function accumulate(previous: Record<string, number>, run: Map<string, number>): Record<string, number> {
  const next = {...previous}
  const sourcePrefix = `${METRICS.authFailuresBySource.name}{`
  let sources = Object.keys(next).filter((key) => key.startsWith(sourcePrefix)).length
  for (const [key, value] of run) {
    if (next[key] === undefined && key.startsWith(sourcePrefix)) {
      if (sources >= MAX_SOURCES) continue
      sources++
    }
    next[key] = (next[key] ?? 0) + value
  }
  return next
}

export interface ExportContext {
  counters: Record<string, number>
  /** Each rule's last-seen time (ISO), over all runs with --state. */
  lastSeen: Record<string, {severity: string; time: string}>
  summary: LogsSummary
  started: number
  ended: number
  countingSince: number
}

/**
 * The two text forms the series are written in:
 * - `prometheus`: Prometheus' text format 0.0.4, what node_exporter's textfile collector and `promtool check
 *   metrics` read (a counter's family is named with its `_total`);
 * - `openmetrics`: OpenMetrics 1.0 text, for a scraper that asks for application/openmetrics-text: a
 *   counter's family is named without `_total`, a unit is declared where the name ends in one, and the text
 *   ends with `# EOF`. The textfile collector reads this form's counters as untyped: use `prometheus` there.
 */
export type ExpositionFormat = 'prometheus' | 'openmetrics'

/** Units OpenMetrics declares with `# UNIT` when a family's name ends with one. */
const UNITS = ['seconds'] as const

/** HELP is escaped like a label value in OpenMetrics; the text format leaves `"` as is. */
const escapeHelp = (help: string, format: ExpositionFormat): string =>
  format === 'openmetrics' ? escapeLabel(help) : help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')

/** The exposition text: every family with HELP and TYPE, families in a fixed order, series sorted. */
export function renderMetrics(context: ExportContext, format: ExpositionFormat): string {
  const byFamily = new Map<string, string[]>()
  for (const key of Object.keys(METRICS) as MetricKey[]) byFamily.set(METRICS[key].name, [])
  for (const [key, value] of Object.entries(context.counters)) {
    const name = key.split('{')[0]
    byFamily.get(name)?.push(`${key} ${value}`)
  }
  // Counters the run always has, even at zero, so alerts and rate() see them from the first scrape.
  for (const metric of ['logins', 'logouts', 'authFailures', 'deliveries'] as const) {
    if (context.counters[seriesKey(metric, [])] === undefined) byFamily.get(METRICS[metric].name)!.push(`${seriesKey(metric, [])} 0`)
  }
  const gauge = (metric: MetricKey, labels: [string, string][], value: number) =>
    byFamily.get(METRICS[metric].name)!.push(`${seriesKey(metric, labels)} ${value}`)
  for (const [rule, {severity, time}] of Object.entries(context.lastSeen))
    gauge(
      'lastSeen',
      [
        ['rule', rule],
        ['severity', severity],
      ],
      Date.parse(time) / 1000,
    )
  const readable = new Map<string, number>()
  for (const input of context.summary.inputs) readable.set(input.input, input.complete ? 1 : 0)
  for (const problem of context.summary.problems) if (!isNotice(problem)) readable.set(problem.input, 0)
  for (const [input, value] of readable) gauge('readable', [['input', input]], value)
  gauge('runTime', [], context.ended / 1000)
  gauge('runDuration', [], (context.ended - context.started) / 1000)
  gauge('since', [], context.countingSince / 1000)

  const text: string[] = []
  for (const key of Object.keys(METRICS) as MetricKey[]) {
    const {name, type, help} = METRICS[key]
    const samples = byFamily.get(name)!
    if (samples.length === 0) continue
    const family = format === 'openmetrics' && type === 'counter' ? name.replace(/_total$/, '') : name
    text.push(`# HELP ${family} ${escapeHelp(help, format)}`, `# TYPE ${family} ${type}`)
    const unit = format === 'openmetrics' ? UNITS.find((u) => family.endsWith(`_${u}`)) : undefined
    if (unit !== undefined) text.push(`# UNIT ${family} ${unit}`)
    text.push(...samples.sort())
  }
  if (format === 'openmetrics') text.push('# EOF')
  return text.join('\n') + '\n'
}
