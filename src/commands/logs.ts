import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {once} from 'node:events'

import {BaseCommand, UserError} from '../cli/base-command.js'
import type {RuleSet} from '../user-rules/rule-set.js'
import {SEVERITIES, type Severity} from '../catalog/rule.js'
import {ExitStatus, worstStatus} from '../exit-status.js'
import {ReadInterrupt} from '../cli/interrupt.js'
import {rulesFlag, ruleSetFromFlag} from '../cli/rules-option.js'
import {Diagnoser} from '../diagnosis/diagnose.js'
import {FilterError, FilterNames, parseFilters, recordPasses} from '../diagnosis/filters.js'
import {nearest, unmatchedFilterNote} from '../cli/suggest.js'
import type {LogsReport} from '../diagnosis/report.js'
import {describeError, formatProblem, isNotice, type InputProblem} from '../input/problem.js'
import type {InputStats} from '../ingest/input-stats.js'
import type {LogInput} from '../ingest/inputs.js'
import {readLogs, type ReadProgress} from '../ingest/read-logs.js'
import {readLogsByTime} from '../ingest/merge-by-time.js'
import {LOG_LEVELS, type LogLevel} from '../ingest/record.js'
import {RecordsOutput} from '../render/records.js'
import {selectInputs} from '../ingest/select-inputs.js'
import {rawRecognizer} from '../match/raw-recognizer.js'
import {summarize, type LogsSummary} from '../ingest/summary.js'
import {isValidTimeZone} from '../ingest/timestamp.js'
import {colors} from '../render/color.js'
import {renderDiagnosisMarkdown} from '../render/diagnosis-markdown.js'
import {renderLogsText} from '../render/logs-text.js'
import {ProgressDisplay, showsProgress} from '../render/progress.js'
import {terminalWidth, unicodeEnabled} from '../render/terminal.js'
import {finishIncrementalRun, markSinceLastRun, nextState, startIncrementalRun, type IncrementalRun} from '../state/incremental-run.js'
import {StateError, writeFileAtomically} from '../state/state-file.js'
import type {SavedPosition} from '../state/positions.js'
import {FindingEvents} from '../follow/finding-events.js'
import {renderFindingEvent} from '../render/finding-event-text.js'
import {followLogs} from '../follow/follow-logs.js'
import {sanitizeForTerminal} from '../render/sanitize.js'
import {accumulate, type ExpositionFormat, LineCounter, renderMetrics, runCounters} from '../metrics/log-metrics.js'
import {renderDiagnosisGithub} from '../render/diagnosis-github.js'
import {renderDiagnosisJunit} from '../render/diagnosis-junit.js'
import {NAGIOS_STATUS, renderNagios} from '../render/diagnosis-nagios.js'
import {appendStepSummary} from '../migration/output-files.js'

