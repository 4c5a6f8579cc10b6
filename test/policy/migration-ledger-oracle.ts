/**
 * The migration ledger as it was before the verdicts' reasons were shared by the facts they follow from
 * instead of by their text (src/policy/migration.ts at 81f407b), kept as the oracle of
 * test/policy/migration-ledger.test.ts. Do not change it: it is the reference.
 */
import {explainCode} from '../../src/exit-codes/explain.js'
import type {CodeExplanation} from '../../src/exit-codes/explain.js'
import {type MigrationRow, type PolicyProblem, shellCode} from '../../src/policy/migration-row.js'
import {diagnoseStderr, firstErrorLine, firstSevereLine, type StderrDiagnosis} from '../../src/policy/stderr.js'
import type {MigrationAction, Phase} from '../../src/exit-codes/actions.js'
import {type AttemptIdentity, compareAttempts, identityOf} from '../../src/policy/duplicate-attempts.js'
import type {MigrationPolicyOptions, SuspendAllCause, UserVerdict} from '../../src/policy/migration.js'

const API_ERROR_TYPES: Record<string, {action: MigrationAction; meaning: string}> = {
  unAuthorized: {
    action: 'suspend-all',
    meaning: 'the doveadm HTTP API refused the credentials: every request fails until doveadm_password / doveadm_api_key is fixed',
  },
  unknownMethod: {action: 'fail', meaning: 'the doveadm HTTP API does not know the command (wrapper bug, or a Dovecot version without it)'},
  invalidRequest: {action: 'fail', meaning: 'the doveadm HTTP API rejected the request as malformed (wrapper bug)'},
  internalError: {action: 'fail', meaning: 'the doveadm server failed internally while running the command'},
}
const UNKNOWN_API_ERROR = {action: 'fail' as MigrationAction, meaning: 'an error type the doveadm HTTP API docs do not list'}

/** When an attempt ended, or started when that is all the export gives. */
const attemptTime = (attempt: Pick<MigrationRow, 'started' | 'finished'>): number | null => attempt.finished ?? attempt.started

type LaterAttemptFields = Pick<MigrationRow, 'attempt' | 'started' | 'finished' | 'order'>

/** True when `a` is a later attempt than `b`: by attempt number, then time, then reading order. */
function isLaterAttempt(a: LaterAttemptFields, b: LaterAttemptFields): boolean {
  if (a.attempt !== null && b.attempt !== null && a.attempt !== b.attempt) return a.attempt > b.attempt
  const [timeA, timeB] = [attemptTime(a), attemptTime(b)]
  if (timeA !== null && timeB !== null && timeA !== timeB) return timeA > timeB
  return a.order > b.order
}

interface CodeReading {
  label: string
  meaning: string
  action: MigrationAction
  advice: string
  investigate: boolean
  signal: CodeExplanation['signal']
}

/** What a row's result means in the phase: the exit-code catalog, the signal column, or the API error type. */
function readResult(row: Pick<MigrationRow, 'code' | 'signal' | 'apiError'>, phase: Phase): CodeReading & {code: number | null} {
  if (row.apiError !== null) {
    // Own properties only: an error type named `constructor` or `__proto__` is just an unknown type.
    const known = Object.hasOwn(API_ERROR_TYPES, row.apiError) ? API_ERROR_TYPES[row.apiError] : UNKNOWN_API_ERROR
    return {
      code: row.code,
      label: `API ${row.apiError}`,
      meaning: known.meaning,
      action: known.action,
      advice: 'See the doveadm HTTP API docs and the doveadm server log.',
      investigate: false,
      signal: null,
    }
  }
  const code = shellCode(row) as number
  const explained = explainCode(code, phase)
  return {
    code,
    label: explained.label,
    meaning: explained.meaning,
    action: explained.action,
    advice: explained.advice,
    investigate: explained.investigate,
    signal: explained.signal,
  }
}

type Reading = ReturnType<typeof readResult>

/**
 * The stderr of a deciding attempt, as the verdict reports it: the catalog's diagnosis (shared per rule),
 * else the one line the reason quotes (only for a user who needs action), else null.
 */
type StderrNote = StderrDiagnosis | string | null

/**
 * What the ledger keeps of one user: the deciding (latest) attempt so far, cut down to its identity (for
 * duplicates) and to what the verdict reports, plus the identities of the user's other attempts. Never a
 * row: a wave keeps one of these per user (~230 bytes with the name and the map entry, ~130 more per
 * further distinct attempt), so a captured stderr is read when its attempt becomes the latest and only
 * its note is kept.
 */
