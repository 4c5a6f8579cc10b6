import {SEVERITIES, type Severity, severityRank} from '../catalog/rule.js'
import type {Diagnosis} from '../diagnosis/report.js'
import type {LogsSummary} from '../ingest/summary.js'
import {isNotice} from '../input/problem.js'
import {sanitizeForTerminal} from './sanitize.js'

/** The Nagios plugin statuses (Monitoring Plugins Development Guidelines, "Plugin Return Codes"). */
export const NAGIOS_STATUS = {OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3} as const
export type NagiosState = keyof typeof NAGIOS_STATUS

export interface NagiosThresholds {
  /** WARNING when a finding at or above this severity is reported. */
  warning: Severity
  /** CRITICAL when a finding at or above this severity is reported. */
  critical: Severity
}

/** Rule ids named in the status line before "…". */
const RULES_NAMED = 5

/**
 * A monitoring plugin's output: one status line, `DOVEDIAG <STATE> - <summary> | <perfdata>`, then one line
 * per finding (the plugin's long output), and the status to exit with. Findings decide OK/WARNING/CRITICAL by
 * the thresholds; an input that could not be read makes an otherwise OK check UNKNOWN, since it cannot
 * vouch for what it did not read. Perfdata counts matched lines per severity, and unrecognized severe lines.
 */
export function renderNagios(diagnosis: Diagnosis, summary: LogsSummary, thresholds: NagiosThresholds): {text: string; status: number} {
  const atOrAbove = (severity: Severity) => diagnosis.findings.filter((finding) => severityRank(finding.severity) >= severityRank(severity))
  const unreadable = summary.problems.filter((problem) => !isNotice(problem))
  let state: NagiosState =
    atOrAbove(thresholds.critical).length > 0 ? 'CRITICAL' : atOrAbove(thresholds.warning).length > 0 ? 'WARNING' : 'OK'
  if (state === 'OK' && unreadable.length > 0) state = 'UNKNOWN'

  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>
  for (const finding of diagnosis.findings) counts[finding.severity] += finding.count
  const bySeverity = [...SEVERITIES].reverse()
  const unrecognized = diagnosis.unrecognized.reduce((sum, group) => sum + group.count, 0) + diagnosis.unrecognizedOther

  let headline: string
  const alerting = state === 'CRITICAL' ? atOrAbove(thresholds.critical) : state === 'WARNING' ? atOrAbove(thresholds.warning) : []
  if (alerting.length > 0) {
    const said = bySeverity
      .filter((severity) => counts[severity] > 0 && alerting.some((finding) => finding.severity === severity))
      .map((severity) => `${counts[severity]} ${severity}`)
    const rules = alerting.map((finding) => finding.rule)
    headline = `${said.join(', ')}: ${rules.slice(0, RULES_NAMED).join(', ')}${rules.length > RULES_NAMED ? ` and ${rules.length - RULES_NAMED} more` : ''}`
  } else if (state === 'UNKNOWN') {
    headline = `${unreadable.length} input(s) could not be read: ${sanitizeForTerminal(unreadable[0].input)}: ${sanitizeForTerminal(unreadable[0].message)}`
  } else {
    headline =
      diagnosis.findings.length > 0
        ? `${diagnosis.findings.length} finding(s) below the warning threshold (${thresholds.warning})`
        : `no known problems in ${diagnosis.records} record(s)`
  }

  const perfdata = [
    ...bySeverity.map((severity) => `${severity}=${counts[severity]}`),
    `unrecognized=${unrecognized}`,
    `records=${diagnosis.records}`,
  ].join(' ')
  const long = diagnosis.findings.map(
    (finding) =>
      `${finding.severity} ${finding.rule}: ${finding.count}× ${finding.title}${finding.sinceLastRun ? (finding.sinceLastRun.new ? ' (new since the last run)' : ' (still happening)') : ''}`,
  )
  // `|` separates perfdata: it must not appear in the text.
  const lines = [
    `DOVEDIAG ${state} - ${headline.replaceAll('|', '/')} | ${perfdata}`,
    ...long.map((line) => sanitizeForTerminal(line).replaceAll('|', '/')),
  ]
  return {text: lines.join('\n') + '\n', status: NAGIOS_STATUS[state]}
}
