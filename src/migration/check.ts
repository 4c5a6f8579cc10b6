import type {Readable} from 'node:stream'

import {ExitStatus, worstStatus} from '../exit-status.js'
import type {Phase} from '../exit-codes/actions.js'
import {
  caseVariants,
  MigrationLedger,
  type MigrationTotals,
  summarizeSuspendAll,
  type SuspendAllAttempt,
  type SuspendAllSummary,
  totals,
  type UserVerdict,
} from '../policy/migration.js'
import {collectRows, type InputSummary} from './collect.js'
import type {TagReading} from './api-tags.js'
import type {ColumnOverrides, InputFormat, MigrationProblem, MigrationWarning} from './record.js'
import type {StderrDiagnosis} from '../policy/stderr.js'

/** The `migration check --json` document (documented in the README; keep stable). */
export interface MigrationReport {
  /**
   * False when reading stopped before the end of the inputs (Ctrl-C, SIGTERM) or an input shrank while it was
   * read: the users and counts cover what was read, and the user lists were not written.
   */
  complete: boolean
  phase: Phase
  maxRetries: number | null
  /** The process exit status this report gives. */
  status: number
  /** True when any attempt of any user got a stop-everything code: stop every migration. */
  suspendAll: boolean
  /** Every attempt with a suspend-all code, marked `deciding` when it is its user's latest. */
  suspendAllCauses: SuspendAllAttempt[]
  /** What every format reports about suspend-all (see summarizeSuspendAll). */
  suspendAllSummary: SuspendAllSummary
  /** `duplicateAttempts`: rows that repeat an attempt another row already gave (overlapping exports), counted once. */
  totals: MigrationTotals & {rows: number; duplicateAttempts: number; inputs: number; problems: number}
  /** One verdict per user, sorted by user name. */
  users: UserVerdict[]
  problems: MigrationProblem[]
  /** What the team should know that loses no result (users differing only in case, ignored API responses). */
  warnings: MigrationWarning[]
  inputs: InputSummary[]
}

export interface CheckOptions {
  phase: Phase
  maxRetries: number | null
  format?: InputFormat
  overrides: ColumnOverrides
  tags: TagReading
  /** --strict: done with errors on stderr counts as fail. */
  strict?: boolean
  /** --fold-case: user names differing only in case are one user. */
  foldCase?: boolean
  onProblem?: (problem: MigrationProblem) => void
  onWarning?: (warning: MigrationWarning) => void
  diagnose?: (stderr: string) => StderrDiagnosis | null
  stdin?: Readable
  /** Ctrl-C: stop reading, report what was read (status 130). */
  signal?: AbortSignal
}

/** The exit status for a report: suspend-all beats unreadable input beats users needing action. */
function reportStatus(report: Pick<MigrationReport, 'suspendAll' | 'problems' | 'users'>): number {
  return worstStatus(
    report.suspendAll ? ExitStatus.SUSPEND_ALL : ExitStatus.OK,
    report.problems.length > 0 ? ExitStatus.INPUT_ERROR : ExitStatus.OK,
    report.users.some((user) => user.action !== 'done') ? ExitStatus.ACTION_NEEDED : ExitStatus.OK,
  )
}

/** Reads every input, applies the migration policy per user, and reports. */
export async function checkMigration(args: string[], options: CheckOptions): Promise<MigrationReport> {
  const ledger = new MigrationLedger({
    phase: options.phase,
    maxRetries: options.maxRetries,
    diagnose: options.diagnose,
    strict: options.strict,
    foldCase: options.foldCase,
    onProblem: options.onProblem,
  })
  const collected = await collectRows(args, {
    format: options.format,
    overrides: options.overrides,
    tags: options.tags,
    stdin: options.stdin,
    signal: options.signal,
    onRow: (row) => ledger.add(row),
    onProblem: options.onProblem,
  })
  const users = ledger.verdicts()
  const problems = [...collected.problems, ...ledger.problems]
  const warnings = [...collected.warnings]
  const variants = options.foldCase ? [] : caseVariants(users.map((user) => user.user))
  if (variants.length > 0) {
    const shown = variants
      .slice(0, 5)
      .map((group) => group.join(' / '))
      .join(', ')
    const more = variants.length > 5 ? ` … and ${variants.length - 5} more` : ''
    warnings.push({
      kind: 'case-variants',
      message: `${variants.length} user name(s) differ only in case (${shown}${more}): counted as separate users; Dovecot usually folds case (auth_username_format = %Lu), --fold-case counts them as one`,
    })
  }
  for (const warning of warnings) options.onWarning?.(warning)
  const suspendAll = summarizeSuspendAll(ledger.suspendAllCauses, users)
  const report: MigrationReport = {
    complete: !options.signal?.aborted && !collected.shrank,
    phase: options.phase,
    maxRetries: options.maxRetries,
    status: ExitStatus.OK,
    suspendAll: ledger.suspendAllCauses.length > 0,
    suspendAllCauses: suspendAll.causes,
    suspendAllSummary: suspendAll.summary,
    totals: {
      ...totals(users),
      rows: collected.rows,
      duplicateAttempts: ledger.duplicateAttempts,
      inputs: collected.inputs.length,
      problems: problems.length,
    },
    users,
    problems,
    warnings,
    inputs: collected.inputs,
  }
  report.status = worstStatus(reportStatus(report), options.signal?.aborted ? ExitStatus.INTERRUPTED : ExitStatus.OK)
  return report
}
