import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand, UserError} from '../../cli/base-command.js'
import {ExitStatus, worstStatus} from '../../exit-status.js'
import {ReadInterrupt} from '../../cli/interrupt.js'
import {nonEmpty, wholeNumber} from '../../cli/flag-values.js'
import type {RulePattern} from '../../catalog/pattern.js'
import {compileTagPattern, DEFAULT_TAG_PATTERN, TagPatternError} from '../../migration/api-tags.js'
import {checkMigration, type MigrationReport} from '../../migration/check.js'
import {
  appendStepSummary,
  assertDistinctOutputs,
  assertNotInput,
  OutputFileError,
  userListTarget,
  writeUserList,
} from '../../migration/output-files.js'
import {INPUT_FORMATS} from '../../migration/record.js'
import {PHASES} from '../../exit-codes/actions.js'
import {colors} from '../../render/color.js'
import {renderMigrationGithub} from '../../render/migration-github.js'
import {migrationJunitPieces} from '../../render/migration-junit.js'
import {migrationMarkdownPieces, renderMigrationMarkdown} from '../../render/migration-markdown.js'
import {renderMigrationText, where} from '../../render/migration-text.js'
import {terminalWidth} from '../../render/terminal.js'
import {writePieces} from '../../render/pieces.js'
import {writeJson} from '../../render/json.js'
import {stdoutFileWriter} from '../../render/stdout-file.js'
import {sanitizeForTerminal} from '../../render/sanitize.js'

/**
 * A big report's text (JSON, JUnit, Markdown: tens of MB for a wave of 100 000 users) on stdout: through one reused
 * Buffer when stdout is a file, else through process.stdout (see stdoutFileWriter).
 */
function writeStdout(writeAll: (write: (text: string) => void) => void): void {
  const file = stdoutFileWriter()
  if (file === null) {
    writeAll((text) => process.stdout.write(text))
    return
  }
  writeAll((text) => file.write(text))
  file.flush()
}

/** Per-user rows in the GitHub step summary: it takes at most 1 MiB. */
const STEP_SUMMARY_USERS = 1000

export default class MigrationCheck extends BaseCommand {
  static override args = {
    input: Args.string({description: 'result exports: files, globs (quote them), gzip or not, or - for stdin', required: false}),
  }

