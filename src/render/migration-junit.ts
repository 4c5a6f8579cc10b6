import type {MigrationReport} from '../migration/check.js'
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

interface Case {
  name: string
  body: string
  failure: boolean
  error: boolean
}

/**
 * JUnit XML for GitLab (artifacts:reports:junit), Jenkins (junit) and Azure (PublishTestResults): one
 * testcase per user, named after the user (unique: GitLab keeps only the first of duplicate names).
 * `done` passes; suspend-all is an <error>; every other action is a <failure> whose type is the action.
 * Input problems are <error> testcases of their own, so a broken export fails the report too.
 */
export function renderMigrationJunit(report: MigrationReport): string {
  const cases: Case[] = []
  for (const user of report.users) {
    const name = xmlEscape(user.user)
    const details = xmlEscape(
      [`code: ${user.code ?? 'none'} ${user.label}`, `attempts: ${user.attempts}`, `advice: ${user.advice}`, `source: ${where(user.source)}`].join('\n'),
    )
    const open = `    <testcase classname="dovediag.migration" name="${name}">`
    if (user.action === 'done') {
      cases.push({name: user.user, body: `${open}<system-out>${xmlEscape(user.reason)}</system-out></testcase>`, failure: false, error: false})
      continue
    }
    const tag = user.action === 'suspend-all' ? 'error' : 'failure'
    const message = xmlEscape(`${user.action}: ${user.reason}`)
    cases.push({
      name: user.user,
      body: `${open}\n      <${tag} type="${user.action}" message="${message}">${details}</${tag}>\n    </testcase>`,
      failure: tag === 'failure',
      error: tag === 'error',
    })
  }
  if (report.suspendAll) {
    // The wave-level verdict: a user whose suspend-all code was on an earlier attempt passes on its own.
    const name = 'suspend all migrations'
    const causes = report.suspendAllCauses.map((cause) => `${cause.user}: ${causeText(cause)} ${where(cause.source)}`).join('\n')
    cases.unshift({
      name,
      body: `    <testcase classname="dovediag.migration" name="${name}">\n      <error type="suspend-all" message="${xmlEscape(suspendAllText(report.suspendAllSummary))}">${xmlEscape(causes)}</error>\n    </testcase>`,
      failure: false,
      error: true,
    })
  }
  const names = new Set(cases.map((testCase) => testCase.name))
  report.problems.forEach((problem, index) => {
    let name = `input problem: ${where({file: problem.source, line: problem.line})}`
    if (names.has(name)) name += ` (${index + 1})`
    names.add(name)
    cases.push({
      name,
      body: `    <testcase classname="dovediag.migration.input" name="${xmlEscape(name)}">\n      <error type="input" message="${xmlEscape(problem.message)}"/>\n    </testcase>`,
      failure: false,
      error: true,
    })
  })
  const failures = cases.filter((testCase) => testCase.failure).length
  const errors = cases.filter((testCase) => testCase.error).length
  const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}"`
  const suite = xmlEscape(`migration check (${report.phase} phase)`)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="dovediag" ${counts}>`,
    `  <testsuite name="${suite}" ${counts} skipped="0">`,
    ...cases.map((testCase) => testCase.body),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
