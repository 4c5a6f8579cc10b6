/** Why an input, or part of one, could not be read. Each is one line on stderr and makes the exit status 2. */
export const INPUT_PROBLEM_KINDS = [
  'not-found', // a path that does not exist
  'no-match', // a glob that matches no file
  'no-logs', // a directory with no log files in it
  'unreadable', // permission denied, or another error opening or reading it
  'binary', // not text (NUL bytes), e.g. a systemd .journal file
  'truncated-gzip', // the compressed data ends early or is corrupt; what came before is kept
  'long-line', // a line longer than the limit: its start is kept, the rest cut
  'command-failed', // journalctl (for the journal) could not run or failed
] as const
export type InputProblemKind = (typeof INPUT_PROBLEM_KINDS)[number]

export interface InputProblem {
  kind: InputProblemKind
  /** The input as the user named it (or as discovery found it). */
  input: string
  /** The 1-based line it concerns, when it concerns one. */
  line: number | null
  message: string
}

/** `input:line: message`, the form of the stderr line. */
export function formatProblem(problem: InputProblem): string {
  return `${problem.input}${problem.line === null ? '' : `:${problem.line}`}: ${problem.message}`
}
