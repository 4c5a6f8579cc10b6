import {ExitStatus} from '../exit-status.js'

/**
 * Ctrl-C during a long read: the first SIGINT stops the reading (the command then reports what it read so
 * far and exits 130); a second one exits at once. Only installed while reading, so Ctrl-C elsewhere is
 * Node's default.
 */
export class ReadInterrupt {
  private readonly controller = new AbortController()
  readonly signal: AbortSignal = this.controller.signal

  private readonly onSigint = (): void => {
    if (this.signal.aborted) quitAtOnce()
    process.stderr.write(`${this.bin}: interrupted: reporting what was read so far (Ctrl-C again to quit at once)\n`)
    this.controller.abort()
  }

  /** SIGTERM, when asked to handle it too (--follow, which only ever ends by a signal). */
  terminated = false

  private readonly onSigterm = (): void => {
    this.terminated = true
    this.controller.abort()
  }

  constructor(
    private readonly bin: string,
    private readonly options: {sigterm?: boolean} = {},
  ) {
    process.on('SIGINT', this.onSigint)
    if (options.sigterm) process.on('SIGTERM', this.onSigterm)
  }

  get interrupted(): boolean {
    return this.signal.aborted
  }

  /** The exit status the interruption asks for: 143 after SIGTERM, 130 after Ctrl-C, else 0. */
  get status(): number {
    return this.terminated ? ExitStatus.TERMINATED : this.interrupted ? ExitStatus.INTERRUPTED : ExitStatus.OK
  }

  /** Reading is over: Ctrl-C is Node's default again. */
  stop(): void {
    process.off('SIGINT', this.onSigint)
    if (this.options.sigterm) process.off('SIGTERM', this.onSigterm)
  }
}

/**
 * The second Ctrl-C: the process ends by SIGINT itself, as a shell expects of Ctrl-C (it reports 130, and a
 * script's loop stops). Not process.exit: Node waits on exit for every thread-pool request, and one can be
 * blocked for ever (opening a FIFO that no writer opened yet), so "quit at once" would not quit.
 */
function quitAtOnce(): never {
  process.removeAllListeners('SIGINT') // Node restores the default action when the last listener goes
  process.kill(process.pid, 'SIGINT')
  process.exit(ExitStatus.INTERRUPTED) // only if something caught it after all
}
