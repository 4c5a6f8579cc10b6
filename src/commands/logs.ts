import {Args, Flags} from '@oclif/core'
import {once} from 'node:events'

import {BaseCommand, UserError} from '../cli/base-command.js'
import type {RuleSet} from '../user-rules/rule-set.js'
import {SEVERITIES, type Severity} from '../catalog/rule.js'
import {ExitStatus, worstStatus} from '../exit-status.js'
import {ReadInterrupt} from '../cli/interrupt.js'
import {rulesFlag, ruleSetFromFlag} from '../cli/rules-option.js'
import {Diagnoser} from '../diagnosis/diagnose.js'
import {FilterError, parseFilters, recordPasses} from '../diagnosis/filters.js'
import type {LogsReport} from '../diagnosis/report.js'
import {formatProblem, isNotice, type InputProblem} from '../input/problem.js'
import type {InputStats} from '../ingest/input-stats.js'
import {readLogs} from '../ingest/read-logs.js'
import {selectInputs} from '../ingest/select-inputs.js'
import {rawRecognizer} from '../match/raw-recognizer.js'
import {parallelReading} from '../parallel/parallel-reading.js'
import {summarize, type LogsSummary} from '../ingest/summary.js'
import {isValidTimeZone} from '../ingest/timestamp.js'
import {colors} from '../render/color.js'
import {renderDiagnosisMarkdown} from '../render/diagnosis-markdown.js'
import {renderLogsText} from '../render/logs-text.js'
import {ProgressDisplay, showsProgress} from '../render/progress.js'
import {terminalWidth, unicodeEnabled} from '../render/terminal.js'

export default class Logs extends BaseCommand {
  static override args = {
    inputs: Args.string({
      description: "log files, globs, directories, or - for stdin (default: piped stdin, else the local Dovecot's logs)",
      // oclif would otherwise take piped stdin as the argument's value: stdin is read as a log instead.
      ignoreStdin: true,
      required: false,
    }),
  }

