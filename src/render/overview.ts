import {zoned, zoneName} from './zone.js'
// Subpath imports: the date-fns index costs ~85 ms of startup.
import {addDays} from 'date-fns/addDays'
import {addHours} from 'date-fns/addHours'
import {format} from 'date-fns/format'
import {startOfDay} from 'date-fns/startOfDay'
import {startOfHour} from 'date-fns/startOfHour'

import type {Overview} from '../diagnosis/diagnose.js'
import type {Diagnosis} from '../diagnosis/report.js'
import {type Colors, severityColor} from './color.js'
import {formatCount} from './numbers.js'

/**
 * The first screen of `dovediag logs`: one row per finding (severity, rule, count, first and last seen,
 * users, hosts, and a sparkline of when over the log's span), then a histogram of errors, failed logins and
 * logins per hour (per day, or week, for longer spans). Only in the text report: none of it is in --json.
 */

export interface PictureOptions {
  /** Columns to fit (see terminalWidth). */
  width: number
  /** Block glyphs; false: plain ASCII (see unicodeEnabled). */
  unicode: boolean
  timeZone?: string
}

const SPARK_UNICODE = '▁▂▃▄▅▆▇█'
const SPARK_ASCII = '.:-=+*#@'
/** Eighths of a bar cell, for bar ends. */
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']
/** A sparkline narrower than this says too little to draw. */
const MIN_SPARK = 8
const MAX_SPARK = 40

/** One character per count, its height scaled to the largest; a blank where nothing happened. */
export function sparkline(counts: readonly number[], unicode: boolean): string {
  const ramp = unicode ? SPARK_UNICODE : SPARK_ASCII
  const max = Math.max(0, ...counts)
  return counts.map((count) => (count <= 0 ? ' ' : ramp[Math.max(0, Math.ceil((count / max) * ramp.length) - 1)])).join('')
}

/** A horizontal bar of `value` out of `max` in at most `width` cells; anything above zero shows at least a sliver. */
export function bar(value: number, max: number, width: number, unicode: boolean): string {
  if (value <= 0 || max <= 0 || width <= 0) return ''
  const cells = (value / max) * width
  if (!unicode) return '#'.repeat(Math.max(1, Math.round(cells)))
  const eighths = Math.max(1, Math.round(cells * 8))
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]
}

/** "08:00" when the whole span is one day, else "11-22 08:00". */
function shortTime(iso: string | null, oneDay: boolean, timeZone?: string): string {
  if (iso === null) return '-'
  return format(zoned(Date.parse(iso), timeZone), oneDay ? 'HH:mm' : 'MM-dd HH:mm')
}

const padEnd = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - text.length))
const padStart = (text: string, width: number) => ' '.repeat(Math.max(0, width - text.length)) + text

/** The findings table: one row per finding, most severe first (the order of `diagnosis.findings`). */
function findingRows(
  diagnosis: Diagnosis,
  overview: Overview,
  c: Colors,
  options: PictureOptions,
  range: {start: number; end: number} | null,
): string[] {
  const {findings} = diagnosis
  const oneDay =
    range === null ||
    format(zoned(range.start, options.timeZone), 'yyyy-MM-dd') === format(zoned(range.end - 1, options.timeZone), 'yyyy-MM-dd')
  const extra = (rule: string) => overview.findings.get(rule)
  const distinct = (value: number | undefined, approximate: boolean) =>
    value === undefined || value === 0 ? '-' : `${formatCount(value)}${approximate ? '+' : ''}`
  const rows = findings.map((finding) => {
    const more = extra(finding.rule)
    return {
      finding,
      cells: [
        finding.severity.toUpperCase(),
        finding.rule,
        formatCount(finding.count),
        shortTime(finding.firstSeen, oneDay, options.timeZone),
        shortTime(finding.lastSeen, oneDay, options.timeZone),
        distinct(more?.users, more?.approximate ?? false),
        distinct(more?.hosts, more?.approximate ?? false),
      ],
    }
  })
  const head = ['severity', 'rule', 'count', 'first', 'last', 'users', 'hosts']
  const widths = head.map((title, index) => Math.max(title.length, ...rows.map((row) => row.cells[index].length)))
  // Columns shown: hosts only when a finding has some; on a narrow terminal hosts, users and first go first.
  const shown = new Set(head.keys())
  if (!rows.some((row) => row.cells[6] !== '-')) shown.delete(6)
  const used = () => [...shown].reduce((sum, index) => sum + widths[index] + 2, -2)
  for (const dropped of [6, 5, 3]) if (used() > options.width) shown.delete(dropped)
  const rightAligned = new Set([2, 5, 6])
  const sparkWidth = range === null ? 0 : Math.min(MAX_SPARK, options.width - used() - 2)
  const withSpark = sparkWidth >= MIN_SPARK
  const line = (cells: string[], color?: (text: string, index: number) => string) =>
    cells
      .map((cell, index) => {
        if (!shown.has(index)) return null
        const padded = rightAligned.has(index) ? padStart(cell, widths[index]) : padEnd(cell, widths[index])
        return color ? color(padded, index) : padded
      })
      .filter((cell) => cell !== null)
      .join('  ')
  // The sparkline's header names the span it covers, when that fits above it.
  const spanLabel =
    range === null
      ? ''
      : `${format(zoned(range.start, options.timeZone), oneDay ? 'HH:mm' : 'MM-dd HH:mm')} → ${format(zoned(range.end - 1, options.timeZone), oneDay ? 'HH:mm' : 'MM-dd HH:mm')}`
  const lines = [c.dim((line(head) + (withSpark ? `  ${spanLabel.length <= sparkWidth ? spanLabel : 'when'}` : '')).trimEnd())]
  for (const {finding, cells} of rows) {
    const more = extra(finding.rule)
    const spark =
      withSpark && more
        ? '  ' +
          severityColor(
            c,
            finding.severity,
          )(sparkline(more.timeline.columns(range!.start, range!.end, sparkWidth), options.unicode).trimEnd())
        : ''
    lines.push(
      (
        line(cells, (text, index) => (index === 0 ? severityColor(c, finding.severity)(text) : index === 1 ? c.bold(text) : text)) + spark
      ).trimEnd(),
    )
  }
  return lines
}

