import type {Diagnosis, Finding} from '../diagnosis/report.js'
import {formatCounts, formatMaximum, genericRemedyApplies, span} from './diagnosis-text.js'

// Table cells: a pipe would end the cell, a newline the row.
const cell = (text: string): string => text.replaceAll('|', '\\|').replace(/\r?\n/g, ' ')
const code = (text: string): string => '`' + text.replaceAll('`', "'") + '`'

function renderFinding(finding: Finding, timeZone?: string): string {
  const lines = [`### ${finding.severity}: ${finding.rule} — ${finding.title}`, '', `**${finding.count}×**, ${span(finding.firstSeen, finding.lastSeen, timeZone)}`, '']
  for (const fact of finding.facts) lines.push(`- ${fact}`)
  for (const maximum of finding.maxima) lines.push(`- ${maximum.label}: ${formatMaximum(maximum)}`)
  const {users, services, hosts} = finding.affected
  if (users.length) lines.push(`- users: ${formatCounts(users)}`)
  if (services.length) lines.push(`- services: ${formatCounts(services)}`)
  if (hosts.length) lines.push(`- hosts: ${formatCounts(hosts)}`)
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
  for (const e of finding.evidence) lines.push(`${e.source}:${e.line}  ${e.text.replaceAll('```', "'''")}`)
  lines.push('```', '', `Docs: ${finding.docs}`)
  return lines.join('\n')
}

/** The report as Markdown, for a ticket or a CI step summary. */
export function renderDiagnosisMarkdown(diagnosis: Diagnosis, timeZone?: string): string {
  const out = ['## Dovecot log diagnosis', '']
  if (diagnosis.findings.length === 0) out.push('No known problems found.', '')
  else {
    out.push('| severity | rule | count | first seen | last seen |', '| --- | --- | ---: | --- | --- |')
    for (const f of diagnosis.findings) out.push(`| ${f.severity} | [${code(f.rule)}](${f.docs}) | ${f.count} | ${f.firstSeen ?? ''} | ${f.lastSeen ?? ''} |`)
    out.push('')
    for (const finding of diagnosis.findings) out.push(renderFinding(finding, timeZone), '')
  }
  if (diagnosis.unrecognized.length > 0) {
    out.push('### Severe but unrecognized', '', '| count | level | service | shape | example |', '| ---: | --- | --- | --- | --- |')
    for (const g of diagnosis.unrecognized) out.push(`| ${g.count} | ${g.level} | ${cell(g.service ?? '')} | ${code(cell(g.template))} | ${cell(`${g.example.source}:${g.example.line}`)} |`)
    if (diagnosis.unrecognizedOther > 0) out.push('', `${diagnosis.unrecognizedOther} more lines in other shapes.`)
    out.push('')
  }
  const a = diagnosis.activity
  out.push('### Activity', '', `${a.logins} logins, ${a.logouts} logouts, ${a.authFailures} failed logins, ${a.deliveries} deliveries, ${a.clockSteps} clock steps.`)
  for (const ip of a.authFailuresByIp) out.push(`- ${code(ip.name)}: ${ip.count} failed logins`)
  return out.join('\n') + '\n'
}
