import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand, UserError} from '../cli/base-command.js'
import {ExitStatus} from '../exit-status.js'
import {codeFromArgument} from '../cli/code-argument.js'
import {type CodeExplanation, explainAll, explainCode} from '../exit-codes/explain.js'
import {PHASES} from '../exit-codes/actions.js'
import {colors} from '../render/color.js'
import {renderCodeTable, renderExplanation} from '../render/exit-code-text.js'
import {terminalWidth} from '../render/terminal.js'
import type {ExitJson} from '../render/json-documents.js'

// oclif reads "-1" as a flag; a leading marker lets negative numbers through to our own validation.
const NEGATIVE = 'negative:'

export default class Exit extends BaseCommand {
  static override args = {
    code: Args.string({description: 'exit code(s) or label(s): 75, EX_TEMPFAIL, tempfail, 235, SIGKILL', required: false}),
  }

  static override description = `Explain a doveadm/dsync exit code and what a migration should do about it.

Knows the documented codes (0, 2, 64-78, 1003), the ones Dovecot's source adds (1001, 1002, -1), Dovecot's fatal statuses (80-89), shell statuses (124, 126, 127), signals (128+N) and 8-bit wrap-around (235 = 1003 seen through a shell). Actions: done, rerun, retry, remove-user, fail, suspend-all.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> 75',
    '<%= config.bin %> <%= command.id %> EX_NOPERM 235',
    '<%= config.bin %> <%= command.id %> --all',
    'doveadm backup -u jdoe imapc: ; <%= config.bin %> <%= command.id %> $? --phase final --check',
    'doveadm sync -u jdoe imapc: ; <%= config.bin %> <%= command.id %> $? --check --quiet || echo "jdoe: not done"',
  ]

  static override flags = {
    all: Flags.boolean({description: 'list every known code in one table (not with codes or --check)', exclusive: ['check']}),
    check: Flags.boolean({
      description: 'exit 0 only if every code counts as done in --phase (1: action needed, 3: suspend all migrations)',
    }),
    quiet: Flags.boolean({
      char: 'q',
      description: 'print nothing: the exit status alone answers (for scripts, with --check)',
      exclusive: ['all', 'json'],
    }),
    phase: Flags.option({default: 'intermediate', description: 'migration phase the action is for', options: PHASES})(),
  }

  static override strict = false

  public async run(): Promise<ExitJson> {
    this.argv = this.argv.map((arg) => (/^-\d+$/.test(arg) ? NEGATIVE + arg : arg))
    const {argv, flags} = await this.parse(Exit)
    const inputs = (argv as string[]).map((arg) => arg.replace(NEGATIVE, ''))
    if (inputs.length === 0 && !flags.all) {
      throw new UserError("no exit code given: try 'dovediag exit 75' or 'dovediag exit --all'")
    }
    if (inputs.length > 0 && flags.all) {
      throw new UserError(`give exit codes or --all, not both (got ${inputs.join(' ')} and --all)`)
    }

    const codes: CodeExplanation[] = flags.all
      ? explainAll(flags.phase)
      : inputs.map((input) => explainCode(codeFromArgument(input), flags.phase, input))

    const result: ExitJson = {phase: flags.phase, done: codes.every((code) => code.action === 'done'), codes}
    if (!this.jsonEnabled() && !flags.quiet) {
      const c = colors()
      const width = terminalWidth()
      this.log(flags.all ? renderCodeTable(codes, c, width) : codes.map((code) => renderExplanation(code, c, width)).join('\n\n'))
    }

    if (flags.check && !result.done) {
      process.exitCode = codes.some((code) => code.action === 'suspend-all') ? ExitStatus.SUSPEND_ALL : ExitStatus.ACTION_NEEDED
    }

    return result
  }
}
