import {type CodeExplanation, explainCode} from '../exit-codes/explain.js'
import {type MigrationRow, type PolicyProblem, shellCode} from './migration-row.js'
import {diagnoseStderr, firstErrorLine, firstSevereLine, type StderrDiagnosis} from './stderr.js'
import {ownCopy} from '../ingest/own-copy.js'
import {ACTION_URGENCY, type MigrationAction, type Phase} from '../exit-codes/actions.js'
import {type AttemptIdentity, compareAttempts, identityOf} from './duplicate-attempts.js'
import {byCodeUnits} from '../code-unit-order.js'

/**
 * doveadm HTTP API error types other than `exitCode`: not exit codes, so not in the exit-code catalog,
 * but they decide a user's result just the same. All are dovediag's judgement (the API docs list no
 * actions): wrong API credentials fail every request, like a broken configuration (78), so they stop all.
 */
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

export interface MigrationPolicyOptions {
  phase: Phase
  /** A user whose latest code says `retry` after this many attempts is `fail` instead. Null: no budget. */
  maxRetries: number | null
  /** What a stderr capture says went wrong (the log catalog); replaceable for tests. */
  diagnose?: (stderr: string) => StderrDiagnosis | null
  /** --strict: a user whose sync exited 0 with errors on stderr fails instead of being done. */
  strict?: boolean
  /** --fold-case: user names differing only in case are one user, named in lower case (%Lu). */
  foldCase?: boolean
  /** A problem the policy finds in the inputs (one attempt with two results); it is also kept in `problems`. */
  onProblem?(problem: PolicyProblem): void
}

/** The verdict for one user: the `users[]` items of `migration check --json` (keep stable). */
export interface UserVerdict {
  user: string
  /** The deciding attempt's code (128+N for a signal); null for an HTTP API error type. */
  code: number | null
  label: string
  action: MigrationAction
  attempts: number
  reason: string
  /** What to do, concretely (from the exit-code catalog). */
  advice: string
  /** The docs ask to flag this user for investigation (or the inputs gave one attempt two results). */
  investigate: boolean
  /** The sync exited 0 but its stderr reports errors (`mkdir(...) failed`): done, with errors (fail under --strict). */
  doneWithErrors: boolean
  /** The user is only an HTTP API tag no request or --tag-pattern maps (`req-16`): never written to the lists. */
  unmappedTag: boolean
  signal: {number: number; name: string} | null
  /** The log catalog's reading of the deciding attempt's stderr. */
  diagnosis: StderrDiagnosis | null
  host: string | null
  /** Where the deciding attempt was read. */
  source: {file: string; line: number | null}
}

/** A row whose code means stop every migration (77, 78, an API credentials error), wherever it is. */
export interface SuspendAllCause {
  user: string
  code: number | null
  label: string
  attempt: number | null
  source: {file: string; line: number | null}
}

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
 * A captured stderr of up to this many characters is kept as it is while its attempt decides, and read once
 * the verdicts are made: a later attempt may yet replace it (in the bench's 100 000-row wave it replaces 18 428
 * of the 48 902 captures, whose reading was wasted), and reading it costs more than keeping it. A longer
 * one is read when its attempt becomes the latest and only its note is kept (at most 200 characters), so
 * what a user costs stays bounded. The bench's captures are 148 characters (median), 319 at most.
 */
const KEPT_CAPTURE_CHARS = 512

/**
 * What the ledger keeps of one user: the deciding (latest) attempt so far, cut down to its identity (for
 * duplicates) and to what the verdict reports, plus the identities of the user's other attempts. Never a
 * row: a wave keeps one of these per user (~230 bytes with the name and the map entry, ~130 more per
 * further distinct attempt, and the deciding attempt's stderr: see KEPT_CAPTURE_CHARS).
 */
interface UserState extends AttemptIdentity<Reading> {
  // The deciding attempt: its identity (`result` is its shared reading) and reading position ...
  order: number
  // ... and what the verdict reports of it besides.
  host: string | null
  /** The stderr capture, when it is short enough to keep (KEPT_CAPTURE_CHARS) ... */
  capture: string | null
  /** ... else what it says, read at once (null for none). */
  note: StderrNote
  /** The user's other distinct attempts (duplicates left out); null while there is one, as for most users. */
  earlier: AttemptIdentity<Reading>[] | null
  /** The first attempt the inputs gave two results, described; null for nearly every user. */
  conflict: string | null
  /** Every row of the user came from an unmapped HTTP API tag. */
  unmappedTag: boolean
}

