import {zoned, zoneName} from './zone.js'
// Subpath imports: the date-fns index costs ~85 ms of startup.
import {format} from 'date-fns/format'

import type {InputStats} from '../ingest/input-stats.js'
import {LEVELS_WORST_FIRST} from '../ingest/record.js'
import type {LogsSummary} from '../ingest/summary.js'
import {type Colors, levelColor} from './color.js'
import {sanitizeForTerminal} from './sanitize.js'
import {formatCount} from './numbers.js'

const SHOWN_SERVICES = 8

/** A share as a percentage: whole numbers, except that anything short of all is never shown as 100%. */
const percent = (share: number) => `${share < 1 && share >= 0.995 ? '99.5' : Math.round(share * 1000) / 10}%`

/** A time in the zone the user asked for (--timezone), else the local one. */
export function formatTime(ms: number, timeZone?: string): string {
  return format(zoned(ms, timeZone), 'yyyy-MM-dd HH:mm:ss')
}

function renderInput(stats: InputStats, c: Colors, timeZone: string | undefined): string[] {
  const formats = Object.entries(stats.formats)
  const lines = [c.bold(sanitizeForTerminal(stats.input)) + (stats.reason ? c.dim(`  (${stats.reason})`) : '')]
  const shape =
    formats.length > 1
      ? `mixed: ${formats.map(([f, count]) => `${f} ${formatCount(count)}`).join(', ')}`
      : (stats.format ?? 'none recognized')
  lines.push(`  format     ${shape}${stats.compressed ? ' (gzip)' : ''}${stats.complete ? '' : c.red(' (read stopped early)')}`)
  const continuation = stats.continuations > 0 ? ` (${formatCount(stats.continuations)} continuation)` : ''
  const unparsed = stats.unparsed > 0 ? c.yellow(`${formatCount(stats.unparsed)} unparsed`) : '0 unparsed'
  const rate = stats.parseRate === null ? '' : ` (${percent(stats.parseRate)} understood)`
  lines.push(
    `  lines      ${formatCount(stats.lines)}: ${formatCount(stats.parsed)} parsed${continuation}, ${formatCount(stats.skipped)} skipped, ${unparsed}${rate}`,
  )
  if (stats.raw > 0)
    lines.push(`  raw        ${formatCount(stats.raw)} recognized by their text alone, with no line format or prefix parsed`)
  const wrappers = Object.entries(stats.wrappers)
  if (wrappers.length > 0) lines.push(`  wrappers   ${wrappers.map(([kind, count]) => `${kind} ${formatCount(count)}`).join(', ')}`)
  if (stats.firstTime !== null && stats.lastTime !== null) {
    lines.push(
      `  time span  ${formatTime(stats.firstTime, timeZone)} → ${formatTime(stats.lastTime, timeZone)} ${c.dim(zoneName(timeZone))}`,
    )
  }

  const levels = LEVELS_WORST_FIRST.filter((level) => stats.levels[level]).map((level) =>
    levelColor(c, level)(`${level} ${formatCount(stats.levels[level])}`),
  )
  if (levels.length > 0) lines.push(`  levels     ${levels.join(', ')}`)
  const services = Object.entries(stats.services)
  if (services.length > 0) {
    const more = services.length > SHOWN_SERVICES ? `, +${services.length - SHOWN_SERVICES} more` : ''
    lines.push(
      `  services   ${services
        .slice(0, SHOWN_SERVICES)
        .map(([name, count]) => `${sanitizeForTerminal(name)} ${formatCount(count)}`)
        .join(', ')}${more}`,
    )
  }

  for (const sample of stats.unparsedSamples) lines.push(c.dim(`  unparsed   line ${sample.line}: ${sanitizeForTerminal(sample.text)}`))
  return lines
}

/** The text summary of `dovediag logs`: one block per input, then the totals. */
export function renderLogSummary(summary: LogsSummary, c: Colors, timeZone?: string): string {
  const blocks = summary.inputs.map((stats) => renderInput(stats, c, timeZone).join('\n'))
  const t = summary.totals
  const problems = t.problems > 0 ? c.red(`; ${t.problems} input problem${t.problems === 1 ? '' : 's'} (on stderr)`) : ''
  blocks.push(
    `${formatCount(t.inputs)} input${t.inputs === 1 ? '' : 's'}, ${formatCount(t.lines)} lines: ${formatCount(t.parsed)} parsed into ${formatCount(t.records)} records, ${formatCount(t.skipped)} skipped, ${formatCount(t.unparsed)} unparsed${problems}`,
  )
  return blocks.join('\n\n')
}
