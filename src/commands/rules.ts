import {BaseCommand} from '../cli/base-command.js'
import {listRule} from '../catalog/describe.js'
import {rulesFlag, ruleSetFromFlag} from '../cli/rules-option.js'
import {colors} from '../render/color.js'
import type {RulesJson} from '../render/json-documents.js'
import {renderRuleTable} from '../render/rule-text.js'

export default class Rules extends BaseCommand {
  static override description = `List the rules dovediag diagnoses logs with: id, severity (or "fact" for what is only counted) and title.

'dovediag explain <id>' shows one rule in full; docs/rules/<id>.md has the same page. With --rules, your own rules are listed too.`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json', '<%= config.bin %> <%= command.id %> --rules site-rules.yaml']

  static override flags = {
    rules: rulesFlag,
  }

  public async run(): Promise<RulesJson> {
    const {flags} = await this.parse(Rules)
    const ruleSet = await ruleSetFromFlag(flags.rules)
    const result: RulesJson = {rules: ruleSet.rules.map((rule) => listRule(rule, ruleSet.origin(rule)))}
    if (!this.jsonEnabled()) this.log(renderRuleTable(result.rules, colors()))
    return result
  }
}
