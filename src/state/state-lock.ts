import {readFileSync, unlinkSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {basename, dirname} from 'node:path'

import {describeError} from '../input/problem.js'
import {StateError} from './state-file.js'

/**
 * One run at a time per state file. Two runs sharing one (a cron run that outlasts its interval, a --follow
 * left running beside a timer) would both read from the same saved positions: every new line counted twice,
 * and the second state written would undo the first. The lock is `STATE.lock`, created exclusively and
 * holding the owner's pid, host and start; it goes when the process exits. A lock whose process is gone (on
 * this host) is taken over, so a killed run never blocks the next one.
 */
export function lockState(path: string, now = new Date()): () => void {
  const lock = `${path}.lock`
  const owner = `${process.pid} ${hostname()} ${now.toISOString()}\n`
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lock, owner, {flag: 'wx'})
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockError(path, lock, error)
      const holder = readHolder(lock)
      if (holder !== null && !isGone(holder)) {
        throw new StateError(
          `state file ${path} is in use by another dovediag run (pid ${holder.pid} on ${holder.host}, since ${holder.since}): ` +
            `two runs at once would read the same lines twice; let it finish, or remove ${lock} if that run is gone`,
        )
      }
      try {
        unlinkSync(lock) // its owner is gone: take over
      } catch {
        // Removed by another run taking over at the same moment: the next attempt tells which of the two has it.
      }
    }
  }

  let held = true
  const release = (): void => {
    if (!held) return
    held = false
    process.off('exit', release)
    try {
      unlinkSync(lock)
    } catch {
      // Already gone: nothing to release.
    }
  }
  process.on('exit', release)
  return release
}

interface Holder {
  pid: number
  host: string
  since: string
}

/** The lock's owner; null when the file cannot be read or makes no sense (then it is taken over). */
function readHolder(lock: string): Holder | null {
  try {
    const [pid, host, since] = readFileSync(lock, 'utf8').trim().split(' ')
    const number = Number(pid)
    return Number.isInteger(number) && number > 0 && host && since ? {pid: number, host, since} : null
  } catch {
    return null
  }
}

/** Whether the owner is surely gone: only a process on this host can be looked for. */
function isGone(holder: Holder): boolean {
  if (holder.host !== hostname()) return false
  // This very process: an earlier run in it (tests run commands in one process) that ended without releasing.
  if (holder.pid === process.pid) return true
  try {
    process.kill(holder.pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

function lockError(path: string, lock: string, error: unknown): StateError {
  const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `its directory ${dirname(lock)} does not exist` : describeError(error)
  return new StateError(`cannot keep the state file ${path}: ${why} (creating ${basename(lock)} beside it)`)
}