interface Step {
  name: 'hour' | 'day' | 'week'
  /** The start of the step holding `ms`, and the start of the next. */
  floor: (ms: number) => number
  next: (ms: number) => number
  label: string
}

/** Hourly up to a day's span, daily up to two months, weekly beyond: a screenful of rows at most. */
function histogramStep(range: {start: number; end: number}, timeZone?: string): Step {
  const hours = (range.end - range.start) / 3_600_000
  if (hours <= 24)
    return {
      name: 'hour',
      floor: (ms) => startOfHour(zoned(ms, timeZone)).getTime(),
      next: (ms) => addHours(zoned(ms, timeZone), 1).getTime(),
      label: 'HH:mm',
    }
  if (hours <= 62 * 24)
    return {
      name: 'day',
      floor: (ms) => startOfDay(zoned(ms, timeZone)).getTime(),
      next: (ms) => addDays(zoned(ms, timeZone), 1).getTime(),
      label: 'EEE MM-dd',
    }
  return {
    name: 'week',
    floor: (ms) => startOfDay(zoned(ms, timeZone)).getTime(),
    next: (ms) => addDays(zoned(ms, timeZone), 7).getTime(),
    label: 'yyyy-MM-dd',
  }
}

/** Errors, failed logins and logins per hour/day/week, as bars with their counts. */
function histogram(overview: Overview, c: Colors, options: PictureOptions, range: {start: number; end: number}): string[] {
  const step = histogramStep(range, options.timeZone)
  const boundaries = [step.floor(range.start)]
  while (boundaries.at(-1)! < range.end) boundaries.push(step.next(boundaries.at(-1)!))
  const series = [
    {title: 'errors', timeline: overview.activity.errors, color: c.red},
    {title: 'failed logins', timeline: overview.activity.authFailures, color: c.yellow},
    {title: 'logins', timeline: overview.activity.logins, color: c.green},
  ].map((one) => ({...one, counts: one.timeline.between(boundaries)}))
  const labels = boundaries.slice(0, -1).map((ms) => format(zoned(ms, options.timeZone), step.label))
  const labelWidth = Math.max(step.name.length, ...labels.map((label) => label.length))
  const countWidth = Math.max(...series.map((one) => formatCount(Math.max(0, ...one.counts)).length))
  // Each series gets an equal share of the width: its bar, a space and its count.
  const share = Math.max(
    ...series.map((one) => one.title.length),
    Math.floor((options.width - labelWidth - 2 * series.length) / series.length),
  )
  const barWidth = Math.max(1, share - countWidth - 1)
  const zone = zoneName(options.timeZone)
  const first = format(zoned(range.start, options.timeZone), 'yyyy-MM-dd')
  const last = format(zoned(range.end - 1, options.timeZone), 'yyyy-MM-dd')
  const when = `per ${step.name}, ${first === last ? first : `${first} → ${last}`} (${zone})`
  const title = `Errors, failed logins and logins ${when}`
  const lines = [
    c.bold(title.length <= options.width ? title : when),
    c.dim([padEnd(step.name, labelWidth), ...series.map((one) => padEnd(one.title, share))].join('  ').trimEnd()),
  ]
  labels.forEach((label, row) => {
    const cells = series.map((one) => {
      const count = one.counts[row]
      const drawn = bar(count, Math.max(...one.counts), barWidth, options.unicode)
      const visible = `${drawn}${drawn ? ' ' : ''}${formatCount(count)}`
      // Padded by what shows, then coloured: escape codes take no columns.
      return `${one.color(drawn)}${drawn ? ' ' : ''}${count === 0 ? c.dim('0') : formatCount(count)}${' '.repeat(Math.max(0, share - visible.length))}`
    })
    lines.push([padEnd(label, labelWidth), ...cells].join('  ').trimEnd())
  })
  return lines
}

/** The overview: the findings table and the activity histogram (nothing when there is nothing to show). */
export function renderOverview(diagnosis: Diagnosis, overview: Overview, c: Colors, options: PictureOptions): string[] {
  const range = overview.span
  const blocks: string[] = []
  if (diagnosis.findings.length > 0) blocks.push(findingRows(diagnosis, overview, c, options, range).join('\n'))
  const a = overview.activity
  if (range !== null && !(a.errors.empty && a.authFailures.empty && a.logins.empty))
    blocks.push(histogram(overview, c, options, range).join('\n'))
  return blocks
}
