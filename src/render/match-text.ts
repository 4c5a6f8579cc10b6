import type {LineTrace} from '../match/trace.js'
import {type Colors, severityColor} from './color.js'
import {sanitizeForTerminal} from './sanitize.js'
import {wrapIndented} from './terminal.js'

const PREFIX_FIELDS = ['format', 'time', 'host', 'program', 'service', 'user', 'pid', 'session', 'ip', 'level'] as const

/**
 * `dovediag match`: one block per line — the prefix fields, then the rule that matched or the near misses —
 * wrapped to `width`, each wrapped line's rest indented under it.
 */
export function renderLineTrace(trace: LineTrace, c: Colors, width: number): string {
  const lines = [`${c.bold(`line ${trace.line}:`)} ${sanitizeForTerminal(trace.text)}`]
  if (trace.prefix === null) {
    lines.push(
      `  ${c.yellow(trace.result === 'skipped' ? 'skipped: a line of another program' : trace.result === 'blank' ? 'blank line' : 'not understood as a log line')}`,
    )
  } else {
    const prefix = trace.prefix
    const fields = PREFIX_FIELDS.filter((name) => prefix[name] !== null).map((name) => `${name}=${prefix[name]}`)
    lines.push(
      `  ${c.dim('parsed:')} ${fields.join(' ')}${prefix.levelSource === 'priority' ? c.dim(' (level from the syslog priority)') : ''}`,
    )
    lines.push(`  ${c.dim('message:')} ${sanitizeForTerminal(prefix.message)}`)
  }
  for (const match of trace.matches) {
    lines.push(
      `  ${c.green('matched')} ${c.bold(match.rule)} ${severityColor(c, match.severity)(match.severity ?? 'fact')}: ${match.title}`,
    )
    const facts = Object.entries(match.facts)
    if (facts.length > 0) lines.push(`    facts: ${facts.map(([name, value]) => `${name}=${sanitizeForTerminal(value)}`).join(' ')}`)
    if (match.variant) lines.push(`    variant: ${match.variant}`)
  }
  if (trace.matches.length === 0) {
    lines.push(`  ${c.red('no rule matched')}`)
    for (const near of trace.near) lines.push(`    near ${c.bold(near.rule)}: ${near.detail}`)
  }
  return lines.flatMap((line) => wrapIndented(line, width, '    ')).join('\n')
}

export function renderMatchTotals(matched: number, total: number): string {
  return `${matched} of ${total} line(s) matched a rule`
}