class UserState implements AttemptIdentity<Reading> {
  // The deciding attempt: its identity (`result` is its shared reading) and reading position ...
  attempt!: number | null
  result!: Reading
  started!: number | null
  finished!: number | null
  source!: string
  line!: number
  order!: number
  // ... and what the verdict reports of it besides.
  host!: string | null
  stderr!: StderrNote
  /** The user's other distinct attempts (duplicates left out); null while there is one, as for most users. */
  earlier: AttemptIdentity<Reading>[] | null = null
  /** The first attempt the inputs gave two results, described; null for nearly every user. */
  conflict: string | null = null
  /** Every row of the user came from an unmapped HTTP API tag. */
  unmappedTag: boolean

  constructor(row: MigrationRow, reading: Reading, host: string | null, stderr: StderrNote) {
    this.unmappedTag = row.unmappedTag
    this.decide(row, reading, host, stderr)
  }

  /** Distinct attempts seen, and the highest attempt number among them (0 for none). */
  attempts(): {count: number; highest: number} {
    let highest = this.attempt ?? 0
    for (const attempt of this.earlier ?? []) highest = Math.max(highest, attempt.attempt ?? 0)
    return {count: 1 + (this.earlier?.length ?? 0), highest}
  }

  /** The attempt kept that this one repeats ('same') or contradicts ('conflict'), if any (see compareAttempts). */
  known(attempt: AttemptIdentity<Reading>): {relation: 'same' | 'conflict'; kept: AttemptIdentity<Reading>} | null {
    for (const kept of [this as AttemptIdentity<Reading>, ...(this.earlier ?? [])]) {
      const relation = compareAttempts(kept, attempt)
      if (relation !== 'distinct') return {relation, kept}
    }
    return null
  }

  /** Another distinct attempt, not the latest. */
  addEarlier(attempt: AttemptIdentity<Reading>): void {
    // Arrays of exact size (a literal, concat): one pushed or spread to reserves room for 17 items, and
    // most users have one or two attempts.
    const identity = identityOf(attempt)
    this.earlier = this.earlier === null ? [identity] : this.earlier.concat([identity])
  }

  /** Another distinct attempt, later than the deciding one: it decides now. */
  addLatest(row: MigrationRow, reading: Reading, host: string | null, stderr: StderrNote): void {
    this.addEarlier(this)
    this.decide(row, reading, host, stderr)
  }

  private decide(row: MigrationRow, reading: Reading, host: string | null, stderr: StderrNote): void {
    this.attempt = row.attempt
    this.result = reading
    this.started = row.started
    this.finished = row.finished
    this.source = row.source
    this.line = row.line
    this.order = row.order
    this.host = host
    this.stderr = stderr
  }
}

/**
 * Attempts per user, in: the verdict per user, out. Rows may come in any order; memory grows with the
 * number of users and their distinct attempts, never with rows (see UserState). The same attempt reported
 * by two inputs counts once (see compareAttempts); the first one read is kept. 77/78 in any attempt of any
 * user means suspend-all for the whole wave.
 */
export class OracleLedger {
  private readonly users = new Map<string, UserState>()
  /** One reading per result (code or 128+signal, API error) seen: shared by every attempt with that result. */
  private readonly readings = new Map<string | number, Reading>()
  /** Host names, one string each: exports repeat a few hosts over every row. */
  private readonly hosts = new Map<string, string>()
  private readonly diagnose: (stderr: string) => StderrDiagnosis | null
  readonly suspendAllCauses: SuspendAllCause[] = []
  /** Rows left out as the same attempt as one already read. */
  duplicateAttempts = 0

  constructor(private readonly options: MigrationPolicyOptions) {
    this.diagnose = options.diagnose ?? diagnoseStderr
  }

  /** Problems the policy found in the inputs (attempts given two results). */
  readonly problems: PolicyProblem[] = []

  add(row: MigrationRow): void {
    if (this.options.foldCase) row.user = row.user.toLowerCase()
    const state = this.users.get(row.user)
    const reading = this.readingOf(row)
    const attempt: AttemptIdentity<Reading> = {
      attempt: row.attempt,
      result: reading,
      started: row.started,
      finished: row.finished,
      source: row.source,
      line: row.line,
    }
    const known = state?.known(attempt)
    if (known?.relation === 'same') {
      this.duplicateAttempts++
      return
    }
    if (known?.relation === 'conflict') {
      const other = `${codeLabel(known.kept.result)} at ${known.kept.source}${known.kept.line ? `:${known.kept.line}` : ''}`
      const message = `attempt ${row.attempt} of ${row.user} is ${codeLabel(reading)} here but ${other}: conflicting results, the user is marked fail`
      state!.conflict ??= `conflicting results for attempt ${row.attempt} (${codeLabel(reading)} at ${row.source}:${row.line}, ${other}): check the exports`
      const problem = {source: row.source, line: row.line || null, message}
      this.problems.push(problem)
      this.options.onProblem?.(problem)
      return
    }
    if (state) state.unmappedTag &&= row.unmappedTag
    if (reading.action === 'suspend-all') {
      this.suspendAllCauses.push({
        user: row.user,
        code: reading.code,
        label: reading.label,
        attempt: row.attempt,
        source: {file: row.source, line: row.line || null},
      })
    }
    if (!state) this.users.set(row.user, new UserState(row, reading, this.hostName(row.host), this.stderrNote(row, reading)))
    else if (isLaterAttempt(row, state)) state.addLatest(row, reading, this.hostName(row.host), this.stderrNote(row, reading))
    else state.addEarlier(attempt)
  }

