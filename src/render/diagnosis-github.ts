import type {Severity} from '../catalog/rule.js'
import type {Diagnosis, Finding} from '../diagnosis/report.js'
import type {LogsSummary} from '../ingest/summary.js'
import {formatProblem, isNotice} from '../input/problem.js'
import {annotation} from './migration-github.js'

const LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = {critical: 'error', high: 'error', medium: 'warning', low: 'notice'}

/** GitHub shows at most 10 error and 10 warning annotations per step: the rest are said in one more. */
const PER_LEVEL = 9

const message = (finding: Finding): string =>
  [`${finding.count}× ${finding.explanation}`, `What to do: ${finding.remedy[0] ?? 'see the documentation'}`, finding.docs].join('\n')

/**
 * `logs --format github`: one annotation per finding (per rule, never per line), on its first evidence line;
 * error for critical and high, warning for medium, notice for low. At most 9 of a level, then one annotation
 * naming the rest; unreadable inputs in one error. The full report goes to $GITHUB_STEP_SUMMARY (Markdown).
 */
export function renderDiagnosisGithub(diagnosis: Diagnosis, summary: LogsSummary): string {
  const lines: string[] = []
  const byLevel = new Map<string, Finding[]>()
  for (const finding of diagnosis.findings) {
    const level = LEVEL[finding.severity]
    if (!byLevel.has(level)) byLevel.set(level, [])
    byLevel.get(level)!.push(finding)
  }
  for (const [level, findings] of byLevel) {
    for (const finding of findings.slice(0, PER_LEVEL)) {
      const first = finding.evidence[0]
      lines.push(
        annotation(
          level as 'error',
          `${finding.severity}: ${finding.rule} — ${finding.title}`,
          message(finding),
          first ? {file: first.source, line: first.line} : undefined,
        ),
      )
    }
    const rest = findings.slice(PER_LEVEL)
    if (rest.length > 0)
      lines.push(
        annotation(
          level as 'error',
          `${rest.length} more finding(s)`,
          rest.map((finding) => `${finding.severity} ${finding.rule}: ${finding.count}× ${finding.title}`).join('\n'),
        ),
      )
  }
  const unrecognized = diagnosis.unrecognized.reduce((sum, group) => sum + group.count, 0) + diagnosis.unrecognizedOther
  if (unrecognized > 0) {
    lines.push(
      annotation(
        'warning',
        `${unrecognized} severe line(s) no rule recognized`,
        diagnosis.unrecognized
          .slice(0, 10)
          .map((group) => `${group.count}× ${group.level} ${group.service ?? ''}: ${group.template}`)
          .join('\n'),
      ),
    )
  }
  const problems = summary.problems.filter((problem) => !isNotice(problem))
  if (problems.length > 0)
    lines.push(
      annotation('error', `${problems.length} input(s) could not be read whole`, problems.slice(0, 10).map(formatProblem).join('\n')),
    )
  if (lines.length === 0) lines.push(annotation('notice', 'dovediag logs', `No known problems in ${diagnosis.records} record(s).`))
  return lines.join('\n') + '\n'
}
