import type {Severity} from '../catalog/rule.js'
import {SEVERITIES} from '../catalog/rule.js'
import type {Overview} from '../diagnosis/diagnose.js'
import type {Diagnosis} from '../diagnosis/report.js'
import type {LogsSummary} from '../ingest/summary.js'
import {type Colors, severityColor} from './color.js'
import {headline, noFindingsHeadline, type ReportContext, renderDiagnosisDetails, unrecognizedTotal} from './diagnosis-text.js'
import {renderLogSummary} from './log-summary.js'
import {type PictureOptions, renderOverview} from './overview.js'
import {wrapIndented} from './terminal.js'
import {formatCount} from './numbers.js'

/** A finding that --min-severity or --rule left out of the report. */
export interface HiddenFinding {
  rule: string
  severity: Severity
  count: number
}

export interface LogsTextOptions extends PictureOptions {
  /** The overview alone (`--brief`). */
  brief: boolean
  context: ReportContext
  hidden: HiddenFinding[]
}

const plural = (count: number, word: string) => `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`

/** "2 findings (1 high, 1 low) hidden by --min-severity/--rule": so a filtered report never looks clean by accident. */
function hiddenNote(hidden: HiddenFinding[]): string {
  const bySeverity = [...SEVERITIES]
    .reverse()
    .map((severity) => [severity, hidden.filter((finding) => finding.severity === severity).length] as const)
  const counts = bySeverity.filter(([, count]) => count > 0).map(([severity, count]) => `${count} ${severity}`)
  return `${plural(hidden.length, 'more finding')} (${counts.join(', ')}) hidden by --min-severity/--rule`
}

/**
 * The one line a person sees after the scroll: the count by severity and where to start, or why there is
 * nothing; findings hidden by filters, severe lines no rule knew and unreadable inputs are named.
 */
function verdict(diagnosis: Diagnosis, summary: LogsSummary, c: Colors, options: Pick<LogsTextOptions, 'context' | 'hidden'>): string {
  const {findings} = diagnosis
  const parts: string[] = []
  let color: (text: string) => string
  if (findings.length > 0) {
    const worst = findings[0]
    const bySeverity = [...SEVERITIES]
      .reverse()
      .map((severity) => [severity, findings.filter((finding) => finding.severity === severity).length] as const)
    const counts = bySeverity.filter(([, count]) => count > 0).map(([severity, count]) => `${count} ${severity}`)
    parts.push(`${plural(findings.length, 'problem')} (${counts.join(', ')}); start with ${worst.rule}: ${worst.title}`)
    color = severityColor(c, worst.severity)
  } else {
    const none = noFindingsHeadline(diagnosis, options.context)
    const first = none.text.replace(/\.$/, '').split('. ')[0]
    parts.push(none.clean ? `no known problems in ${plural(diagnosis.records, 'record')}` : first[0].toLowerCase() + first.slice(1))
    color = none.clean ? c.green : c.yellow
  }
  const unrecognized = unrecognizedTotal(diagnosis)
  if (unrecognized > 0) parts.push(`${plural(unrecognized, 'severe line')} no rule recognized`)
  if (options.hidden.length > 0) parts.push(hiddenNote(options.hidden))
  if (summary.totals.problems > 0) parts.push(`${plural(summary.totals.problems, 'input problem')} (on stderr)`)
  if (!summary.complete) parts.push(c.red('INCOMPLETE: not everything was read to its end; the counts cover what was'))
  return color(`Verdict: ${parts.join('; ')}.`)
}

/**
 * `dovediag logs` as text: the headline and the overview (what a first screen holds); then the details and
 * the inputs read; then the verdict, last. `--brief` stops after the overview.
 */
export function renderLogsText(
  diagnosis: Diagnosis,
  overview: Overview,
  summary: LogsSummary,
  c: Colors,
  options: LogsTextOptions,
): string {
  const blocks = [headline(diagnosis, c, options.context), ...renderOverview(diagnosis, overview, c, options)]
  if (options.hidden.length > 0) blocks.push(c.dim(hiddenNote(options.hidden)))
  if (!options.brief) {
    if (diagnosis.findings.length > 0) blocks.push(c.bold('Details'))
    blocks.push(
      ...renderDiagnosisDetails(diagnosis, c, options.width, options.timeZone),
      renderLogSummary(summary, c, options.timeZone),
      verdict(diagnosis, summary, c, options),
    )
  }
  // The overview already fits; the sentences of the rest are wrapped under their first word, but the verdict
  // stays one line (what a person sees last, and a script greps).
  const wrapped = blocks.map((block) => wrapIndented(block, options.width, '  ').join('\n'))
  return options.brief ? wrapped.join('\n\n') : [...wrapped.slice(0, -1), blocks.at(-1)].join('\n\n')
}