/**
 * A new user's state, its first row deciding. An object literal, not a class instance: V8 pretenures what
 * a literal makes once nearly all of it survives (see tuneEngineForMigration), so the states of a wave are
 * made in the old generation instead of being copied there by two scavenges each.
 */
function newUserState(row: MigrationRow, reading: Reading, host: string | null, capture: string | null, note: StderrNote): UserState {
  return {
    attempt: row.attempt,
    result: reading,
    started: row.started,
    finished: row.finished,
    source: row.source,
    line: row.line,
    order: row.order,
    host,
    capture,
    note,
    earlier: null,
    conflict: null,
    unmappedTag: row.unmappedTag,
  }
}

/**
 * The attempts the user had: the distinct attempts seen, or the highest attempt number among them when it
 * is more (an export that numbers attempts may hold only the last one: the number counts, not just the rows).
 */
function attemptsOf(state: UserState): number {
  let highest = state.attempt ?? 0
  if (state.earlier === null) return Math.max(1, highest)
  for (const attempt of state.earlier) highest = Math.max(highest, attempt.attempt ?? 0)
  return Math.max(1 + state.earlier.length, highest)
}

/** The attempt kept that this one repeats ('same') or contradicts ('conflict'), if any (see compareAttempts). */
function knownAttempt(
  state: UserState,
  attempt: AttemptIdentity<Reading>,
): {relation: 'same' | 'conflict'; kept: AttemptIdentity<Reading>} | null {
  const relation = compareAttempts(state, attempt)
  if (relation !== 'distinct') return {relation, kept: state}
  if (state.earlier === null) return null
  for (const kept of state.earlier) {
    const relation = compareAttempts(kept, attempt)
    if (relation !== 'distinct') return {relation, kept}
  }
  return null
}

/** Another distinct attempt, not the latest: its identity, kept as it is (see identityOf). */
function addEarlier(state: UserState, identity: AttemptIdentity<Reading>): void {
  // Arrays of exact size (a literal, concat): one pushed or spread to reserves room for 17 items, and
  // most users have one or two attempts.
  state.earlier = state.earlier === null ? [identity] : state.earlier.concat([identity])
}

/** Another distinct attempt, later than the deciding one: it decides now. */
function addLatest(
  state: UserState,
  row: MigrationRow,
  reading: Reading,
  host: string | null,
  capture: string | null,
  note: StderrNote,
): void {
  addEarlier(state, identityOf(state))
  state.attempt = row.attempt
  state.result = reading
  state.started = row.started
  state.finished = row.finished
  state.source = row.source
  state.line = row.line
  state.order = row.order
  state.host = host
  state.capture = capture
  state.note = note
}

/**
 * Attempts per user, in: the verdict per user, out. Rows may come in any order; memory grows with the
 * number of users and their distinct attempts, never with rows (see UserState). The same attempt reported
 * by two inputs counts once (see compareAttempts); the first one read is kept. 77/78 in any attempt of any
 * user means suspend-all for the whole wave.
 */
