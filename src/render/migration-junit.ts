import type {MigrationReport} from '../migration/check.js'
import type {UserVerdict} from '../policy/migration.js'
import {causeText, suspendAllText, where} from './migration-text.js'

// XML 1.0 forbids most control characters even when escaped; captured stderr can hold them.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Text safe inside an XML attribute or element. */
export function xmlEscape(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
}

const SUSPEND_ALL_CASE = 'suspend all migrations'

/**
 * JUnit XML for GitLab (artifacts:reports:junit), Jenkins (junit) and Azure (PublishTestResults): one
 * testcase per user, named after the user (unique: GitLab keeps only the first of duplicate names).
 * `done` passes; suspend-all is an <error>; every other action is a <failure> whose type is the action.
 * Input problems are <error> testcases of their own, so a broken export fails the report too. Yielded a
 * line or a testcase at a time (a wave has 100 000 users).
 */
export function* migrationJunitPieces(report: MigrationReport): Generator<string> {
  const failures = report.users.filter((user) => user.action !== 'done' && user.action !== 'suspend-all').length
  const errors = report.users.filter((user) => user.action === 'suspend-all').length + (report.suspendAll ? 1 : 0) + report.problems.length
  const counts = `tests="${report.users.length + (report.suspendAll ? 1 : 0) + report.problems.length}" failures="${failures}" errors="${errors}"`
  const suite = xmlEscape(`migration check (${report.phase} phase)`)
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="dovediag" ${counts}>\n  <testsuite name="${suite}" ${counts} skipped="0">\n`
  if (report.suspendAll) {
    // The wave-level verdict: a user whose suspend-all code was on an earlier attempt passes on its own.
    const causes = report.suspendAllCauses.map((cause) => `${cause.user}: ${causeText(cause)} ${where(cause.source)}`).join('\n')
    yield `    <testcase classname="dovediag.migration" name="${SUSPEND_ALL_CASE}">\n      <error type="suspend-all" message="${xmlEscape(suspendAllText(report.suspendAllSummary))}">${xmlEscape(causes)}</error>\n    </testcase>\n`
  }
  for (const user of report.users) yield `${userCase(user)}\n`
  if (report.problems.length > 0) {
    const names = new Set([...(report.suspendAll ? [SUSPEND_ALL_CASE] : []), ...report.users.map((user) => user.user)])
    for (const [index, problem] of report.problems.entries()) {
      let name = `input problem: ${where({file: problem.source, line: problem.line})}`
      if (names.has(name)) name += ` (${index + 1})`
      names.add(name)
      yield `    <testcase classname="dovediag.migration.input" name="${xmlEscape(name)}">\n      <error type="input" message="${xmlEscape(problem.message)}"/>\n    </testcase>\n`
    }
  }
  yield '  </testsuite>\n</testsuites>\n'
}

function userCase(user: UserVerdict): string {
  const open = `    <testcase classname="dovediag.migration" name="${xmlEscape(user.user)}">`
  if (user.action === 'done') {
    // Done, with errors passes (--strict fails it), its errors where CI shows a passing case's output.
    const errors = user.doneWithErrors ? `<system-err>${xmlEscape(user.reason)}</system-err>` : ''
    return `${open}<system-out>${xmlEscape(user.reason)}</system-out>${errors}</testcase>`
  }
  const details = xmlEscape(
    [
      `code: ${user.code ?? 'none'} ${user.label}`,
      `attempts: ${user.attempts}`,
      `advice: ${user.advice}`,
      `source: ${where(user.source)}`,
    ].join('\n'),
  )
  const tag = user.action === 'suspend-all' ? 'error' : 'failure'
  return `${open}\n      <${tag} type="${user.action}" message="${xmlEscape(`${user.action}: ${user.reason}`)}">${details}</${tag}>\n    </testcase>`
}
