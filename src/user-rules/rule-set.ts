import {BUILT_IN} from '../catalog/describe.js'
import {PROBLEM_RULES, RULES} from '../catalog/index.js'
import type {Rule} from '../catalog/rule.js'
import {loadUserRules} from './user-rules.js'

/** The built-in catalog plus the user's rules (`--rules FILE`), and where each rule came from. */
export class RuleSet {
  readonly rules: readonly Rule[]
  readonly problems: readonly Rule[]
  private readonly origins = new Map<Rule, string>()
  private readonly byId: Map<string, Rule>

  constructor(user: readonly {rule: Rule; file: string}[] = []) {
    for (const {rule, file} of user) this.origins.set(rule, file)
    const userRules = user.map(({rule}) => rule)
    this.rules = [...RULES, ...userRules]
    this.problems = [...PROBLEM_RULES, ...userRules]
    this.byId = new Map(this.rules.map((rule) => [rule.id, rule]))
  }

  get(id: string): Rule | undefined {
    return this.byId.get(id)
  }

  get ids(): string[] {
    return [...this.byId.keys()]
  }

  /** `built-in`, or the file a user rule was read from. */
  origin(rule: Rule): string {
    return this.origins.get(rule) ?? BUILT_IN
  }
}

/** Loads the given rules files (in order; ids unique across all of them and the catalog). */
export async function loadRuleSet(files: readonly string[] = []): Promise<RuleSet> {
  const user: {rule: Rule; file: string}[] = []
  const taken = new Set(RULES.map((rule) => rule.id))
  for (const file of files) {
    for (const rule of await loadUserRules(file, taken)) {
      user.push({rule, file})
      taken.add(rule.id)
    }
  }
  return new RuleSet(user)
}