export class MigrationLedger {
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
    if (state === undefined) {
      // A user's first row (nearly every row of a wave): it decides, and nothing is known to compare it with.
      this.suspendAllCause(row, reading)
      this.decides(row, reading, undefined)
      return
    }
    const attempt = identityOf(row, reading)
    const known = knownAttempt(state, attempt)
    if (known?.relation === 'same') {
      this.duplicateAttempts++
      return
    }
    if (known?.relation === 'conflict') {
      const other = `${codeLabel(known.kept.result)} at ${known.kept.source}${known.kept.line ? `:${known.kept.line}` : ''}`
      const message = `attempt ${row.attempt} of ${row.user} is ${codeLabel(reading)} here but ${other}: conflicting results, the user is marked fail`
      state.conflict ??= `conflicting results for attempt ${row.attempt} (${codeLabel(reading)} at ${row.source}:${row.line}, ${other}): check the exports`
      const problem = {source: row.source, line: row.line || null, message}
      this.problems.push(problem)
      this.options.onProblem?.(problem)
      return
    }
    state.unmappedTag &&= row.unmappedTag
    this.suspendAllCause(row, reading)
    if (isLaterAttempt(row, state)) this.decides(row, reading, state)
    else addEarlier(state, attempt)
  }

  /** A row whose result stops every migration is a suspend-all cause, whatever attempt it is. */
  private suspendAllCause(row: MigrationRow, reading: Reading): void {
    if (reading.action !== 'suspend-all') return
    this.suspendAllCauses.push({
      user: row.user,
      code: reading.code,
      label: reading.label,
      attempt: row.attempt,
      source: {file: row.source, line: row.line || null},
    })
  }

  /** The row is its user's deciding attempt now: a new user's, or later than the state's. */
  private decides(row: MigrationRow, reading: Reading, state: UserState | undefined): void {
    // The deciding attempt's stderr: kept as it is when short, else read now (see KEPT_CAPTURE_CHARS).
    const long = row.stderr !== null && row.stderr.length > KEPT_CAPTURE_CHARS
    const capture = long ? null : keptCapture(row.stderr)
    const note = long ? this.stderrNote(row.stderr, reading) : null
    if (state) addLatest(state, row, reading, this.hostName(row.host), capture, note)
    else this.users.set(row.user, newUserState(row, reading, this.hostName(row.host), capture, note))
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

  /** What a deciding attempt's stderr says: the catalog's diagnosis, else the line the reason quotes, else null. */
  private stderrNote(stderr: string | null, reading: Reading): StderrNote {
    if (!stderr) return null
    // For 'done', only an error says something (done, with errors); another action quotes its first line.
    return this.diagnose(stderr) ?? (reading.action === 'done' ? firstSevereLine(stderr) : firstErrorLine(stderr))
  }

  /** One verdict per user, sorted by user name. */
  verdicts(): UserVerdict[] {
    const reasons = new SharedReasons()
    // sort() without a comparator orders strings by UTF-16 code units, as < does, with no call per comparison.
    return [...this.users.keys()].sort().map((user) => this.verdict(user, this.users.get(user)!, reasons))
  }

  private verdict(user: string, state: UserState, reasons: SharedReasons): UserVerdict {
    const reading = state.result
    const {conflict} = state
    const stderr = state.capture === null ? state.note : this.stderrNote(state.capture, reading)
    const diagnosis = typeof stderr === 'object' ? stderr : null
    const errorLine = typeof stderr === 'string' ? stderr : null
    const attempts = attemptsOf(state)
    const {maxRetries, strict = false} = this.options
    const budgetUsed = reading.action === 'retry' && maxRetries !== null && attempts >= maxRetries
    // Exited 0, yet stderr reports an error (a real `doveadm backup` does after `mkdir(...) failed`).
    const doneWithErrors = reading.action === 'done' && stderr !== null
    const action = conflict !== null || budgetUsed || (doneWithErrors && strict) ? 'fail' : reading.action
    // Without a quoted stderr line or a conflict a reason is one of a few: one string for all who share it.
    const shared = errorLine === null && conflict === null
    let reason = shared ? reasons.find(reading, diagnosis, budgetUsed ? attempts : 0) : undefined
    if (reason === undefined) {
      reason = reasonText({reading, attempts, budgetUsed, maxRetries, doneWithErrors, strict, conflict, action, diagnosis, errorLine})
      if (shared) reasons.keep(reading, diagnosis, budgetUsed ? attempts : 0, reason)
    }
    return {
      user,
      code: reading.code,
      label: reading.label,
      action,
      attempts,
      reason,
      advice: reading.advice,
      investigate: reading.investigate || conflict !== null,
      doneWithErrors,
      unmappedTag: state.unmappedTag,
      signal: reading.signal,
      diagnosis,
      host: state.host,
      source: {file: state.source, line: state.line || null},
    }
  }
}

/** What a verdict's reason says: the deciding reading and what changed its action. */
interface ReasonFacts {
  reading: Reading
  attempts: number
  /** The retry budget (--max-retries) is used up: retry became fail. */
  budgetUsed: boolean
  maxRetries: number | null
  doneWithErrors: boolean
  strict: boolean
  conflict: string | null
  action: MigrationAction
  diagnosis: StderrDiagnosis | null
  errorLine: string | null
}

