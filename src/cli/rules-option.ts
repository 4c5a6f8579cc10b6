import * as Flags from '@oclif/core/flags'

import {UserError} from './base-command.js'
import {loadRuleSet, type RuleSet} from '../user-rules/rule-set.js'
import {UserRuleError} from '../user-rules/user-rules.js'

/** `--rules FILE`, shared by every command that reads rules: the user's own rules, added to the catalog. */
export const rulesFlag = Flags.string({
  description: 'add your own rules from this YAML or JSON file (repeatable); docs/custom-rules.md gives the shape',
  helpValue: 'FILE',
  multiple: true,
  // One file per --rules: a greedy flag would swallow `logs`' inputs and `match`'s lines after it.
  multipleNonGreedy: true,
})

/** The catalog plus the files given; a file that cannot be used is a usage error (64) naming file and field. */
export async function ruleSetFromFlag(files: readonly string[] | undefined): Promise<RuleSet> {
  try {
    return await loadRuleSet(files)
  } catch (error) {
    if (error instanceof UserRuleError) throw new UserError(error.message)
    throw error
  }
}