const REPORT_FORMATS = ['text', 'markdown', 'prometheus', 'openmetrics', 'nagios', 'junit', 'github'] as const
type ReportFormat = (typeof REPORT_FORMATS)[number]
const isMetricsFormat = (format: string): format is ExpositionFormat => format === 'prometheus' || format === 'openmetrics'

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
    "<%= config.bin %> <%= command.id %> /var/log/dovecot.log --records --json | jq 'select(.rules | length > 0)'",
    '<%= config.bin %> <%= command.id %> /var/log/dovecot.log --since yesterday --fail-on high',
    '<%= config.bin %> <%= command.id %> /var/log/dovecot.log --format markdown --min-severity medium',
    '<%= config.bin %> <%= command.id %> /var/log/dovecot.log --state /var/lib/dovediag/state --format prometheus --output /var/lib/prometheus/node-exporter/dovediag.prom',
    '<%= config.bin %> <%= command.id %> /var/log/dovecot.log --state /var/lib/dovediag/nagios.state --format nagios',
  ]

  static override flags = {
    brief: Flags.boolean({description: 'print the overview alone: one row per finding and when things happened'}),
    'fail-on': Flags.string({
      description: `exit with status 1 when a finding at or above this severity exists, shown or not (for cron and CI)`,
      options: [...SEVERITIES],
    }),
    format: Flags.string({
      description:
        "report format: text, markdown; prometheus (Prometheus text format, for node_exporter's textfile collector), openmetrics (OpenMetrics 1.0 text), nagios (a monitoring plugin's line and status), junit, github (annotations)",
      options: [...REPORT_FORMATS],
      default: 'text',
    }),
    output: Flags.string({
      helpValue: 'FILE',
      description: 'write the report to this file instead of stdout, atomically (a temporary file renamed over it)',
    }),
    'warning-on': Flags.string({
      description: '--format nagios: WARNING when a finding at or above this severity is reported',
      options: [...SEVERITIES],
      default: 'medium',
    }),
    'critical-on': Flags.string({
      description: '--format nagios: CRITICAL when a finding at or above this severity is reported',
      options: [...SEVERITIES],
      default: 'high',
    }),
    'min-severity': Flags.string({description: 'show only findings at or above this severity', options: [...SEVERITIES]}),
    rules: rulesFlag,
    rule: Flags.string({description: "show only this rule's findings (repeatable)", multiple: true, multipleNonGreedy: true}),
    service: Flags.string({
      description: 'only lines of this Dovecot service, e.g. imap, lmtp, master (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    follow: Flags.boolean({
      char: 'f',
      description:
        'keep reading as lines are added, across rotation (tail -F): print each finding when it first appears and when it repeats (at most once per --repeat-interval), as JSON Lines with --json; Ctrl-C or SIGTERM prints the final report (exit 130 / 143)',
    }),
    'repeat-interval': Flags.integer({description: '--follow: seconds between two events for the same rule', default: 60, min: 0}),
    'poll-interval': Flags.integer({description: '--follow: milliseconds between two looks at the files', default: 1000, min: 10}),
    state: Flags.string({
      helpValue: 'FILE',
      description:
        'read only what is new since the last run with this state file (offsets kept across rotation), and say which findings are new; written after the report',
    }),
    since: Flags.string({description: 'only lines at or after: 2h, 30m, 7d, today, yesterday, 10:30, 2026-11-23, 2026-11-23T10:30'}),
    until: Flags.string({description: 'only lines before (a bare date or day word means the end of that day)'}),
    user: Flags.string({description: 'only lines of this user (repeatable)', multiple: true, multipleNonGreedy: true}),
    records: Flags.boolean({
      description:
        'print the records instead of the report, all inputs merged in time order, each with the rules that matched it (JSON Lines with --json); --since/--until/--user/--service/--level apply',
    }),
    level: Flags.string({
      description: 'only records at this Dovecot level (repeatable, or comma-separated: --level error,fatal,panic)',
      options: [...LOG_LEVELS],
      multiple: true,
      multipleNonGreedy: true,
      delimiter: ',',
    }),
    timezone: Flags.string({
      description: "zone of timestamps that carry none: an IANA name (Europe/Berlin) or an offset (+02:00); default: this machine's",
    }),
  }

  static override strict = false

  private progress: ProgressDisplay | null = null

  public async run(): Promise<LogsReport | LogsSummary> {
    const started = Date.now()
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
    // Counted whenever they are exported or kept: with --state, the counters go on across runs whatever the format.
    const lineCounter = isMetricsFormat(flags.format) || flags.state !== undefined ? new LineCounter() : null

    const selected = await selectInputs(argv as string[])
    if (selected.discovery !== null) {
      for (const note of selected.discovery.notes) this.note(note)
      if (selected.inputs.length === 0) {
        throw new UserError(
          "no Dovecot logs found: pass a file ('dovediag logs /var/log/dovecot.log') or pipe one in ('journalctl -u dovecot -o json | dovediag logs -')",
        )
      }

      for (const input of selected.inputs) this.note(`reading ${input.name} (${input.reason})`)
    }

    if (flags.follow && (flags.format !== 'text' || flags.records || flags.output)) {
      throw new UserError('--follow prints findings as they come, in text or with --json: not with --format, --records or --output')
    }
    const incremental =
      flags.state === undefined ? null : await this.startIncremental(flags.state, selected.inputs, flags.format === 'nagios', !flags.follow)
    const inputs = incremental ? incremental.plan.inputs : selected.inputs
    const problems: InputProblem[] = []
    const report = (problem: InputProblem) => {
      problems.push(problem)
      this.note(formatProblem(problem))
    }

    selected.problems.forEach(report)
    const stats: InputStats[] = []
    const progress = showsProgress(process.stderr, process.env, this.jsonEnabled()) ? new ProgressDisplay(process.stderr) : null
    this.progress = progress
    // SIGTERM (a service manager, a cancelled CI job; --follow ends only by a signal) reports as Ctrl-C does, with 143.
    const interrupt = new ReadInterrupt(this.config.bin, {sigterm: true})
    /** --follow: where each file has been read to (from --state, if given). */
    const followed = flags.follow ? new Map(Object.entries(incremental?.state.inputs ?? {})) : null
    // Lines only counted may be counted from their bytes (the metrics' line counts too): not when records are
    // written or followed.
    const lane = flags.records || flags.follow ? null : diagnoser.fastLane()
    const readOptions = {
      timeZone,
      recognizeRaw: rawRecognizer(ruleSet.rules),
      signal: interrupt.signal,
      onProgress: progress ? (p: ReadProgress) => progress.update(p) : undefined,
      fastLane: lane === null ? undefined : (lineCounter?.lane(lane) ?? lane),
    }
    // --records bypasses the Diagnoser, which otherwise keeps the names a --user/--service value is compared with.
    const recordNames = flags.records ? FilterNames.for(filters.records) : null
    const followRound = followed ? this.followRound(diagnoser, flags['repeat-interval'] * 1000, flags['poll-interval']) : null
    const events = followed
      ? followLogs(selected.inputs, {
          ...readOptions,
          onProgress: undefined,
          saved: followed,
          pollInterval: flags['poll-interval'],
          onNote: (note) => this.note(note),
          onRound: followRound!,
        })
      : flags.records
        ? readLogsByTime(inputs, readOptions)
        : readLogs(inputs, readOptions)
    const recordsOutput = flags.records
      ? new RecordsOutput(ruleSet.rules, {json: this.jsonEnabled(), colors: colors(), width: terminalWidth(), timeZone})
      : null
    if (recordsOutput && this.jsonEnabled()) this.reportWritten = true // JSON Lines, and no summary after them
    try {
      for await (const event of events) {
        if (event.type === 'records') {
          if (flags.records) {
            if (recordNames) for (const record of event.records) recordNames.add(record)
            await writeText(
              recordsOutput!.render(filtered ? event.records.filter((record) => recordPasses(record, filters.records)) : event.records),
            )
          } else {
            for (const record of event.records) diagnoser.add(record)
            if (lineCounter) for (const record of event.records) if (recordPasses(record, filters.records)) lineCounter.add(record)
            // A stream that never ends (stdin) says its findings as they come too.
            if (followRound) await followRound()
          }
        } else if (event.type === 'problem') report(event.problem)
        else if (event.type === 'input-done') stats.push(event.stats)
      }
    } finally {
      interrupt.stop()
    }
    if (interrupt.interrupted) process.stdin.destroy() // a pipe still open would keep the process alive

    progress?.clear()
    for (const unmatched of recordNames?.unmatched() ?? diagnoser.unmatchedFilters()) this.note(unmatchedFilterNote(unmatched))
    const summary = summarize(stats, problems, interrupt.interrupted)
    const inputStatus = problems.some((problem) => !isNotice(problem)) ? ExitStatus.INPUT_ERROR : ExitStatus.OK
    if (flags.records) {
      if (incremental && !interrupt.interrupted) await this.saveState(incremental, incremental.state.findings, incremental.state.metrics)
      process.exitCode = worstStatus(inputStatus, interrupt.status)
      return summary
    }

    const diagnosis = diagnoser.finish()
    const seen = incremental ? markSinceLastRun(diagnosis, incremental) : null
    const counters = lineCounter ? runCounters(diagnosis, lineCounter) : null
    const metrics = counters ? (incremental ? accumulate(incremental.state.metrics, counters) : Object.fromEntries(counters)) : null
    const failOn = flags['fail-on'] as Severity | undefined
    // --fail-on judges every finding, also those --min-severity and --rule leave out of the report.
    let status: number = failOn && diagnoser.hasFindingAtOrAbove(failOn) ? ExitStatus.ACTION_NEEDED : ExitStatus.OK
    if (followed && this.jsonEnabled()) {
      this.reportWritten = true
      process.stdout.write(JSON.stringify({event: 'report', ...summary, ...diagnosis}) + '\n')
    }
    if (!this.jsonEnabled()) {
      let text: string
      switch (flags.format as ReportFormat) {
        case 'markdown':
          text = renderDiagnosisMarkdown(diagnosis, summary, filtered, timeZone)
          break
        case 'prometheus':
        case 'openmetrics': {
          const severityOf = new Map(ruleSet.rules.map((rule) => [rule.id, rule.severity as string]))
          const lastSeen = Object.fromEntries(
            Object.entries(
              seen ??
                Object.fromEntries(diagnosis.findings.filter((f) => f.lastSeen !== null).map((f) => [f.rule, {lastSeen: f.lastSeen!}])),
            )
              .filter(([rule]) => severityOf.has(rule))
              .map(([rule, {lastSeen}]) => [rule, {severity: severityOf.get(rule)!, time: lastSeen}]),
          )
          const countingSince = incremental ? Date.parse(incremental.state.created) : started
          text = renderMetrics(
            {counters: metrics ?? {}, lastSeen, summary, started, ended: Date.now(), countingSince},
            flags.format as ExpositionFormat,
          )
          break
        }
        case 'nagios': {
          const nagios = renderNagios(diagnosis, summary, {
            warning: flags['warning-on'] as Severity,
            critical: flags['critical-on'] as Severity,
          })
          text = nagios.text
          status = nagios.status
          break
        }
        case 'junit':
          text = renderDiagnosisJunit(diagnosis, summary)
          break
        case 'github':
          text = renderDiagnosisGithub(diagnosis, summary)
          break
        default:
          text = renderLogsText(diagnosis, diagnoser.overview(), summary, colors(), {
            brief: flags.brief,
            context: {recordsRead: summary.totals.records, filtered},
            hidden: diagnoser.hiddenFindings(),
            timeZone,
            unicode: unicodeEnabled(),
            width: terminalWidth(),
          })
      }
      await this.writeReport(text.endsWith('\n') ? text : `${text}\n`, flags.output)
      if (flags.format === 'github' && process.env.GITHUB_STEP_SUMMARY) {
        await appendStepSummary(process.env.GITHUB_STEP_SUMMARY, renderDiagnosisMarkdown(diagnosis, summary, filtered, timeZone))
      }
    }
    // A monitoring plugin's status is the plugin's; Ctrl-C still says 130.
    process.exitCode =
      flags.format === 'nagios' && !this.jsonEnabled()
        ? worstStatus(status, interrupt.status)
        : worstStatus(status, inputStatus, interrupt.status)
    // After the report, and only when the run was not interrupted (the next run then reads it all again); --follow
    // only ends by a signal, and knows exactly where it got to in each file.
    if (incremental && seen && (!interrupt.interrupted || followed))
      await this.saveState(incremental, seen, metrics ?? incremental.state.metrics, followed ?? undefined)
    return {...summary, ...diagnosis}
  }

  /** --follow: set once the final report went out as a JSON line, so oclif does not print it again. */
  private reportWritten = false

  protected override logJson(json: unknown): void {
    if (!this.reportWritten) super.logJson(json)
  }

  /** --follow: after each look at the files, the findings that are new or repeat, one line (or JSON line) each. */
  private followRound(diagnoser: Diagnoser, repeatInterval: number, every: number): () => Promise<void> {
    const findingEvents = new FindingEvents(repeatInterval)
    let records = -1
    let looked = 0
    return async () => {
      // At most once per poll interval: finish() sums up every finding.
      if (Date.now() - looked < every) return
      looked = Date.now()
      const diagnosis = diagnoser.finish()
      if (diagnosis.records === records) return
      records = diagnosis.records
      this.progress?.clear()
      let text = ''
      for (const event of findingEvents.next(diagnosis))
        text += `${this.jsonEnabled() ? JSON.stringify(event) : renderFindingEvent(event, terminalWidth())}\n`
      if (text !== '' && !process.stdout.write(text)) await once(process.stdout, 'drain')
    }
  }

  /** The report on stdout, or into --output atomically (node_exporter must never read half a file). */
  private async writeReport(text: string, output: string | undefined): Promise<void> {
    if (output === undefined) {
      if (!process.stdout.write(text)) await once(process.stdout, 'drain')
      return
    }
    try {
      await writeFileAtomically(output, text)
    } catch (error) {
      throw new UserError(`cannot write --output ${output}: ${describeError(error)}`, ExitStatus.INPUT_ERROR)
    }
  }

  /** --state: the last run's state and what is new to read; a state file that cannot be used stops here (2). */
  private async startIncremental(path: string, inputs: LogInput[], nagios: boolean, sayPlan: boolean): Promise<IncrementalRun> {
    let run: IncrementalRun
    try {
      run = await startIncrementalRun(path, inputs)
    } catch (error) {
      if (error instanceof StateError) {
        // A monitoring plugin that cannot work says UNKNOWN (3) on stdout, where the monitoring system looks.
        if (nagios) process.stdout.write(`DOVEDIAG UNKNOWN - ${error.message}\n`)
        throw new UserError(error.message, nagios ? NAGIOS_STATUS.UNKNOWN : ExitStatus.INPUT_ERROR)
      }
      throw error
    }
    for (const input of inputs) if (input.kind !== 'file') this.note(`${input.name} has no reading position: it is read whole each run`)
    if (sayPlan) for (const note of run.plan.notes) this.note(note)
    return run
  }

  private async saveState(
    run: IncrementalRun,
    findings: Parameters<typeof nextState>[1],
    metrics: Parameters<typeof nextState>[2],
    positions?: Map<string, SavedPosition>,
  ): Promise<void> {
    try {
      await finishIncrementalRun(run, await nextState(run, findings, metrics, positions))
    } catch (error) {
      process.exitCode = worstStatus(Number(process.exitCode ?? 0), ExitStatus.INPUT_ERROR)
      this.note(`could not write the state file ${run.path}: ${(error as Error).message} (the last state is kept)`)
    }
  }

  /** The filter flags as filters; a value that makes no sense is a usage error. */
  private filters(
    flags: {
      since?: string
      until?: string
      user?: string[]
      service?: string[]
      level?: string[]
      'min-severity'?: string
      rule?: string[]
    },
    ruleSet: RuleSet,
  ) {
    try {
      return parseFilters(
        {
          since: flags.since,
          until: flags.until,
          user: flags.user,
          service: flags.service,
          level: flags.level as LogLevel[] | undefined,
          minSeverity: flags['min-severity'] as Severity | undefined,
          rule: flags.rule,
        },
        ruleSet.problems.map((rule) => rule.id),
      )
    } catch (error) {
      if (error instanceof FilterError) {
        const near =
          error.unknownRule === undefined
            ? []
            : nearest(
                error.unknownRule,
                ruleSet.problems.map((rule) => rule.id),
              )
        const hint = near.length > 0 ? `did you mean ${near.join(', ')}?` : "see 'dovediag rules' for the ids"
        throw new UserError(error.unknownRule === undefined ? error.message : `${error.message}: ${hint}`)
      }
      throw error
    }
  }

  /** A line on stderr, also under --json (where oclif's logToStderr is silent). */
  private note(text: string): void {
    this.progress?.clear()
    process.stderr.write(`${this.config.bin}: ${sanitizeForTerminal(text)}\n`) // file names are input text too
  }
}

/** Writes to stdout, waiting when its buffer is full so memory stays flat. */
async function writeText(text: string): Promise<void> {
  if (text !== '' && !process.stdout.write(text)) await once(process.stdout, 'drain')
}
