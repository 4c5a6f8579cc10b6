import {LEVELS_WORST_FIRST} from '../ingest/record.js'
import type {Diagnosis, Evidence, Finding, FindingMaximum} from '../diagnosis/report.js'
import {type Colors, severityColor} from './color.js'
import {formatTime} from './log-summary.js'
import {sanitizeForTerminal} from './sanitize.js'
import {fitEvidence, wrap} from './terminal.js'
import {formatCount} from './numbers.js'

/** "18 s", "1,024 MB", "1.0 GB": a maximum in its unit. */
export function formatMaximum(maximum: FindingMaximum): string {
  if (maximum.unit === 'bytes') {
    const mb = maximum.value / (1024 * 1024)
    return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${formatCount(Math.round(mb))} MB`
  }
  return maximum.unit === 'MB' ? `${formatCount(maximum.value)} MB` : `${maximum.value} s`
}

/** "jdoe 12, alice 3" */
export const formatCounts = (counts: {name: string; count: number}[]): string =>
  counts.map(({name, count}) => `${name} ${formatCount(count)}`).join(', ')

export function span(first: string | null, last: string | null, timeZone?: string): string {
  if (first === null || last === null) return 'time unknown'
  const from = formatTime(Date.parse(first), timeZone)
  return first === last ? from : `${from} → ${formatTime(Date.parse(last), timeZone)}`
}

/** What the report saw before filtering: so an empty report can say why it is empty. */
export interface ReportContext {
  /** Records read from every input, before --since/--until/--user/--service. */
  recordsRead: number
  /** Whether any record filter was given. */
  filtered: boolean
}

/**
 * The first line of a report without findings, and whether it is the all-clear. "No known problems" only
 * when something was read and looked at: nothing read, or a filter that kept nothing, is said as such.
 */
export function noFindingsHeadline(diagnosis: Diagnosis, context: ReportContext): {text: string; clean: boolean} {
  if (context.recordsRead === 0) return {text: 'Nothing was read, so nothing could be diagnosed.', clean: false}
  if (context.filtered && diagnosis.records === 0) {
    return {
      text:
        `No record matches the filters (${formatCount(context.recordsRead)} records were read). ` +
        '--user takes a whole name or its local part (jdoe), --service a service as the log names it (imap, imap-login).',
      clean: false,
    }
  }
  const unexplained = unrecognizedTotal(diagnosis)
  if (unexplained > 0) return {text: `No known problems found, but ${unrecognizedPhrase(unexplained)} (below).`, clean: false}
  return {text: 'No known problems found.', clean: true}
}

/** Error lines no rule recognized (Fatal and Panic ones are the fatal-unrecognized finding). */
export const unrecognizedTotal = (diagnosis: Diagnosis): number =>
  diagnosis.unrecognized.reduce((sum, group) => sum + group.count, 0) + diagnosis.unrecognizedOther

const unrecognizedPhrase = (count: number): string => `${formatCount(count)} severe line${count === 1 ? '' : 's'} no rule recognizes`

/** "3 problems found", and the unrecognized lines beside them so they are not missed. */
function findingsHeadline(diagnosis: Diagnosis): string {
  const count = diagnosis.findings.length
  const unexplained = unrecognizedTotal(diagnosis)
  return `${count} problem${count === 1 ? '' : 's'} found` + (unexplained > 0 ? `; ${unrecognizedPhrase(unexplained)} (below)` : '')
}

/** The rule's general remedy, unless every occurrence was a sub-case with its own. */
export const genericRemedyApplies = (finding: Finding): boolean =>
  finding.variants.reduce((sum, variant) => sum + variant.count, 0) < finding.count

/** An evidence line at most `width` wide after `indent`: file:line kept, the log line cut with …. */
const evidenceLine = (e: Evidence, width: number, indent: string): string =>
  fitEvidence(`${e.source}:${e.line}`, sanitizeForTerminal(e.text), width, indent)

function renderFinding(finding: Finding, c: Colors, width: number, timeZone?: string): string[] {
  const color = severityColor(c, finding.severity)
  const lines = [
    // A title that does not fit goes on under the finding's other lines, not under the severity.
    wrap(finding.title, width, `${color(finding.severity.toUpperCase().padEnd(8))} ${c.bold(finding.rule)}  `, '         ').join('\n'),
    `         ${formatCount(finding.count)}× ${span(finding.firstSeen, finding.lastSeen, timeZone)}`,
  ]
  if (finding.sinceLastRun) {
    lines.push(
      finding.sinceLastRun.new
        ? `         ${c.bold('new since the last run')}`
        : `         still happening: first seen ${formatTime(Date.parse(finding.sinceLastRun.firstSeen), timeZone)}`,
    )
  }
  const indent = '         '
  for (const fact of finding.facts) lines.push(`${indent}${sanitizeForTerminal(fact)}`)
  for (const maximum of finding.maxima) lines.push(`${indent}${maximum.label}: ${formatMaximum(maximum)}`)
  const {users, services, hosts, approximate} = finding.affected
  const affected = [
    users.length ? `users ${formatCounts(users)}` : '',
    services.length ? `services ${formatCounts(services)}` : '',
    hosts.length ? `hosts ${formatCounts(hosts)}` : '',
  ]
    .filter(Boolean)
    .join('; ')
  if (affected) lines.push(`${indent}affected: ${sanitizeForTerminal(affected)}${approximate ? c.dim(' (approximate)') : ''}`)
  lines.push(`${indent}${c.dim('evidence:')}`)
  for (const e of finding.evidence) lines.push(c.dim(evidenceLine(e, width, `${indent}  `)))
  if (finding.related.count > 0) {
    lines.push(
      `${indent}${c.dim(`followed by (${formatCount(finding.related.count)} line${finding.related.count === 1 ? '' : 's'} from the same process):`)}`,
    )
    for (const e of finding.related.evidence) lines.push(c.dim(evidenceLine(e, width, `${indent}  `)))
  }
  for (const note of finding.notes) lines.push(`${indent}${c.bold('note:')} ${note}`)
  if (genericRemedyApplies(finding)) {
    lines.push(`${indent}what to do:`)
    finding.remedy.forEach((step, index) => lines.push(`${indent}  ${index + 1}. ${step}`))
  }
  for (const variant of finding.variants) {
    lines.push(`${indent}what to do (${variant.id}, ${formatCount(variant.count)}×): ${variant.explanation}`)
    variant.remedy.forEach((step, index) => lines.push(`${indent}  ${index + 1}. ${step}`))
  }
  if (finding.harmless) lines.push(`${indent}${c.dim(`harmless: ${finding.harmless}`)}`)
  return lines
}

/** The report's first line: how many problems, or why there are none. */
export function headline(diagnosis: Diagnosis, c: Colors, context: ReportContext): string {
  const {findings} = diagnosis
  if (findings.length > 0) return c.bold(findingsHeadline(diagnosis))
  const none = noFindingsHeadline(diagnosis, context)
  return (none.clean ? c.green : c.yellow)(none.text)
}

/**
 * The details under the overview: each problem by severity then count, with what to do; then severe lines
 * no rule knew, ordinary activity, counts by level; then one documentation link per rule (ShellCheck's
 * "For more information" footer).
 */
export function renderDiagnosisDetails(diagnosis: Diagnosis, c: Colors, width: number, timeZone?: string): string[] {
  const blocks: string[] = []
  const {findings, unrecognized} = diagnosis
  for (const finding of findings) blocks.push(renderFinding(finding, c, width, timeZone).join('\n'))
  if (unrecognized.length > 0 || diagnosis.unrecognizedOther > 0) {
    const total = unrecognizedTotal(diagnosis)
    const lines = [
      c.bold(
        `Severe but unrecognized: ${formatCount(total)} line${total === 1 ? '' : 's'} in ${formatCount(unrecognized.length)} shape${unrecognized.length === 1 ? '' : 's'}`,
      ),
    ]
    for (const group of unrecognized) {
      lines.push(`  ${c.red(`${formatCount(group.count)}×`)} ${group.level} ${group.service ?? ''}: ${sanitizeForTerminal(group.template)}`)
      lines.push(c.dim(evidenceLine(group.example, width, '      e.g. ')))
    }
    if (diagnosis.unrecognizedOther > 0)
      lines.push(`  ${formatCount(diagnosis.unrecognizedOther)} more in other shapes (too many distinct shapes to list)`)
    blocks.push(lines.join('\n'))
  }

  const a = diagnosis.activity
  const activity = [
    `Activity: ${formatCount(a.logins)} logins, ${formatCount(a.logouts)} logouts, ${formatCount(a.authFailures)} failed logins, ${formatCount(a.deliveries)} deliveries, ${formatCount(a.clockSteps)} clock steps`,
  ]
  for (const ip of a.authFailuresByIp) activity.push(`  ${c.yellow(ip.name)}: ${formatCount(ip.count)} failed logins from one address`)
  blocks.push(activity.join('\n'))
  const levels = LEVELS_WORST_FIRST.filter((level) => diagnosis.levels[level] > 0).map(
    (level) => `${level} ${formatCount(diagnosis.levels[level])}`,
  )
  blocks.push(`Records: ${formatCount(diagnosis.records)}${levels.length ? ` (${levels.join(', ')})` : ''}`)

  if (findings.length > 0) {
    blocks.push(
      ['For more information:', ...findings.map((finding) => `  ${finding.docs} -- ${finding.rule}: ${finding.title}`)].join('\n'),
    )
  }
  return blocks
}