  static override description = `Read Dovecot's logs wherever they are: say what is wrong and what to do, and summarize what they hold.

Reads Dovecot's own log files (2.2, 2.3, 2.4), syslog (BSD, RFC 3339 and RFC 5424), journalctl (text and -o json), 'doveadm log errors' output, container logs and audit.log, plain or gzipped, rotated sets oldest first, through wrappers (grep file names, compose prefixes, relayed syslog, web-UI exports...); a line no format explains is still matched against the rules as grep would. Prints the problems found (by severity, with counts, who is affected, evidence, remedy and doc link), severe lines no rule recognized, ordinary activity, then per input: the format, lines parsed/skipped/unparsed and the share understood, the wrappers met, the time span, and records by level and service. Exit status 1 with --fail-on when a finding at or above that severity is reported; 2 when an input could not be read or holds no Dovecot line.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> /var/log/dovecot.log',
    "<%= config.bin %> <%= command.id %> '/var/log/mail.log*'",
    'journalctl -u dovecot -o json | <%= config.bin %> <%= command.id %> -',
    'doveadm log errors | <%= config.bin %> <%= command.id %>',
    "<%= config.bin %> <%= command.id %> /var/log/dovecot.log --records | jq 'select(.level == \"error\")'",
    '<%= config.bin %> <%= command.id %> /var/log/dovecot.log --since yesterday --fail-on high',
    '<%= config.bin %> <%= command.id %> /var/log/dovecot.log --format markdown --min-severity medium',
  ]

  static override flags = {
    brief: Flags.boolean({description: 'print the overview alone: one row per finding and when things happened'}),
    'fail-on': Flags.string({description: 'exit with status 1 when a finding at or above this severity exists, shown or not (for cron and CI)', options: [...SEVERITIES]}),
    format: Flags.string({description: 'report format', options: ['text', 'markdown'], default: 'text'}),
    'min-severity': Flags.string({description: 'show only findings at or above this severity', options: [...SEVERITIES]}),
    rules: rulesFlag,
    rule: Flags.string({description: 'show only this rule\'s findings (repeatable)', multiple: true, multipleNonGreedy: true}),
    service: Flags.string({description: 'only lines of this Dovecot service, e.g. imap, lmtp, master (repeatable)', multiple: true, multipleNonGreedy: true}),
    since: Flags.string({description: 'only lines at or after: 2h, 30m, 7d, today, yesterday, 10:30, 2026-11-23, 2026-11-23T10:30'}),
    until: Flags.string({description: 'only lines before (a bare date or day word means the end of that day)'}),
    user: Flags.string({description: 'only lines of this user (repeatable)', multiple: true, multipleNonGreedy: true}),
    records: Flags.boolean({description: 'write the parsed records (within --since/--until/--user/--service) to stdout as JSON Lines instead of the summary', exclusive: ['json']}),
    timezone: Flags.string({description: "zone of timestamps that carry none: an IANA name (Europe/Berlin) or an offset (+02:00); default: this machine's"}),
  }

  static override strict = false

  private progress: ProgressDisplay | null = null

  public async run(): Promise<LogsReport | LogsSummary> {
    const {argv, flags} = await this.parse(Logs)
    const timeZone = flags.timezone
    if (timeZone !== undefined && !isValidTimeZone(timeZone)) {
      throw new UserError(`unknown time zone '${timeZone}': give an IANA name such as Europe/Berlin, or an offset such as +02:00`)
    }

    const ruleSet = await ruleSetFromFlag(flags.rules)
    // DOVEDIAG_FAST_PATH=0 takes the slow path, which the fast one must agree with (tests, bench).
    const filters = this.filters(flags, ruleSet)
    const filtered = Object.values(filters.records).some((value) => value !== undefined)
    const fastPath = process.env.DOVEDIAG_FAST_PATH !== '0'
    const diagnoser = new Diagnoser({...filters, rules: ruleSet.rules, fastPath})

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
    const progress = showsProgress(process.stderr, process.env, this.jsonEnabled()) ? new ProgressDisplay(process.stderr) : null
    this.progress = progress
    const interrupt = new ReadInterrupt(this.config.bin)
    // Big files and rotated sets are read on two cores (src/parallel/), except for --records, which prints records in order.
    const parallel = flags.records ? {} : parallelReading({diagnoser, timeZone, rulesFiles: flags.rules ?? [], rawFallback: true, diagnose: {...filters, fastPath}, signal: interrupt.signal})
    const events = readLogs(selected.inputs, {timeZone, recognizeRaw: rawRecognizer(ruleSet.rules), signal: interrupt.signal, ...parallel, onProgress: progress ? (p) => progress.update(p) : undefined})
    try {
      for await (const event of events) {
        if (event.type === 'records') {
          if (flags.records) await writeJsonLines(filtered ? event.records.filter((record) => recordPasses(record, filters.records)) : event.records)
          else for (const record of event.records) diagnoser.add(record)
        } else if (event.type === 'problem') report(event.problem)
        else if (event.type === 'input-done') stats.push(event.stats)
      }
    } finally {
      interrupt.stop()
    }
    if (interrupt.interrupted) process.stdin.destroy() // a pipe still open would keep the process alive

    progress?.clear()
    const summary = summarize(stats, problems)
    const inputStatus = problems.some((problem) => !isNotice(problem)) ? ExitStatus.INPUT_ERROR : ExitStatus.OK
    if (flags.records) {
      process.exitCode = worstStatus(inputStatus, interrupt.interrupted ? ExitStatus.INTERRUPTED : ExitStatus.OK)
      return summary
    }

    const diagnosis = diagnoser.finish()
    if (!this.jsonEnabled()) {
      const context = {recordsRead: summary.totals.records, filtered}
      this.log(
        flags.format === 'markdown'
          ? renderDiagnosisMarkdown(diagnosis, summary, filtered, timeZone)
          : renderLogsText(diagnosis, diagnoser.overview(), summary, colors(), {
              brief: flags.brief,
              context,
              hidden: diagnoser.hiddenFindings(),
              timeZone,
              unicode: unicodeEnabled(),
              width: terminalWidth(),
            }),
      )
    }
    // --fail-on judges every finding, also those --min-severity and --rule leave out of the report.
    const failOn = flags['fail-on'] as Severity | undefined
    const status = failOn && diagnoser.hasFindingAtOrAbove(failOn) ? ExitStatus.ACTION_NEEDED : ExitStatus.OK
    process.exitCode = worstStatus(status, inputStatus, interrupt.interrupted ? ExitStatus.INTERRUPTED : ExitStatus.OK)
    return {...summary, ...diagnosis}
  }

  /** The filter flags as filters; a value that makes no sense is a usage error. */
  private filters(flags: {since?: string; until?: string; user?: string[]; service?: string[]; 'min-severity'?: string; rule?: string[]}, ruleSet: RuleSet) {
    try {
      return parseFilters(
        {since: flags.since, until: flags.until, user: flags.user, service: flags.service, minSeverity: flags['min-severity'] as Severity | undefined, rule: flags.rule},
        ruleSet.problems.map((rule) => rule.id),
      )
    } catch (error) {
      if (error instanceof FilterError) throw new UserError(error.message)
      throw error
    }
  }

  /** A line on stderr, also under --json (where oclif's logToStderr is silent). */
  private note(text: string): void {
    this.progress?.clear()
    process.stderr.write(`${this.config.bin}: ${text}\n`)
  }
}

/** One JSON object a line, waiting when stdout's buffer is full so memory stays flat. */
async function writeJsonLines(records: unknown[]): Promise<void> {
  let text = ''
  for (const record of records) text += JSON.stringify(record) + '\n'
  if (!process.stdout.write(text)) await once(process.stdout, 'drain')
}
