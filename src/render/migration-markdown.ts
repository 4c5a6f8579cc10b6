import type {MigrationReport} from '../migration/check.js'
import {ACTION_DESCRIPTIONS, ACTION_URGENCY} from '../exit-codes/actions.js'
import {
  causeText,
  DONE_WITH_ERRORS,
  doneWithErrors,
  duplicatesText,
  headline,
  suspendAllText,
  usersByAction,
  where,
} from './migration-text.js'
import {markdownCode, markdownText as cell} from './sanitize.js'

/** A table row; a cell given as `{code}` is shown as a code span. */
function row(values: unknown[]): string {
  return `| ${values.map((value) => (value !== null && typeof value === 'object' && 'code' in value ? markdownCode(value.code) : cell(value))).join(' | ')} |`
}

/**
 * The report as Markdown (tickets, GitHub's step summary). `maxUsers` caps the per-user rows, for
 * places with a size limit (the step summary takes 1 MiB).
 */
export function renderMigrationMarkdown(report: MigrationReport, options: {maxUsers?: number} = {}): string {
  const lines: string[] = [`## dovediag migration check (${report.phase} phase)`, '']
  if (report.suspendAll) {
    lines.push(
      `> [!CAUTION]`,
      `> **Suspend all migrations**: ${ACTION_DESCRIPTIONS['suspend-all']}. ${cell(suspendAllText(report.suspendAllSummary))}.`,
    )
    for (const cause of report.suspendAllCauses.slice(0, 10))
      lines.push(`> - ${markdownCode(cause.user)}: ${cell(causeText(cause))} (${cell(where(cause.source))})`)
    if (report.suspendAllCauses.length > 10) lines.push(`> - … and ${report.suspendAllCauses.length - 10} more`)
    lines.push('')
  }
  lines.push(
    `**${cell(headline(report))}**: ${report.totals.users} users, ${report.totals.rows} rows${cell(duplicatesText(report, ' ('))}${report.totals.duplicateAttempts > 0 ? ')' : ''}, ${report.totals.inputs} input(s), ${report.totals.problems} input problem(s).`,
    '',
  )
  lines.push(row(['action (by latest result)', 'users']), row(['---', '---:']))
  for (const action of ACTION_URGENCY) lines.push(row([action, report.totals.byAction[action]]))
  lines.push('', row(['code', 'label', 'action', 'users']), row(['---:', '---', '---', '---:']))
  for (const count of report.totals.byCode) lines.push(row([count.code ?? '', count.label, count.action, count.users]))

  const groups = usersByAction(report)
  if (groups.length > 0) {
    lines.push(
      '',
      '### Users that need action',
      '',
      row(['user', 'action', 'code', 'label', 'attempts', 'reason']),
      row(['---', '---', '---:', '---', '---:', '---']),
    )
    let shown = 0
    const limit = options.maxUsers ?? Number.POSITIVE_INFINITY
    for (const [, users] of groups) {
      for (const user of users) {
        if (shown++ >= limit) break
        lines.push(row([{code: user.user}, user.action, user.code ?? '', user.label, user.attempts, user.reason]))
      }
    }
    const total = groups.reduce((sum, [, users]) => sum + users.length, 0)
    if (total > limit) lines.push('', `… and ${total - limit} more users (see the full report).`)
  }
  const withErrors = doneWithErrors(report)
  if (withErrors.length > 0) {
    lines.push('', '### Done, with errors', '', cell(DONE_WITH_ERRORS), '', row(['user', 'code', 'reason']), row(['---', '---:', '---']))
    const limit = options.maxUsers ?? Number.POSITIVE_INFINITY
    for (const user of withErrors.slice(0, limit)) lines.push(row([{code: user.user}, user.code ?? '', user.reason]))
    if (withErrors.length > limit) lines.push('', `… and ${withErrors.length - limit} more users (see the full report).`)
  }
  if (report.warnings.length > 0) {
    lines.push('', '### Warnings', '')
    for (const warning of report.warnings) lines.push(`- ${cell(warning.message)}`)
  }
  if (report.problems.length > 0) {
    lines.push('', '### Input problems', '', row(['where', 'problem']), row(['---', '---']))
    for (const problem of report.problems) lines.push(row([where({file: problem.source, line: problem.line}), problem.message]))
  }
  return lines.join('\n') + '\n'
}
