import {signalName, signalNumber} from '../signals.js'
import type {MigrationAction, Phase} from './actions.js'
import {DOCS, EXIT_CODES, type ExitCodeEntry} from './catalog.js'

/** How an input number was read. */
export type Interpretation =
  | 'exact' // a code dovediag knows, as given
  | 'wrapped' // a process status (0-255) that is most likely a larger Dovecot code seen through a shell
  | 'signal' // 128+N: the process was killed by signal N
  | 'undocumented' // a valid number that no source defines: treated as a failure

/** The `--json` shape of one explained code (documented in the README; keep stable). */
export interface CodeExplanation {
  input: string
  /** The code as given (after reading a label or a 32-bit unsigned -1). */
  code: number
  /** What a shell shows for it: exit statuses are 8 bits. */
  status: number
  interpretation: Interpretation
  /** The Dovecot code this most likely is (differs from `code` for `wrapped`). */
  dovecotCode: number | null
  label: string
  meaning: string
  explanation: string
  notes: string[]
  signal: {number: number; name: string} | null
  /** Action in the requested phase. */
  phase: Phase
  action: MigrationAction
  actions: Record<Phase, MigrationAction>
  /** Whether the code counts as done for an intermediate sync, and for the final cut-over. */
  intermediate: boolean
  final: boolean
  advice: string
  /** Flag the user for investigation besides marking the migration failed (65, 73). */
  investigate: boolean
  actionBasis: ExitCodeEntry['actionBasis']
  origin: ExitCodeEntry['origin'] | 'signal' | 'none'
  versions: string | null
  docs: string
}

export class ExitCodeInputError extends Error {
  /** Set when the input was a name no code has (`TEMPFAL`), so a caller can offer the nearest ones. */
  constructor(
    message: string,
    readonly unknownName = false,
  ) {
    super(message)
  }
}

const BY_CODE = new Map(EXIT_CODES.map((entry) => [entry.code, entry]))

/** `EX_TEMPFAIL`, `TEMPFAIL`, `tempfail`, `ex-tempfail` all name the same code. */
export function nameKey(name: string): string {
  return name
    .toUpperCase()
    .replaceAll('-', '_')
    .replace(/^DOVEADM_/, '')
    .replace(/^(EX|FATAL)_/, '')
}

/** Every label and alias a code can be named by (EX_TEMPFAIL, DOVEADM_EX_NOTFOUND...). */
export const CODE_NAMES: readonly string[] = EXIT_CODES.flatMap((entry) => [entry.label, ...entry.aliases])

const BY_NAME = new Map<string, number>()
for (const entry of EXIT_CODES) {
  for (const name of [entry.label, ...entry.aliases]) BY_NAME.set(nameKey(name), entry.code)
}

const SIGNAL_ADVICE: Record<string, string> = {
  SIGABRT: 'Dovecot aborts on a Panic or a failed assertion: find the "Panic:" line and report the bug with a backtrace.',
  SIGKILL: 'Usually the kernel OOM killer (check dmesg for "Out of memory: Killed process") or a timeout wrapper using SIGKILL.',
  SIGTERM: 'Stopped from outside: a timeout wrapper, a service restart or an operator.',
  SIGINT: 'Interrupted from the terminal (Ctrl-C).',
  SIGSEGV: 'doveadm crashed: report the bug to Dovecot with a core dump or backtrace.',
  SIGPIPE: 'The other end of a pipe went away, e.g. the remote dsync or ssh connection closed.',
}

/** The process exit status a shell shows for a code. */
export function shellStatus(code: number): number {
  return ((code % 256) + 256) % 256
}

const MAX_UNSIGNED_32 = 0xffffffff

/** Reads a command-line argument (number or label) into a code, or throws ExitCodeInputError. */
export function parseCodeArgument(input: string): number {
  const text = input.trim().replace(/^\u2212/, '-') // accept a typographic minus from copied docs
  if (/^[+-]?\d+$/.test(text)) {
    const value = Number(text)
    if (value === MAX_UNSIGNED_32) return -1 // "Remote command returned error 4294967295" is -1 printed unsigned
    if (value < 0 && value !== -1) {
      throw new ExitCodeInputError(
        `'${input}' is not an exit code: the only negative code is -1 (DOVEADM_EX_UNKNOWN); exit statuses are 0-255`,
      )
    }
    if (!Number.isSafeInteger(value) || value > MAX_UNSIGNED_32) {
      throw new ExitCodeInputError(`'${input}' is out of range for an exit code (0-255, Dovecot codes up to 1003, or -1)`)
    }
    return value
  }
  const bySignal = signalNumber(text.toUpperCase())
  if (bySignal !== undefined) return 128 + bySignal
  const byName = BY_NAME.get(nameKey(text))
  if (byName !== undefined) return byName
  throw new ExitCodeInputError(
    `'${input}' is not a known exit code or label (try a number such as 75, a label such as EX_TEMPFAIL, or 'dovediag exit --all')`,
    true,
  )
}