/** A verdict's reason: its reading's meaning, then what changed the action, then what stderr says. */
function reasonText(why: ReasonFacts): string {
  const {reading, conflict} = why
  const parts = [reading.code === null ? reading.meaning : `${reading.code} ${reading.label}: ${reading.meaning}`]
  if (why.budgetUsed) {
    parts.push(`retry budget used up (${why.attempts} attempts, --max-retries ${why.maxRetries}): mark as error or requeue for later`)
  }
  if (why.doneWithErrors) {
    parts.push(
      why.strict
        ? 'exited 0 but stderr reports errors (--strict: counted as fail)'
        : 'done, with errors: exited 0 but stderr reports errors',
    )
  }
  if (conflict !== null) parts.push(conflict)
  if ((reading.investigate || conflict !== null) && why.action !== 'done') parts.push('flag the user for investigation')
  if (why.diagnosis) parts.push(`stderr: ${why.diagnosis.title} (${why.diagnosis.rule})`)
  else if (why.errorLine) parts.push(`stderr: ${why.errorLine}`)
  return parts.join('; ')
}

/**
 * The reasons of verdicts without a quoted stderr line or a conflict, one string each. Such a reason follows
 * from the reading, the diagnosis (which also says whether a done user is done with errors) and, when the
 * retry budget was used up, the number of attempts (the options are the ledger's): found by those, it is
 * neither built nor hashed again for each of the thousands of users who share it.
 */
class SharedReasons {
  /** Reason by reading, by diagnosis, by attempts when the budget was used up (else 0). */
  private readonly byReading = new Map<Reading, Map<StderrDiagnosis | null, Map<number, string>>>()

  find(reading: Reading, diagnosis: StderrDiagnosis | null, budgetAttempts: number): string | undefined {
    return this.byReading.get(reading)?.get(diagnosis)?.get(budgetAttempts)
  }

  keep(reading: Reading, diagnosis: StderrDiagnosis | null, budgetAttempts: number, reason: string): void {
    let byDiagnosis = this.byReading.get(reading)
    if (byDiagnosis === undefined) this.byReading.set(reading, (byDiagnosis = new Map<StderrDiagnosis | null, Map<number, string>>()))
    let byAttempts = byDiagnosis.get(diagnosis)
    if (byAttempts === undefined) byDiagnosis.set(diagnosis, (byAttempts = new Map<number, string>()))
    byAttempts.set(budgetAttempts, reason)
  }
}

/** A short capture kept as it is (see KEPT_CAPTURE_CHARS): a copy, not a slice of the input's text. */
const keptCapture = (stderr: string | null): string | null => (stderr ? ownCopy(stderr) : null)

/** "75 EX_TEMPFAIL", or "API internalError" for an HTTP API error type. */
const codeLabel = (reading: Pick<Reading, 'code' | 'label'>): string =>
  reading.code === null ? reading.label : `${reading.code} ${reading.label}`

const MAY_FOLD = /[A-Z\u0080-\uFFFF]/

/**
 * Groups of user names that differ only in case (`Alice@Example.com`, `alice@example.com`): Dovecot setups
 * usually fold case (auth_username_format = %Lu), so they are likely one mailbox counted twice.
 */
export function caseVariants(users: readonly string[]): string[][] {
  // Only a name holding an upper-case or a non-ASCII letter can change in lower case, so a group of two or
  // more holds such a name, and its other names are such names or that lower case itself. The rest (nearly
  // every name of a wave) need no lower-casing and no entry in the map.
  const lowerCases = new Set<string>()
  for (const user of users) if (MAY_FOLD.test(user)) lowerCases.add(user.toLowerCase())
  if (lowerCases.size === 0) return []
  const byFolded = new Map<string, string[]>()
  for (const user of users) {
    if (!MAY_FOLD.test(user) && !lowerCases.has(user)) continue
    const folded = user.toLowerCase()
    const group = byFolded.get(folded)
    if (group === undefined) byFolded.set(folded, [user])
    else group.push(user)
  }
  return [...byFolded.values()].filter((group) => group.length > 1)
}

/** A suspend-all cause, marked with whether it is its user's deciding (latest) attempt. */
export interface SuspendAllAttempt extends SuspendAllCause {
  /** True when this attempt decides the user's action (so the user counts under `suspend-all`). */
  deciding: boolean
}

