import type {Diagnosis, Finding} from '../diagnosis/report.js'
import type {LogsSummary} from '../ingest/summary.js'
import {formatProblem, isNotice} from '../input/problem.js'
import {xmlEscape} from './migration-junit.js'

const evidenceText = (finding: Finding): string => finding.evidence.map((e) => `${e.source}:${e.line}  ${e.text}`).join('\n')

/**
 * `logs --format junit`: one testcase per finding (named after its rule, so unique), a <failure> whose type is
 * the severity; severe lines no rule knew make one more failing testcase; unreadable inputs are <error>s.
 * Nothing found is one passing testcase, so the report is never empty. For a CI job that replays a test
 * server's log and fails on what it finds.
 */
export function renderDiagnosisJunit(diagnosis: Diagnosis, summary: LogsSummary): string {
  const cases: string[] = []
  let failures = 0
  let errors = 0
  for (const finding of diagnosis.findings) {
    failures++
    const message = `${finding.severity}: ${finding.count}× ${finding.title}`
    const details = [
      evidenceText(finding),
      '',
      'what to do:',
      ...finding.remedy.map((step, index) => `${index + 1}. ${step}`),
      '',
      finding.docs,
    ].join('\n')
    cases.push(
      `    <testcase classname="dovediag.logs.${finding.severity}" name="${xmlEscape(finding.rule)}">\n      <failure type="${finding.severity}" message="${xmlEscape(message)}">${xmlEscape(details)}</failure>\n    </testcase>`,
    )
  }
  const unrecognized = diagnosis.unrecognized.reduce((sum, group) => sum + group.count, 0) + diagnosis.unrecognizedOther
  if (unrecognized > 0) {
    failures++
    const shapes = diagnosis.unrecognized
      .map(
        (group) =>
          `${group.count}× ${group.level} ${group.service ?? ''}: ${group.template}\n  e.g. ${group.example.source}:${group.example.line}`,
      )
      .join('\n')
    cases.push(
      `    <testcase classname="dovediag.logs.unrecognized" name="severe but unrecognized">\n      <failure type="unrecognized" message="${unrecognized} Error/Fatal/Panic line(s) no rule recognized">${xmlEscape(shapes)}</failure>\n    </testcase>`,
    )
  }
  for (const [index, problem] of summary.problems.filter((p) => !isNotice(p)).entries()) {
    errors++
    cases.push(
      `    <testcase classname="dovediag.logs.input" name="${xmlEscape(`input problem ${index + 1}: ${problem.input}`)}">\n      <error type="${problem.kind}" message="${xmlEscape(formatProblem(problem))}"/>\n    </testcase>`,
    )
  }
  if (cases.length === 0)
    cases.push(
      `    <testcase classname="dovediag.logs" name="no known problems"><system-out>${diagnosis.records} record(s) diagnosed</system-out></testcase>`,
    )
  const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}"`
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="dovediag" ${counts}>\n  <testsuite name="dovediag logs" ${counts} skipped="0">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`
}
