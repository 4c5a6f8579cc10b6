import * as Args from '@oclif/core/args'

import {BaseCommand, UserError} from '../cli/base-command.js'
import {ExitStatus} from '../exit-status.js'
import {rulesFlag, ruleSetFromFlag} from '../cli/rules-option.js'
import {splitLines} from '../ingest/line-splitter.js'
import {LineParser} from '../ingest/parse-line.js'
import {BinaryInputError} from '../input/open.js'
import {MAX_LINE_SIZE} from '../input/limits.js'
import {rawRecognizer} from '../match/raw-recognizer.js'
import {traceLine} from '../match/trace.js'
import {colors} from '../render/color.js'
import type {MatchJson} from '../render/json-documents.js'
import {renderLineTrace, renderMatchTotals} from '../render/match-text.js'
import {terminalWidth} from '../render/terminal.js'

export default class Match extends BaseCommand {
  static override args = {
    lines: Args.string({
      description: 'log lines to try (quote each one), or - to read lines from stdin (the default when stdin is piped)',
      ignoreStdin: true,
    }),
  }

  static override description = `Show how dovediag reads log lines: the prefix fields it parsed, which rule matched and the facts it extracted — or, when none did, which rules came close and why.

For checking why a line is not recognized, and for testing your own rules (--rules). Exit status 0 when at least one line matched a rule, 1 when none did.`

  static override examples = [
    "<%= config.bin %> <%= command.id %> 'Nov 23 10:00:00 imap(jdoe)<1234><AbCd>: Error: write(/var/vmail/x) failed: No space left on device'",
    'grep -i error /var/log/dovecot.log | <%= config.bin %> <%= command.id %> -',
    "<%= config.bin %> <%= command.id %> --rules site-rules.yaml 'Nov 23 10:00:00 imap(jdoe): Error: backup lock held by nas1'",
  ]

  static override flags = {
    rules: rulesFlag,
  }

  static override strict = false

  public async run(): Promise<MatchJson> {
    const {argv, flags} = await this.parse(Match)
    const args = argv as string[]
    const fromStdin = args.length === 0 ? !process.stdin.isTTY : args.length === 1 && args[0] === '-'
    if (args.length === 0 && !fromStdin) throw new UserError("no line given: try dovediag match '<a log line>', or pipe lines in")
    const ruleSet = await ruleSetFromFlag(flags.rules)
    // One parser for all lines, as for one input: the line shape it recognized first is tried first.
    const parser = new LineParser({source: fromStdin ? '-' : 'argument', recognizeRaw: rawRecognizer(ruleSet.rules)})
    const c = colors()
    const result: MatchJson = {lines: [], matched: 0}
    let total = 0
    const add = (text: string) => {
      const trace = traceLine(parser, ruleSet.rules, text, ++total)
      if (trace.matches.length > 0) result.matched++
      // --json keeps every trace for the document; text goes out line by line.
      if (this.jsonEnabled()) result.lines.push(trace)
      else this.log(`${total > 1 ? '\n' : ''}${renderLineTrace(trace, c, terminalWidth())}`)
    }
    if (fromStdin) {
      try {
        for await (const {line, text, cutBytes} of splitLines(process.stdin)) {
          if (cutBytes > 0)
            process.stderr.write(
              `${this.config.bin}: -:${line}: line is longer than ${MAX_LINE_SIZE}: its first ${MAX_LINE_SIZE} tried, the rest cut\n`,
            )
          add(text)
        }
      } catch (error) {
        if (error instanceof BinaryInputError)
          throw new UserError('-: is binary, not log lines (NUL bytes in its first 4 KiB)', ExitStatus.INPUT_ERROR)
        throw error
      }
    } else args.forEach(add)
    if (!this.jsonEnabled()) this.log(`\n${renderMatchTotals(result.matched, total)}`)
    process.exitCode = result.matched > 0 ? ExitStatus.OK : ExitStatus.ACTION_NEEDED
    return result
  }
}