  static override description = `Check a migration wave's dsync results: who is done, who to retry, who to drop, who failed, and whether to stop everything.

Reads the results your orchestration exported (CSV/TSV/semicolon with a header, JSON, JSON Lines, doveadm HTTP API responses, GNU parallel --joblog and --results), decides per user from the latest attempt with the same exit-code knowledge as 'dovediag exit', and reports as text, JSON, JUnit XML, GitHub annotations or Markdown. Exit status: 0 every user done, 1 some users need action, 2 some input could not be read, 3 suspend all migrations.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> results.csv',
    "<%= config.bin %> <%= command.id %> 'wave-3/*.jsonl.gz' --phase final --max-retries 5 --retry-file next-wave.txt",
    '<%= config.bin %> <%= command.id %> parallel.joblog --format junit > migration-junit.xml',
    'curl ... /doveadm/v1 | <%= config.bin %> <%= command.id %> - --format github',
  ]

  static override flags = {
    phase: Flags.option({
      default: 'intermediate',
      description: 'migration phase: 2 is done mid-migration, rerun at the final cut-over',
      options: PHASES,
    })(),
    'max-retries': Flags.custom<number>({
      description: 'a user to retry who has had this many attempts is marked fail instead',
      parse: wholeNumber(1, 'attempts'),
    })(),
    format: Flags.option({
      default: 'text',
      description: 'report format (--json for JSON)',
      options: ['text', 'junit', 'github', 'markdown'] as const,
    })(),
    'input-format': Flags.option({
      default: 'auto',
      description: 'read every input as this format instead of detecting it',
      options: ['auto', ...INPUT_FORMATS] as const,
    })(),
    'user-col': Flags.string({parse: nonEmpty, description: 'name of the user column (or JSON key)'}),
    'code-col': Flags.string({parse: nonEmpty, description: 'name of the exit code column (or JSON key)'}),
    'stderr-col': Flags.string({parse: nonEmpty, description: 'name of the captured stderr column (or JSON key)'}),
    'tag-pattern': Flags.string({
      parse: nonEmpty,
      description: `regular expression with a (?<user>...) group (and optionally (?<attempt>...)) reading the user from a doveadm HTTP API tag [default: ${DEFAULT_TAG_PATTERN}, and then only a tag that is an address goes on the lists]`,
    }),
    strict: Flags.boolean({
      default: false,
      description: 'a user whose sync exited 0 with errors on stderr fails instead of being done, with errors',
    }),
    'fold-case': Flags.boolean({
      default: false,
      description: 'user names differing only in case are one user, in lower case (as auth_username_format = %Lu)',
    }),
    'retry-file': Flags.string({
      helpValue: 'FILE',
      parse: nonEmpty,
      description: 'write the users to sync again (retry, rerun), one per line, for doveadm backup -F',
    }),
    'remove-file': Flags.string({
      helpValue: 'FILE',
      parse: nonEmpty,
      description: 'write the users to drop from the migration list (remove-user), one per line',
    }),
  }

  static override strict = false

  public async run(): Promise<MigrationReport> {
    const {argv, flags} = await this.parse(MigrationCheck)
    const inputs = argv as string[]
    if (inputs.length === 0) throw new UserError("no input given: name result files or globs, or '-' to read stdin")

    let tagPattern: RulePattern
    try {
      tagPattern = await compileTagPattern(flags['tag-pattern'])
    } catch (error) {
      if (error instanceof TagPatternError) throw new UserError(error.message)
      throw error
    }
    const targets: {retry?: string; remove?: string} = {}
    try {
      await assertDistinctOutputs([
        {flag: '--retry-file', path: flags['retry-file']},
        {flag: '--remove-file', path: flags['remove-file']},
      ])
      if (flags['retry-file']) await assertNotInput(flags['retry-file'], inputs, '--retry-file')
      if (flags['remove-file']) await assertNotInput(flags['remove-file'], inputs, '--remove-file')
      // Before reading: an unwritable list is a usage error that costs nothing and never replaces the report.
      if (flags['retry-file']) targets.retry = await userListTarget(flags['retry-file'])
      if (flags['remove-file']) targets.remove = await userListTarget(flags['remove-file'])
    } catch (error) {
      if (error instanceof OutputFileError) throw new UserError(error.message)
      throw error
    }

    // SIGTERM (a CI job cancelled, a service manager) stops the reading as Ctrl-C does, with status 143.
    const interrupt = new ReadInterrupt(this.config.bin, {sigterm: true})
    const report = await checkMigration(inputs, {
      signal: interrupt.signal,
      phase: flags.phase,
      maxRetries: flags['max-retries'] ?? null,
      format: flags['input-format'] === 'auto' ? undefined : flags['input-format'],
      overrides: {user: flags['user-col'], code: flags['code-col'], stderr: flags['stderr-col']},
      tags: {pattern: tagPattern, given: flags['tag-pattern'] !== undefined},
      strict: flags.strict,
      foldCase: flags['fold-case'],
      onProblem: (problem) =>
        process.stderr.write(
          `${this.config.bin}: ${sanitizeForTerminal(`${where({file: problem.source, line: problem.line})}: ${problem.message}`)}\n`,
        ),
      onWarning: (warning) => process.stderr.write(`${this.config.bin}: warning: ${sanitizeForTerminal(warning.message)}\n`),
    }).finally(() => interrupt.stop())
    if (interrupt.interrupted) process.stdin.destroy() // a pipe still open would keep the process alive
    report.status = worstStatus(report.status, interrupt.status)

    if (!this.jsonEnabled()) {
      switch (flags.format) {
        case 'junit':
          writeStdout((write) => writePieces(migrationJunitPieces(report), write))
          break
        case 'github':
          process.stdout.write(renderMigrationGithub(report))
          break
        case 'markdown':
          writeStdout((write) => writePieces(migrationMarkdownPieces(report), write))
          break
        default:
          this.log(renderMigrationText(report, colors(), terminalWidth()))
      }
    }

    try {
      if (flags.format === 'github' && process.env.GITHUB_STEP_SUMMARY) {
        await appendStepSummary(process.env.GITHUB_STEP_SUMMARY, renderMigrationMarkdown(report, {maxUsers: STEP_SUMMARY_USERS}))
      }
      await this.writeLists(report, flags, targets, interrupt.interrupted)
    } catch (error) {
      if (!(error instanceof OutputFileError)) throw error
      // Found only now (the checks before reading passed): the report stands, the status says so.
      process.stderr.write(`${this.config.bin}: ${sanitizeForTerminal(error.message)}\n`)
      report.status = worstStatus(report.status, ExitStatus.OUTPUT_ERROR)
    }

    process.exitCode = report.status
    return report
  }

  /** The report (or the error document) under --json, written as writeStdout writes. */
  protected override logJson(json: unknown): void {
    writeStdout((write) => writeJson(json, write))
  }

  /**
   * The user lists, written only from a whole, clean read: after Ctrl-C or any input problem a list would
   * silently leave users out (or hold a guess), so the old lists are kept and stderr says so.
   */
  private async writeLists(
    report: MigrationReport,
    flags: {'retry-file'?: string; 'remove-file'?: string},
    targets: {retry?: string; remove?: string},
    interrupted: boolean,
  ): Promise<void> {
    if (!flags['retry-file'] && !flags['remove-file']) return
    const why = interrupted ? 'interrupted' : report.problems.length > 0 ? `${report.problems.length} input problem(s)` : null
    if (why !== null) {
      process.stderr.write(`${this.config.bin}: ${why}: --retry-file and --remove-file not written (the old lists are kept)\n`)
      return
    }
    const usersWith = (...actions: string[]) =>
      report.users.filter((user) => actions.includes(user.action) && !user.unmappedTag).map((user) => user.user)
    if (flags['retry-file']) await writeUserList(flags['retry-file'], usersWith('retry', 'rerun'), targets.retry)
    if (flags['remove-file']) await writeUserList(flags['remove-file'], usersWith('remove-user'), targets.remove)
  }
}
