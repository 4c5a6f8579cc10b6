import type {MigrationReport} from '../migration/check.js'
import {ACTION_DESCRIPTIONS, ACTION_URGENCY, type MigrationAction} from '../exit-codes/actions.js'
import type {SuspendAllAttempt, SuspendAllSummary, UserVerdict} from '../policy/migration.js'
import {actionColor, type Colors} from './color.js'
import {sanitizeForTerminal as safe} from './sanitize.js'
import {fittedTable} from './table.js'
import {wrapIndented} from './terminal.js'

/** Users listed per suspend-all cause before "... and N more". */
const CAUSES_SHOWN = 10

export function codeText(verdict: Pick<UserVerdict, 'code' | 'label'>): string {
  return verdict.code === null ? verdict.label : `${verdict.code} ${verdict.label}`
}

export function where(source: {file: string; line: number | null}): string {
  return source.line === null ? source.file : `${source.file}:${source.line}`
}

/** Users needing something, grouped by action, most urgent first. */
export function usersByAction(report: MigrationReport): [MigrationAction, UserVerdict[]][] {
  return ACTION_URGENCY.filter((action) => action !== 'done')
    .map((action): [MigrationAction, UserVerdict[]] => [action, report.users.filter((user) => user.action === action)])
    .filter(([, users]) => users.length > 0)
}

/** Users done whose stderr reports errors (not under --strict: then they fail). */
export const doneWithErrors = (report: MigrationReport): UserVerdict[] =>
  report.users.filter((user) => user.action === 'done' && user.doneWithErrors)

/** The heading of the done-with-errors group, in every format. */
export const DONE_WITH_ERRORS = 'the sync exited 0 but its stderr reports errors: check these mailboxes (--strict fails them)'

/** "N duplicate attempt(s) merged" (overlapping exports), after `separator`; empty when there were none. */
export function duplicatesText(report: MigrationReport, separator: string): string {
  const count = report.totals.duplicateAttempts
  return count === 0 ? '' : `${separator}${count} duplicate attempt(s) merged (the same attempt in more than one input counts once)`
}

/** The one-line verdict of a report. */
export function headline(report: MigrationReport): string {
  const needing = report.users.length - report.totals.byAction.done
  if (report.suspendAll) return 'SUSPEND ALL MIGRATIONS: fix the configuration before the next wave'
  if (report.users.length === 0) return 'no user results could be read'
  if (needing === 0) return `every user is done for the ${report.phase} phase`
  return `${needing} of ${report.users.length} users need action`
}

/**
 * The suspend-all sentence of every format, from the report's one summary: codes seen on any attempt (they
 * stop the wave) apart from the users whose latest result is suspend-all (the `suspend-all` action count).
 */
export function suspendAllText(summary: SuspendAllSummary): string {
  const codes = summary.codesSeen.map((code) => `${codeText(code)} ×${code.users}`).join(', ')
  const earlier = summary.usersEarlierOnly > 0 ? `, ${summary.usersEarlierOnly} more only on an earlier attempt` : ''
  return `suspend-all codes seen on any attempt (users per code): ${codes}; ${summary.usersDeciding} user(s) whose latest result is suspend-all${earlier}`
}

/** One suspend-all attempt: "78 EX_CONFIG (attempt 1, earlier attempt)". */
export function causeText(cause: SuspendAllAttempt): string {
  const which = cause.deciding ? 'latest result' : 'earlier attempt'
  return `${codeText(cause)} (${cause.attempt === null ? '' : `attempt ${cause.attempt}, `}${which})`
}

function renderSuspendAll(report: MigrationReport, c: Colors): string[] {
  const lines = [
    c.bold(c.red(`SUSPEND ALL MIGRATIONS: ${suspendAllText(report.suspendAllSummary)}`)),
    c.red(`  ${ACTION_DESCRIPTIONS['suspend-all']}: these codes mean the migration setup itself is broken, not one mailbox.`),
  ]
  for (const cause of report.suspendAllCauses.slice(0, CAUSES_SHOWN)) {
    lines.push(`  ${safe(cause.user)}  ${causeText(cause)}  ${safe(where(cause.source))}`)
  }
  if (report.suspendAllCauses.length > CAUSES_SHOWN) lines.push(`  … and ${report.suspendAllCauses.length - CAUSES_SHOWN} more`)
  return [...lines, '']
}

