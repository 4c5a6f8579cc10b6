import * as Args from '@oclif/core/args'

import {BaseCommand, UserError} from '../cli/base-command.js'
import {describeRule} from '../catalog/describe.js'
import {rulesFlag, ruleSetFromFlag} from '../cli/rules-option.js'
import {nearest} from '../cli/suggest.js'
import {nearestCodeNames} from '../cli/code-argument.js'
import {ExitCodeInputError, explainCode, parseCodeArgument} from '../exit-codes/explain.js'
import {colors} from '../render/color.js'
import {renderExplanation} from '../render/exit-code-text.js'
import type {ExplainJson} from '../render/json-documents.js'
import {renderRulePage} from '../render/rule-text.js'
import {terminalWidth} from '../render/terminal.js'

export default class Explain extends BaseCommand {
  static override args = {
    subject: Args.string({description: 'a rule id (see dovediag rules) or a doveadm/dsync exit code or label', required: true}),
  }

  static override description = `Explain one rule or one exit code in full.

For a rule: what it means, example evidence, what to do (and the sub-cases the line can reveal), when it is harmless, the facts it extracts, how it matches, and the Dovecot doc link; docs/rules/<id>.md holds the same page. For an exit code: the same explanation as 'dovediag exit <code>'.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> vsz-limit-oom',
    '<%= config.bin %> <%= command.id %> 75',
    '<%= config.bin %> <%= command.id %> backup-lock --rules site-rules.yaml',
  ]

  static override flags = {
    rules: rulesFlag,
  }

  public async run(): Promise<ExplainJson> {
    const {args, flags} = await this.parse(Explain)
    const ruleSet = await ruleSetFromFlag(flags.rules)
    const rule = ruleSet.get(args.subject)
    let result: ExplainJson
    if (rule) {
      result = {kind: 'rule', rule: describeRule(rule, ruleSet.origin(rule))}
    } else {
      let code: number
      try {
        code = parseCodeArgument(args.subject)
      } catch (error) {
        if (!(error instanceof ExitCodeInputError)) throw error
        const near = [...nearest(args.subject, ruleSet.ids), ...nearestCodeNames(args.subject)]
        const hint = near.length > 0 ? `did you mean ${near.join(', ')}?` : "see 'dovediag rules' for the rule ids"
        throw new UserError(`'${args.subject}' is neither a rule nor an exit code: ${hint}`)
      }
      result = {kind: 'exit-code', code: explainCode(code, undefined, args.subject)}
    }
    if (!this.jsonEnabled()) {
      const c = colors()
      this.log(
        result.kind === 'rule' ? renderRulePage(result.rule, c, terminalWidth()) : renderExplanation(result.code, c, terminalWidth()),
      )
    }
    return result
  }
}