/** Codes above 255 that a shell would show as the given status. */
function wrappedCandidates(status: number): ExitCodeEntry[] {
  return EXIT_CODES.filter((entry) => (entry.code > 255 || entry.code < 0) && shellStatus(entry.code) === status)
}

function isDone(action: MigrationAction): boolean {
  return action === 'done'
}

function fromEntry(input: string, code: number, entry: ExitCodeEntry, phase: Phase, extra: Partial<CodeExplanation> = {}): CodeExplanation {
  const actions: Record<Phase, MigrationAction> = {
    intermediate: entry.action,
    final: entry.finalAction ?? entry.action,
  }
  return {
    input,
    code,
    status: shellStatus(code),
    interpretation: 'exact',
    dovecotCode: entry.code,
    label: entry.label,
    meaning: entry.meaning,
    explanation: entry.explanation,
    notes: [...entry.notes],
    signal: null,
    phase,
    action: actions[phase],
    actions,
    intermediate: isDone(actions.intermediate),
    final: isDone(actions.final),
    advice: entry.advice,
    investigate: entry.investigate ?? false,
    actionBasis: entry.actionBasis,
    origin: entry.origin,
    versions: entry.versions ?? null,
    docs: entry.docs,
    ...extra,
  }
}

function failure(
  input: string,
  code: number,
  phase: Phase,
  fields: Pick<CodeExplanation, 'interpretation' | 'label' | 'meaning' | 'explanation' | 'notes' | 'signal' | 'advice' | 'origin' | 'docs'>,
): CodeExplanation {
  return {
    input,
    code,
    status: shellStatus(code),
    dovecotCode: null,
    phase,
    action: 'fail',
    actions: {intermediate: 'fail', final: 'fail'},
    intermediate: false,
    final: false,
    investigate: false,
    actionBasis: 'documented', // doveadm-sync(1): "1, >2: synchronization failed"
    versions: null,
    ...fields,
  }
}

/** Explains one code (already parsed) for a migration phase. */
export function explainCode(code: number, phase: Phase = 'intermediate', input: string = String(code)): CodeExplanation {
  const entry = BY_CODE.get(code)
  if (entry) {
    const notes: string[] = []
    if (input === '4294967295') notes.push('4294967295 is -1 printed as an unsigned number by remote dsync.')
    if (shellStatus(code) !== code) {
      notes.push(
        `A shell shows ${code} as ${shellStatus(code)} (exit statuses are 8 bits); the HTTP API's exitCode reports ${code} itself.`,
      )
    }
    return fromEntry(input, code, entry, phase, {notes: [...notes, ...entry.notes]})
  }

  const wrapped = code >= 0 && code <= 255 ? wrappedCandidates(code) : []
  if (wrapped.length > 0) {
    const [likely] = wrapped
    const extraNotes = [
      `${code} is not a doveadm code itself: exit statuses are 8 bits, so a shell shows ${likely.label} (${likely.code}) as ${code}; the HTTP API would report ${likely.code}.`,
    ]
    if (code === 255) extraNotes.push('ssh also exits 255 when the connection fails: with an ssh destination, check that first.')
    return fromEntry(input, code, likely, phase, {interpretation: 'wrapped', notes: [...extraNotes, ...likely.notes]})
  }

  if (code > 128 && code <= 128 + 64) {
    const number = code - 128
    const name = signalName(number)
    return failure(input, code, phase, {
      interpretation: 'signal',
      label: name,
      meaning: `Killed by signal ${number} (${name})`,
      explanation: `A shell reports 128+N when a process dies of signal N: doveadm was killed by ${name}.`,
      notes: [],
      signal: {number, name},
      advice: `Mark failed. ${SIGNAL_ADVICE[name] ?? 'Find out what sent the signal.'}`,
      origin: 'signal',
      docs: DOCS.bugReport,
    })
  }

  return failure(input, code, phase, {
    interpretation: 'undocumented',
    label: 'UNDOCUMENTED',
    meaning: 'Not a documented doveadm code',
    explanation: `${code} is not a documented doveadm code: treat it as failed (doveadm-sync(1): any status other than 0 and 2 means the sync failed).`,
    notes: code > 255 ? [`A shell would show it as ${shellStatus(code)}; only the HTTP API reports codes above 255 as they are.`] : [],
    signal: null,
    advice: 'Mark failed and read stderr for the cause.',
    origin: 'none',
    docs: DOCS.syncExitStatus,
  })
}

/** Explains every code dovediag knows, in numeric order (-1 last). */
export function explainAll(phase: Phase = 'intermediate'): CodeExplanation[] {
  const ordered = [...EXIT_CODES].sort((a, b) => (a.code < 0 ? 1 : b.code < 0 ? -1 : a.code - b.code))
  return ordered.map((entry) => explainCode(entry.code, phase))
}
