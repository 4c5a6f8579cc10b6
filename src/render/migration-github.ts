import type {MigrationReport} from '../migration/check.js'
import {ACTION_DESCRIPTIONS, type MigrationAction} from '../exit-codes/actions.js'
import {codeText, DONE_WITH_ERRORS, doneWithErrors, suspendAllText, usersByAction, where} from './migration-text.js'
import {sanitizeForTerminal} from './sanitize.js'

/** Users named per annotation before "… and N more". */
const USERS_NAMED = 10

// Workflow command escaping, as @actions/core does it, after making control characters visible (line by
// line: the newlines are the message's own, and the escaping keeps them).
function escapeData(text: string): string {
  return text
    .split('\n')
    .map((line) => sanitizeForTerminal(line))
    .join('\n')
    .replaceAll('%', '%25')
    .replaceAll('\r', '%0D')
    .replaceAll('\n', '%0A')
}
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C')
}

/** One workflow command; `file` and `line` place it on a file (a log's evidence line). */
export function annotation(
  level: 'error' | 'warning' | 'notice',
  title: string,
  message: string,
  where?: {file: string; line: number},
): string {
  const place = where ? `file=${escapeProperty(where.file)},line=${where.line},` : ''
  return `::${level} ${place}title=${escapeProperty(title)}::${escapeData(message)}`
}

const LEVEL: Record<Exclude<MigrationAction, 'done'>, 'error' | 'warning'> = {
  'suspend-all': 'error',
  fail: 'error',
  'remove-user': 'warning',
  retry: 'warning',
  rerun: 'warning',
}

function named(names: string[]): string {
  const shown = names.slice(0, USERS_NAMED).join(', ')
  return names.length > USERS_NAMED ? `${shown} … and ${names.length - USERS_NAMED} more` : shown
}

/**
 * GitHub Actions annotations, one per action (and one for input problems), each with counts per code:
 * GitHub shows at most 10 error and 10 warning annotations per step, so never one per user. At most
 * three errors (suspend-all, fail, input problems) and three warnings come out.
 */
export function renderMigrationGithub(report: MigrationReport): string {
  const lines: string[] = []
  if (report.suspendAll) {
    // Every user with a suspend-all code on any attempt, not only those it still decides (see suspendAllText).
    const users = [...new Set(report.suspendAllCauses.map((cause) => (cause.deciding ? cause.user : `${cause.user} (earlier attempt)`)))]
    lines.push(
      annotation(
        'error',
        'Suspend all migrations',
        `${ACTION_DESCRIPTIONS['suspend-all']}. ${suspendAllText(report.suspendAllSummary)}.\nUsers: ${named(users)}`,
      ),
    )
  }
  for (const [action, users] of usersByAction(report)) {
    if (action === 'suspend-all') continue // said above, with the codes on any attempt
    const codes = report.totals.byCode.filter((count) => count.action === action).map((count) => `${codeText(count)} ×${count.users}`)
    const title = `${users.length} user(s): ${action}`
    lines.push(
      annotation(
        LEVEL[action as Exclude<MigrationAction, 'done'>],
        title,
        `${ACTION_DESCRIPTIONS[action]}. ${codes.join(', ')}.\nUsers: ${named(users.map((user) => user.user))}`,
      ),
    )
  }
  const withErrors = doneWithErrors(report)
  if (withErrors.length > 0)
    lines.push(
      annotation(
        'warning',
        `${withErrors.length} user(s): done, with errors`,
        `${DONE_WITH_ERRORS}.\nUsers: ${named(withErrors.map((user) => user.user))}`,
      ),
    )
  if (report.warnings.length > 0) {
    lines.push(
      annotation(
        'warning',
        `${report.warnings.length} warning(s) about the migration results`,
        report.warnings.map((warning) => warning.message).join('\n'),
      ),
    )
  }
  if (report.problems.length > 0) {
    const shown = report.problems
      .slice(0, USERS_NAMED)
      .map((problem) => `${where({file: problem.source, line: problem.line})}: ${problem.message}`)
    if (report.problems.length > USERS_NAMED) shown.push(`… and ${report.problems.length - USERS_NAMED} more`)
    lines.push(annotation('error', `${report.problems.length} input problem(s) in the migration results`, shown.join('\n')))
  }
  if (lines.length === 0)
    lines.push(annotation('notice', 'Migration check', `All ${report.users.length} users are done for the ${report.phase} phase.`))
  return lines.join('\n') + '\n'
}
