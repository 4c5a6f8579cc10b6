import * as Flags from '@oclif/core/flags'

import {BaseCommand, UserError} from '../cli/base-command.js'
import {listRule} from '../catalog/describe.js'
import {rulesFlag, ruleSetFromFlag} from '../cli/rules-option.js'
import {colors} from '../render/color.js'
import type {RulesJson} from '../render/json-documents.js'
import {DEFAULT_WINDOW, prometheusAlertRules} from '../metrics/alert-rules.js'
import {renderRuleTable} from '../render/rule-text.js'
import {terminalWidth} from '../render/terminal.js'

export default class Rules extends BaseCommand {
  static override description = `List the rules dovediag diagnoses logs with: id, severity (or "fact" for what is only counted) and title.

'dovediag explain <id>' shows one rule in full; docs/rules/<id>.md has the same page. With --rules, your own rules are listed too.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
    '<%= config.bin %> <%= command.id %> --rules site-rules.yaml',
    '<%= config.bin %> <%= command.id %> --export prometheus > /etc/prometheus/rules/dovediag.yml',
  ]

  static override flags = {
    rules: rulesFlag,
    export: Flags.string({
      description:
        "write the rules in another tool's form instead: prometheus (alerting rules over the counters of 'logs --format prometheus')",
      options: ['prometheus'],
    }),
    window: Flags.string({
      description: `--export prometheus: how far back an alert looks for new findings (a Prometheus duration)`,
      default: DEFAULT_WINDOW,
    }),
  }

  public async run(): Promise<RulesJson> {
    const {flags} = await this.parse(Rules)
    const ruleSet = await ruleSetFromFlag(flags.rules)
    const result: RulesJson = {rules: ruleSet.rules.map((rule) => listRule(rule, ruleSet.origin(rule)))}
    if (flags.export === 'prometheus') {
      if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(flags.window))
        throw new UserError(`--window ${flags.window} is not a Prometheus duration (e.g. 15m, 1h)`)
      process.stdout.write(prometheusAlertRules(ruleSet.rules, flags.window))
      return result
    }
    if (!this.jsonEnabled()) this.log(renderRuleTable(result.rules, colors(), terminalWidth()))
    return result
  }
}