/**
 * What every report format says about suspend-all (the `suspendAllSummary` of `--json`). Two counts that
 * differ on purpose: codes seen on any attempt stop the wave, but a user whose latest attempt went on to
 * another result is counted under that result, not under the `suspend-all` action.
 */
export interface SuspendAllSummary {
  /** Suspend-all codes seen on any attempt of any user: per code, the users and attempts that had it. */
  codesSeen: {code: number | null; label: string; users: number; attempts: number}[]
  /** Users with a suspend-all code on any attempt. */
  usersSeen: number
  /** Users whose deciding (latest) result is suspend-all: the `suspend-all` action count. */
  usersDeciding: number
  /** Users with a suspend-all code on an earlier attempt only. */
  usersEarlierOnly: number
}

/** The one computation of suspend-all for every output: the summary, and each cause marked deciding or not. */
export function summarizeSuspendAll(
  causes: readonly SuspendAllCause[],
  verdicts: readonly UserVerdict[],
): {summary: SuspendAllSummary; causes: SuspendAllAttempt[]} {
  const decidingSource = new Map(
    verdicts.filter((verdict) => verdict.action === 'suspend-all').map((verdict) => [verdict.user, verdict.source]),
  )
  const marked = causes.map((cause): SuspendAllAttempt => {
    const source = decidingSource.get(cause.user)
    const deciding = source !== undefined && source.file === cause.source.file && source.line === cause.source.line
    // Not `{...cause, deciding}`: V8 gives every such copy a hidden class of its own (a broken configuration
    // makes every user a cause).
    return {user: cause.user, code: cause.code, label: cause.label, attempt: cause.attempt, source: cause.source, deciding}
  })
  const byCode = new Map<string, {code: number | null; label: string; users: Set<string>; attempts: number}>()
  for (const cause of marked) {
    const key = `${cause.code}\u0000${cause.label}`
    const entry = byCode.get(key) ?? {code: cause.code, label: cause.label, users: new Set<string>(), attempts: 0}
    entry.users.add(cause.user)
    entry.attempts++
    byCode.set(key, entry)
  }
  const usersSeen = new Set(marked.map((cause) => cause.user)).size
  const usersDeciding = new Set(marked.filter((cause) => cause.deciding).map((cause) => cause.user)).size
  return {
    summary: {
      codesSeen: [...byCode.values()]
        .sort((a, b) => (a.code ?? -1) - (b.code ?? -1) || byCodeUnits(a.label, b.label))
        .map(({code, label, users, attempts}) => ({code, label, users: users.size, attempts})),
      usersSeen,
      usersDeciding,
      usersEarlierOnly: usersSeen - usersDeciding,
    },
    causes: marked,
  }
}

export interface CodeCount {
  code: number | null
  label: string
  action: MigrationAction
  users: number
}

export interface MigrationTotals {
  users: number
  byAction: Record<MigrationAction, number>
  /** Users done whose stderr reports errors (counted under done in byAction; under fail with --strict). */
  doneWithErrors: number
  /** Users per deciding code (and per action, since the retry budget can turn a retry code into fail). */
  byCode: CodeCount[]
}

export function totals(verdicts: readonly UserVerdict[]): MigrationTotals {
  const byAction = Object.fromEntries(ACTION_URGENCY.map((action) => [action, 0])) as Record<MigrationAction, number>
  const byCode = new Map<string, CodeCount>()
  for (const verdict of verdicts) {
    byAction[verdict.action]++
    const key = `${verdict.code}\u0000${verdict.label}\u0000${verdict.action}`
    const count = byCode.get(key) ?? {code: verdict.code, label: verdict.label, action: verdict.action, users: 0}
    count.users++
    byCode.set(key, count)
  }
  const sorted = [...byCode.values()].sort(
    (a, b) =>
      ACTION_URGENCY.indexOf(a.action) - ACTION_URGENCY.indexOf(b.action) ||
      (a.code ?? -2) - (b.code ?? -2) ||
      byCodeUnits(a.label, b.label),
  )
  return {
    users: verdicts.length,
    byAction,
    doneWithErrors: verdicts.filter((verdict) => verdict.doneWithErrors && verdict.action === 'done').length,
    byCode: sorted,
  }
}
