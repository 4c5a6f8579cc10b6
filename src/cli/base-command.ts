import {Command} from '@oclif/core/command'
import * as Errors from '@oclif/core/errors'
import {fstatSync, ftruncateSync, writeSync} from 'node:fs'

import {ExitStatus} from '../exit-status.js'
import {oneLineMessage, parseErrorHint} from './parse-message.js'
import type {ErrorJson} from '../render/json-documents.js'
import {writeJson} from '../render/json.js'
import {sanitizeForTerminal} from '../render/sanitize.js'

/** Raised for anything the user can fix: printed as one line, never with a stack trace. */
export class UserError extends Errors.CLIError {
  constructor(message: string, exit: number = ExitStatus.USAGE, code?: string) {
    super(message, {exit, code})
  }
}

/**
 * `dovediag ... | head -1`: the reader went away; stop quietly instead of dying with an EPIPE trace. Any
 * other write error (`>/dev/full`, a full disk under `> junit.xml`) is one line on stderr and status 74,
 * and a file stdout was writing is cut back to the size it had before, so no half report is left in it.
 */
function exitQuietlyOnEpipe(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  if (stdoutStartSize !== null) {
    try {
      ftruncateSync(1, stdoutStartSize)
    } catch {
      // Not ours to fix: the message below still says the output is incomplete.
    }
  }
  const why = error.code === 'ENOSPC' ? 'no space left on the device' : (error.message ?? String(error))
  try {
    writeSync(2, `dovediag: cannot write the output: ${why}; nothing was written\n`)
  } catch {
    // stderr is gone too: the status still says it.
  }
  process.exit(ExitStatus.OUTPUT_ERROR)
}

/** The size of the regular file stdout writes to when the command started (null: a terminal or a pipe). */
let stdoutStartSize: number | null = null
function rememberStdoutFile(): void {
  try {
    const info = fstatSync(1)
    stdoutStartSize = info.isFile() ? info.size : null
  } catch {
    stdoutStartSize = null
  }
}

/** `dovediag ... 2>&1 >report | head -1`: the notes on stderr have no reader; the report still goes to stdout. */
function ignoreClosedStderr(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error
}

/**
 * Base of every dovediag command: one error shape in text and `--json`, the exit status kept under
 * `--json` (oclif loses it there), plain JSON on stdout, and a quiet end when stdout is a closed pipe.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true

  protected override async init(): Promise<void> {
    await super.init()
    // Once per process: tests run many commands in one process, and each run would add a listener.
    if (!process.stdout.listeners('error').includes(exitQuietlyOnEpipe)) {
      rememberStdoutFile()
      // First: oclif's own listener rethrows anything but EPIPE, as an uncaught exception with a stack.
      process.stdout.prependListener('error', exitQuietlyOnEpipe)
    }
    if (!process.stderr.listeners('error').includes(ignoreClosedStderr)) process.stderr.on('error', ignoreClosedStderr)
  }

  /**
   * Every error ends here: a user error is one line on stderr (or the JSON error document on stdout
   * under --json) with its documented status; anything else is a dovediag bug and exits 70.
   */
  // oclif awaits catch(); it is async by contract even where nothing in it waits.
  // eslint-disable-next-line @typescript-eslint/require-await
  protected override async catch(err: Error & {oclif?: {exit?: number}; code?: string}): Promise<void> {
    if (err.code === 'EEXIT') throw err // oclif's own this.exit(): not an error
    this.parsed = true // a parse error is reported here; silence oclif's dev-mode "did not parse" warning
    const known = typeof err.oclif?.exit === 'number'
    const exit = known ? (err.oclif!.exit as number) : ExitStatus.INTERNAL
    const message = known
      ? parseErrorHint(oneLineMessage(err.message), this.flagNames())
      : `internal error: ${err.message} (please report this; DEBUG=1 shows the stack)`
    process.exitCode = exit
    if (this.jsonEnabled()) {
      this.logJson({error: {code: err.code ?? null, exit, message}} satisfies ErrorJson)
      return
    }
    // Messages name inputs and flag values: an escape sequence in a file name must not reach the terminal.
    process.stderr.write(`${this.config.bin}: ${sanitizeForTerminal(message)}\n`)
    if (!known && process.env.DEBUG) process.stderr.write(`${err.stack}\n`)
  }

  /** The long names of this command's flags, --json included. */
  private flagNames(): string[] {
    const {flags} = this.ctor as {flags?: Record<string, unknown>}
    return [...Object.keys(flags ?? {}), ...(this.ctor.enableJsonFlag ? ['json'] : [])]
  }

  /** Plain, uncoloured JSON on stdout (oclif's default colourizes it), written in pieces (see writeJson). */
  protected override logJson(json: unknown): void {
    writeJson(json, (text) => process.stdout.write(text))
  }
}
