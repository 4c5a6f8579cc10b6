import type {InputProblem} from '../input/problem.js'
import {resolveInputs, type InputSource} from '../input/resolve.js'
import {orderRotatedSets} from './rotation.js'

/** One place to read log lines from: a file or stdin, or a command whose output is a log (journalctl). */
export type LogInput = InputSource | {kind: 'command'; name: string; command: string; args: string[]; reason?: string}

// Log files inside a directory: `*.log`, the distributions' mail logs, anything named for Dovecot,
// each possibly rotated (`.1`, `-20261122`) and gzipped.
const LOG_FILE = /(\.log|^maillog|^mail\.(err|warn|info)|^messages|^syslog|dovecot[^/]*)(\.\d+|-\d{8})?(\.gz)?$/

const isLogFileName = (name: string): boolean => LOG_FILE.test(name) && !name.endsWith('.journal')

/**
 * The inputs `dovediag logs` names (src/input/resolve.ts): a directory gives its log files, and files from
 * all arguments are ordered as rotated sets, oldest first.
 */
export async function resolveLogInputs(args: string[]): Promise<{inputs: LogInput[]; problems: InputProblem[]}> {
  const {sources, problems} = await resolveInputs(args, {
    expand: {files: isLogFileName, what: 'log files (*.log, mail.log, maillog, dovecot*)'},
  })
  return {inputs: orderRotatedSets(sources), problems}
}
