import {Args, Flags} from '@oclif/core'
import {once} from 'node:events'

import {BaseCommand, UserError} from '../base-command.js'
import {ExitStatus} from '../cli/exit-status.js'
import {formatProblem, type InputProblem} from '../ingest/input-problem.js'
import type {InputStats} from '../ingest/input-stats.js'
import {readLogs} from '../ingest/read-logs.js'
import {selectInputs} from '../ingest/select-inputs.js'
import {summarize, type LogsSummary} from '../ingest/summary.js'
import {isValidTimeZone} from '../ingest/timestamp.js'
import {colors} from '../render/color.js'
import {renderLogSummary} from '../render/log-summary.js'

export default class Logs extends BaseCommand {
  static override args = {
    inputs: Args.string({
      description: "log files, globs, directories, or - for stdin (default: piped stdin, else the local Dovecot's logs)",
      // oclif would otherwise take piped stdin as the argument's value: stdin is read as a log instead.
      ignoreStdin: true,
      required: false,
    }),
  }

  static override description = `Read Dovecot's logs wherever they are, and summarize what they hold.

Reads Dovecot's own log files (2.2, 2.3, 2.4), syslog (BSD and RFC 3339), journalctl (text and -o json), 'doveadm log errors' output, container logs and audit.log, plain or gzipped, rotated sets oldest first. Prints, per input: the format, lines parsed/skipped/unparsed, the time span, and records by level and service.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> /var/log/dovecot.log',
    "<%= config.bin %> <%= command.id %> '/var/log/mail.log*'",
    'journalctl -u dovecot -o json | <%= config.bin %> <%= command.id %> -',
    'doveadm log errors | <%= config.bin %> <%= command.id %>',
    "<%= config.bin %> <%= command.id %> /var/log/dovecot.log --records | jq 'select(.level == \"error\")'",
  ]

  static override flags = {
    records: Flags.boolean({description: 'write the parsed records to stdout as JSON Lines instead of the summary', exclusive: ['json']}),
    timezone: Flags.string({description: "zone of timestamps that carry none: an IANA name (Europe/Berlin) or an offset (+02:00); default: this machine's"}),
  }

  static override strict = false

  public async run(): Promise<LogsSummary> {
    const {argv, flags} = await this.parse(Logs)
    const timeZone = flags.timezone
    if (timeZone !== undefined && !isValidTimeZone(timeZone)) {
      throw new UserError(`unknown time zone '${timeZone}': give an IANA name such as Europe/Berlin, or an offset such as +02:00`)
    }

    const selected = await selectInputs(argv as string[])
    if (selected.discovery !== null) {
      for (const note of selected.discovery.notes) this.note(note)
      if (selected.inputs.length === 0) {
        throw new UserError("no Dovecot logs found: pass a file ('dovediag logs /var/log/dovecot.log') or pipe one in ('journalctl -u dovecot -o json | dovediag logs -')")
      }

      for (const input of selected.inputs) this.note(`reading ${input.name} (${input.reason})`)
    }

    const problems: InputProblem[] = []
    const report = (problem: InputProblem) => {
      problems.push(problem)
      this.note(formatProblem(problem))
    }

    selected.problems.forEach(report)
    const stats: InputStats[] = []
    for await (const event of readLogs(selected.inputs, {timeZone})) {
      if (event.type === 'records') {
        if (flags.records) await writeJsonLines(event.records)
      } else if (event.type === 'problem') report(event.problem)
      else stats.push(event.stats)
    }

    const summary = summarize(stats, problems)
    if (!flags.records && !this.jsonEnabled()) this.log(renderLogSummary(summary, colors(), timeZone))
    if (problems.length > 0) process.exitCode = ExitStatus.INPUT_ERROR
    return summary
  }

  /** A line on stderr, also under --json (where oclif's logToStderr is silent). */
  private note(text: string): void {
    process.stderr.write(`${this.config.bin}: ${text}\n`)
  }
}

/** One JSON object a line, waiting when stdout's buffer is full so memory stays flat. */
async function writeJsonLines(records: unknown[]): Promise<void> {
  let text = ''
  for (const record of records) text += JSON.stringify(record) + '\n'
  if (!process.stdout.write(text)) await once(process.stdout, 'drain')
}
