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
  return [...migrationMarkdownPieces(report, options)].join('')
}

/**
 * The text of renderMigrationMarkdown a line at a time, for writePieces: a wave's report (7 MB for 100 000
 * users, a row each) is never one string, nor an array of its lines, nor encoded whole for stdout.
 */
export function* migrationMarkdownPieces(report: MigrationReport, options: {maxUsers?: number} = {}): Generator<string> {
  for (const line of markdownLines(report, options)) yield `${line}\n`
}

function* markdownLines(report: MigrationReport, options: {maxUsers?: number}): Generator<string> {
  yield* [`## dovediag migration check (${report.phase} phase)`, '']
  if (report.suspendAll) {
    yield* [
      `> [!CAUTION]`,
      `> **Suspend all migrations**: ${ACTION_DESCRIPTIONS['suspend-all']}. ${cell(suspendAllText(report.suspendAllSummary))}.`,
    ]
    for (const cause of report.suspendAllCauses.slice(0, 10))
      yield `> - ${markdownCode(cause.user)}: ${cell(causeText(cause))} (${cell(where(cause.source))})`
    if (report.suspendAllCauses.length > 10) yield `> - … and ${report.suspendAllCauses.length - 10} more`
    yield ''
  }
  yield* [
    `**${cell(headline(report))}**: ${report.totals.users} users, ${report.totals.rows} rows${cell(duplicatesText(report, ' ('))}${report.totals.duplicateAttempts > 0 ? ')' : ''}, ${report.totals.inputs} input(s), ${report.totals.problems} input problem(s).`,
    '',
  ]
  yield* [row(['action (by latest result)', 'users']), row(['---', '---:'])]
  for (const action of ACTION_URGENCY) yield row([action, report.totals.byAction[action]])
  yield* ['', row(['code', 'label', 'action', 'users']), row(['---:', '---', '---', '---:'])]
  for (const count of report.totals.byCode) yield row([count.code ?? '', count.label, count.action, count.users])

  const groups = usersByAction(report)
  if (groups.length > 0) {
    yield* [
      '',
      '### Users that need action',
      '',
      row(['user', 'action', 'code', 'label', 'attempts', 'reason']),
      row(['---', '---', '---:', '---', '---:', '---']),
    ]
    let shown = 0
    const limit = options.maxUsers ?? Number.POSITIVE_INFINITY
    for (const [, users] of groups) {
      for (const user of users) {
        if (shown++ >= limit) break
        yield row([{code: user.user}, user.action, user.code ?? '', user.label, user.attempts, user.reason])
      }
    }
    const total = groups.reduce((sum, [, users]) => sum + users.length, 0)
    if (total > limit) yield* ['', `… and ${total - limit} more users (see the full report).`]
  }
  const withErrors = doneWithErrors(report)
  if (withErrors.length > 0) {
    yield* ['', '### Done, with errors', '', cell(DONE_WITH_ERRORS), '', row(['user', 'code', 'reason']), row(['---', '---:', '---'])]
    const limit = options.maxUsers ?? Number.POSITIVE_INFINITY
    for (const user of withErrors.slice(0, limit)) yield row([{code: user.user}, user.code ?? '', user.reason])
    if (withErrors.length > limit) yield* ['', `… and ${withErrors.length - limit} more users (see the full report).`]
  }
  if (report.warnings.length > 0) {
    yield* ['', '### Warnings', '']
    for (const warning of report.warnings) yield `- ${cell(warning.message)}`
  }
  if (report.problems.length > 0) {
    yield* ['', '### Input problems', '', row(['where', 'problem']), row(['---', '---'])]
    for (const problem of report.problems) yield row([where({file: problem.source, line: problem.line}), problem.message])
  }
}
