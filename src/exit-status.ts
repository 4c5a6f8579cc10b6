/**
 * dovediag's own process exit statuses: one home, documented in the README's "Exit statuses" table.
 * When several apply, the highest-priority one wins (see `worstStatus`).
 */
export const ExitStatus = {
  /** Nothing to act on: every code is done / no finding at or above --fail-on / every user done. */
  OK: 0,
  /** Something needs action: findings at or above --fail-on, a code not done in this phase, users to retry or fix. */
  ACTION_NEEDED: 1,
  /** Some input could not be read or had bad records; the rest was still processed and reported. */
  INPUT_ERROR: 2,
  /** A suspend-all code (77, 78) was seen: stop every migration until the configuration is fixed. */
  SUSPEND_ALL: 3,
  /** Usage error: unknown flag, missing or malformed argument. Nothing was processed. */
  USAGE: 64,
  /** An output could not be written (disk full, /dev/full): nothing partial is left behind (EX_IOERR). */
  OUTPUT_ERROR: 74,
  /** An internal error in dovediag itself (a bug: please report it). */
  INTERNAL: 70,
  /** Interrupted by Ctrl-C (SIGINT). */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM (`logs --follow` under a service manager): the report of what was read, as for Ctrl-C. */
  TERMINATED: 143,
} as const

/**
 * Order of precedence when several statuses apply, the same for every command: stopping everything beats
 * action needed beats unreadable input. So 1 always means "act on what was found", even when another input
 * was missing (a script that checks for 1 never misses findings); 2 means nothing found needs action but
 * the all-clear is incomplete, since some input could not be read. Input problems are on stderr either way.
 */
const PRIORITY: number[] = [
  ExitStatus.TERMINATED,
  ExitStatus.INTERRUPTED,
  ExitStatus.SUSPEND_ALL,
  ExitStatus.OUTPUT_ERROR,
  ExitStatus.ACTION_NEEDED,
  ExitStatus.INPUT_ERROR,
  ExitStatus.OK,
]

/** The status that wins when several apply. */
export function worstStatus(...statuses: number[]): number {
  for (const candidate of PRIORITY) if (statuses.includes(candidate)) return candidate
  return Math.max(0, ...statuses)
}