  private readingOf(row: MigrationRow): Reading {
    const key = row.apiError === null ? (shellCode(row) as number) : `${row.apiError}\u0000${row.code}`
    let reading = this.readings.get(key)
    if (!reading) {
      reading = readResult(row, this.options.phase)
      this.readings.set(key, reading)
    }
    return reading
  }

  private hostName(host: string | null): string | null {
    if (host === null) return null
    const known = this.hosts.get(host)
    if (known !== undefined) return known
    this.hosts.set(host, host)
    return host
  }

  private stderrNote(row: MigrationRow, reading: Reading): StderrNote {
    if (!row.stderr) return null
    // For 'done', only an error says something (done, with errors); another action quotes its first line.
    return this.diagnose(row.stderr) ?? (reading.action === 'done' ? firstSevereLine(row.stderr) : firstErrorLine(row.stderr))
  }

  /** One verdict per user, sorted by user name. */
  verdicts(): UserVerdict[] {
    const reasons = new Map<string, string>()
    // sort() without a comparator orders strings by UTF-16 code units, as < does, with no call per comparison.
    return [...this.users.keys()].sort().map((user) => this.verdict(user, this.users.get(user)!, reasons))
  }

  /** `reasons`: the reasons given so far, so that users with the same reason share one string. */
  private verdict(user: string, state: UserState, reasons: Map<string, string>): UserVerdict {
    const reading = state.result
    const diagnosis = typeof state.stderr === 'object' ? state.stderr : null
    const errorLine = typeof state.stderr === 'string' ? state.stderr : null
    // An export that numbers attempts may hold only the last one: the number counts, not just the rows.
    const seen = state.attempts()
    const attempts = Math.max(seen.count, seen.highest)
    const parts = [reading.code === null ? reading.meaning : `${reading.code} ${reading.label}: ${reading.meaning}`]

    let action = reading.action
    const {maxRetries} = this.options
    if (action === 'retry' && maxRetries !== null && attempts >= maxRetries) {
      action = 'fail'
      parts.push(`retry budget used up (${attempts} attempts, --max-retries ${maxRetries}): mark as error or requeue for later`)
    }
    // Exited 0, yet stderr reports an error (a real `doveadm backup` does after `mkdir(...) failed`).
    const doneWithErrors = action === 'done' && state.stderr !== null
    if (doneWithErrors) {
      parts.push(
        this.options.strict
          ? 'exited 0 but stderr reports errors (--strict: counted as fail)'
          : 'done, with errors: exited 0 but stderr reports errors',
      )
      if (this.options.strict) action = 'fail'
    }
    if (state.conflict !== null) {
      action = 'fail'
      parts.push(state.conflict)
    }
    if ((reading.investigate || state.conflict !== null) && action !== 'done') parts.push('flag the user for investigation')
    if (diagnosis) parts.push(`stderr: ${diagnosis.title} (${diagnosis.rule})`)
    else if (errorLine) parts.push(`stderr: ${errorLine}`)
    let reason = parts.join('; ')
    if (errorLine === null && state.conflict === null) {
      // Without a quoted stderr line a reason is one of a few: one string for all who share it.
      reason = reasons.get(reason) ?? reason
      reasons.set(reason, reason)
    }
    return {
      user,
      code: reading.code,
      label: reading.label,
      action,
      attempts,
      reason,
      advice: reading.advice,
      investigate: reading.investigate || state.conflict !== null,
      doneWithErrors,
      unmappedTag: state.unmappedTag,
      signal: reading.signal,
      diagnosis,
      host: state.host,
      source: {file: state.source, line: state.line || null},
    }
  }
}

/** "75 EX_TEMPFAIL", or "API internalError" for an HTTP API error type. */
const codeLabel = (reading: Pick<Reading, 'code' | 'label'>): string =>
  reading.code === null ? reading.label : `${reading.code} ${reading.label}`