/**
 * Users listed per action on a terminal. A wave of 100 000 users would make a table nobody reads (and
 * cli-table3 takes seconds to lay out tens of thousands of wrapped rows); the full lists are elsewhere.
 */
const USERS_SHOWN_PER_ACTION = 200

/** The reason beside the code and label columns, without the "75 EX_TEMPFAIL: " they already show. */
function reasonBeside(user: UserVerdict): string {
  const shown = `${codeText(user)}: `
  return user.reason.startsWith(shown) ? user.reason.slice(shown.length) : user.reason
}

/** The per-user table of one group (an action, or done with errors). */
function userTable(users: readonly UserVerdict[], width: number): string {
  return fittedTable(
    ['user', 'code', 'label', 'attempts', 'reason'],
    users
      .slice(0, USERS_SHOWN_PER_ACTION)
      .map((user) => [safe(user.user), user.code ?? '', safe(user.label), user.attempts, safe(reasonBeside(user))]),
    width,
  )
}

/**
 * The text report, `width` columns wide at most: suspend-all first, then the summary per action and per code, then
 * who needs what.
 */
export function renderMigrationText(report: MigrationReport, c: Colors, width: number): string {
  const lines: string[] = report.suspendAll ? renderSuspendAll(report, c) : []
  const {totals} = report
  const problems = totals.problems > 0 ? c.red(`; ${totals.problems} input problem(s), listed on stderr`) : ''
  lines.push(
    c.bold(`Migration check, ${report.phase} phase: ${totals.users} users from ${totals.rows} rows in ${totals.inputs} input(s)`) +
      duplicatesText(report, '; ') +
      problems,
    ...(report.complete
      ? []
      : [c.red('  INCOMPLETE: reading stopped before the end of the inputs; the users and counts cover what was read')]),
    `  users by latest result: ${ACTION_URGENCY.map((action) => actionColor(c, action)(`${action} ${totals.byAction[action]}`)).join(' · ')}`,
    '',
  )
  if (totals.byCode.length > 0) {
    const byCode = fittedTable(
      ['code', 'label', 'action', 'users'],
      totals.byCode.map((count) => [count.code ?? '', count.label, actionColor(c, count.action)(count.action), count.users]),
      width,
    )
    lines.push(byCode, '')
  }
  for (const [action, users] of usersByAction(report)) {
    lines.push(actionColor(c, action)(c.bold(`${action} (${users.length}): ${ACTION_DESCRIPTIONS[action]}`)))
    lines.push(userTable(users, width))
    if (users.length > USERS_SHOWN_PER_ACTION) {
      lines.push(
        `  … and ${users.length - USERS_SHOWN_PER_ACTION} more: the full list is in --json, --format junit/markdown, or --retry-file/--remove-file`,
      )
    }
    lines.push('')
  }
  const withErrors = doneWithErrors(report)
  if (withErrors.length > 0) {
    lines.push(c.yellow(c.bold(`done, with errors (${withErrors.length}): ${DONE_WITH_ERRORS}`)))
    lines.push(userTable(withErrors, width))
    if (withErrors.length > USERS_SHOWN_PER_ACTION)
      lines.push(`  … and ${withErrors.length - USERS_SHOWN_PER_ACTION} more: the full list is in --json, --format junit/markdown`)
    lines.push('')
  }
  for (const warning of report.warnings) lines.push(c.yellow(`warning: ${safe(warning.message)}`))
  if (report.warnings.length > 0) lines.push('')
  lines.push(
    actionColor(
      c,
      report.suspendAll ? 'suspend-all' : report.users.length === totals.byAction.done && totals.problems === 0 ? 'done' : 'fail',
    )(headline(report)),
  )
  // Table lines already fit; the sentences around them are wrapped.
  return lines.flatMap((line) => wrapIndented(line, width, '  ')).join('\n')
}
