/**
 * Why an input, or part of one, could not be read: one type and one wording for every command that reads
 * inputs. Each is one line on stderr and makes the exit status 2, except the notices (NOTICE_KINDS), where
 * everything was read but the user should know how; the other inputs are still read.
 */
export const INPUT_PROBLEM_KINDS = [
  'not-found', // a path that does not exist
  'no-match', // a glob that matches no file
  'is-directory', // a directory where the command takes files only
  'empty-directory', // a directory with none of the files the command reads in it
  'unreadable', // permission denied, or another error opening or reading it
  'binary', // not text (NUL bytes), e.g. a systemd .journal file
  'truncated-gzip', // the compressed data ends early or is corrupt; what came before is kept
  'long-line', // a line longer than the limit: its start is kept, the rest cut
  'command-failed', // a command read as an input (journalctl) could not run or failed
  'not-dovecot', // lines, none of them a Dovecot log line (/etc/passwd, a CSV, a log format that changed)
  'shrank', // the file got shorter while it was read (truncated, e.g. by logrotate's copytruncate): what was read is kept
  'empty', // notice: no bytes at all (a log just rotated)
  'invalid-utf8', // notice: bytes that are not UTF-8 (a Latin-1 user name), read as U+FFFD
  'not-gzip', // notice: named .gz but not gzip, read as text
  'time-out-of-range', // notice: lines whose time stamp is beyond a date's range (a journal's __REALTIME_TIMESTAMP), read without a time
] as const
export type InputProblemKind = (typeof INPUT_PROBLEM_KINDS)[number]

/** Problems that are said on stderr but leave the exit status alone: nothing was lost. */
const NOTICE_KINDS: ReadonlySet<InputProblemKind> = new Set(['empty', 'invalid-utf8', 'not-gzip', 'time-out-of-range'])
export const isNotice = (problem: InputProblem): boolean => NOTICE_KINDS.has(problem.kind)

export interface InputProblem {
  kind: InputProblemKind
  /** The input as the user named it (or as discovery found it). */
  input: string
  /** The 1-based line it concerns, when it concerns one. */
  line: number | null
  message: string
}

export const inputProblem = (kind: InputProblemKind, input: string, message: string, line: number | null = null): InputProblem => ({
  kind,
  input,
  line,
  message,
})

/** `input:line: message`, the form of the stderr line. */
export function formatProblem(problem: InputProblem): string {
  return `${problem.input}${problem.line === null ? '' : `:${problem.line}`}: ${problem.message}`
}

/** A file system or stream error in a few words: the errno meaning for the usual ones, else node's text. */
export function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied'
  if (e.code === 'ENOENT') return 'not found'
  if (e.code === 'EISDIR') return 'is a directory'
  return e.message
}

const isGzipError = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR'
}

/** An input that could not be opened. */
export const openProblem = (input: string, error: unknown): InputProblem =>
  inputProblem('unreadable', input, `cannot read: ${describeError(error)}`)

/**
 * An input that failed part way: a truncated or corrupt gzip, or a read error. `linesRead`, when the
 * reader counts lines, says how far it got, so the user knows what was kept.
 */
export function readProblem(input: string, error: unknown, linesRead: number | null): InputProblem {
  const after = linesRead === null ? '' : ` after ${linesRead} lines`
  return isGzipError(error)
    ? inputProblem(
        'truncated-gzip',
        input,
        `compressed data is truncated or corrupt (${(error as Error).message})${after}: what came before it was read`,
      )
    : inputProblem('unreadable', input, `read failed${after}: ${describeError(error)}`)
}
