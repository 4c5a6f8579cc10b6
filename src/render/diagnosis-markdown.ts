import type {Diagnosis, Finding} from '../diagnosis/report.js'
import type {LogsSummary} from '../ingest/summary.js'
import {formatCounts, formatMaximum, genericRemedyApplies, noFindingsHeadline, span} from './diagnosis-text.js'
import {formatTime} from './log-summary.js'
import {markdownCode as code, markdownText as text, sanitizeForTerminal} from './sanitize.js'
import {zoneName} from './zone.js'

function renderFinding(finding: Finding, timeZone?: string): string {
  const lines = [
    `### ${finding.severity}: ${finding.rule} — ${finding.title}`,
    '',
    `**${finding.count}×**, ${span(finding.firstSeen, finding.lastSeen, timeZone)}`,
    '',
  ]
  for (const fact of finding.facts) lines.push(`- ${text(fact)}`)
  for (const maximum of finding.maxima) lines.push(`- ${maximum.label}: ${formatMaximum(maximum)}`)
  const {users, services, hosts} = finding.affected
  if (users.length) lines.push(`- users: ${text(formatCounts(users))}`)
  if (services.length) lines.push(`- services: ${text(formatCounts(services))}`)
  if (hosts.length) lines.push(`- hosts: ${text(formatCounts(hosts))}`)
  lines.push('', finding.explanation, '')
  for (const note of finding.notes) lines.push(`> ${note}`, '')
  if (genericRemedyApplies(finding)) {
    lines.push('**What to do**', '')
    finding.remedy.forEach((step, index) => lines.push(`${index + 1}. ${step}`))
  }
  for (const variant of finding.variants) {
    lines.push('', `**What to do (${variant.id}, ${variant.count}×)**: ${variant.explanation}`, '')
    variant.remedy.forEach((step, index) => lines.push(`${index + 1}. ${step}`))
  }
  if (finding.harmless) lines.push('', `Harmless: ${finding.harmless}`)
  lines.push('', 'Evidence:', '', '```')
  for (const e of finding.evidence) lines.push(sanitizeForTerminal(`${e.source}:${e.line}  ${e.text}`).replaceAll('```', "'''"))
  lines.push('```')
  if (finding.related.count > 0) {
    lines.push('', `Followed by (${finding.related.count} line(s) from the same process):`, '', '```')
    for (const e of finding.related.evidence) lines.push(sanitizeForTerminal(`${e.source}:${e.line}  ${e.text}`).replaceAll('```', "'''"))
    lines.push('```')
  }
  lines.push('', `Docs: ${finding.docs}`)
  return lines.join('\n')
}

/** The report as Markdown, for a ticket or a CI step summary. */
export function renderDiagnosisMarkdown(diagnosis: Diagnosis, summary: LogsSummary, filtered: boolean, timeZone?: string): string {
  const zone = zoneName(timeZone)
  const out = ['## Dovecot log diagnosis', '', `Times are in ${zone}.`, '']
  const time = (iso: string | null) => (iso === null ? '' : formatTime(Date.parse(iso), timeZone))
  if (diagnosis.findings.length === 0) out.push(noFindingsHeadline(diagnosis, {recordsRead: summary.totals.records, filtered}).text, '')
  else {
    out.push('| severity | rule | count | first seen | last seen |', '| --- | --- | ---: | --- | --- |')
    for (const f of diagnosis.findings)
      out.push(`| ${f.severity} | [${code(f.rule)}](${f.docs}) | ${f.count} | ${time(f.firstSeen)} | ${time(f.lastSeen)} |`)
    out.push('')
    for (const finding of diagnosis.findings) out.push(renderFinding(finding, timeZone), '')
  }
  if (diagnosis.unrecognized.length > 0) {
    out.push('### Severe but unrecognized', '', '| count | level | service | shape | example |', '| ---: | --- | --- | --- | --- |')
    for (const g of diagnosis.unrecognized)
      out.push(
        `| ${g.count} | ${g.level} | ${text(g.service ?? '')} | ${code(g.template)} | ${text(`${g.example.source}:${g.example.line}`)} |`,
      )
    if (diagnosis.unrecognizedOther > 0) out.push('', `${diagnosis.unrecognizedOther} more lines in other shapes.`)
    out.push('')
  }
  const a = diagnosis.activity
  out.push(
    '### Activity',
    '',
    `${a.logins} logins, ${a.logouts} logouts, ${a.authFailures} failed logins, ${a.deliveries} deliveries, ${a.clockSteps} clock steps.`,
  )
  for (const ip of a.authFailuresByIp) out.push(`- ${code(ip.name)}: ${ip.count} failed logins`)
  out.push(
    '',
    '### Inputs',
    '',
    '| input | format | lines | parsed | skipped | unparsed | from | to |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | --- |',
  )
  for (const i of summary.inputs) {
    const from = i.firstTime === null ? '' : formatTime(i.firstTime, timeZone)
    const to = i.lastTime === null ? '' : formatTime(i.lastTime, timeZone)
    out.push(`| ${code(i.input)} | ${i.format ?? ''} | ${i.lines} | ${i.parsed} | ${i.skipped} | ${i.unparsed} | ${from} | ${to} |`)
  }
  const t = summary.totals
  out.push(
    '',
    `${t.inputs} input(s), ${t.lines} lines: ${t.records} records, ${t.skipped} skipped, ${t.unparsed} unparsed, ${t.problems} input problem(s).`,
  )
  return out.join('\n') + '\n'
}
