import {conditionsText, type RuleDescription, type RuleListing} from '../catalog/describe.js'
import {type Colors, severityColor} from './color.js'
import {sanitizeForTerminal as sanitize} from './sanitize.js'
import {fittedTable} from './table.js'
import {wrapIndented} from './terminal.js'

/** "critical" for a problem, "fact" for a rule that is only counted. */
const severityLabel = (rule: RuleListing): string => rule.severity ?? 'fact'

/** `dovediag rules`: one row per rule, `width` columns wide at most. */
export function renderRuleTable(rules: readonly RuleListing[], c: Colors, width: number): string {
  const showOrigin = rules.some((rule) => rule.origin !== 'built-in')
  return fittedTable(
    showOrigin ? ['id', 'severity', 'title', 'from'] : ['id', 'severity', 'title'],
    rules.map((rule) => {
      const row = [rule.id, severityColor(c, rule.severity)(severityLabel(rule)), rule.title]
      return showOrigin ? [...row, rule.origin] : row
    }),
    width,
  )
}

const indent = (text: string, by = '  ') => by + text

/** `dovediag explain <rule>`: the whole page (ShellCheck's wiki page, in the terminal), `width` columns wide at most. */
export function renderRulePage(rule: RuleDescription, c: Colors, width: number): string {
  const heading = (text: string) => ['', c.bold(text)]
  const lines = [`${c.bold(rule.id)}  ${severityColor(c, rule.severity)(severityLabel(rule))}  ${rule.title}`]
  if (rule.origin !== 'built-in') lines.push(c.dim(`from ${rule.origin}`))
  if (rule.explanation) lines.push(...heading('What it means'), indent(rule.explanation))
  if (rule.examples.match.length > 0) {
    lines.push(...heading('Example evidence'))
    for (const example of rule.examples.match) {
      lines.push(indent(sanitize(example.line)) + (example.version ? c.dim(`  (${example.version})`) : ''))
      const facts = Object.entries(example.facts)
      if (facts.length > 0) lines.push(indent(c.dim(`facts: ${facts.map(([name, value]) => `${name}=${value}`).join(' ')}`), '    '))
    }
  }
  if (rule.remedy.length > 0) {
    lines.push(...heading('What to do'))
    rule.remedy.forEach((step, index) => lines.push(indent(`${index + 1}. ${step}`)))
  }
  for (const variant of rule.variants) {
    lines.push(...heading(`When the line shows ${variant.whenFact} (${variant.id})`), indent(variant.explanation))
    variant.remedy.forEach((step, index) => lines.push(indent(`${index + 1}. ${step}`)))
  }
  if (rule.harmless) lines.push(...heading('When it is harmless'), indent(rule.harmless))
  const facts = Object.entries(rule.facts)
  if (facts.length > 0) {
    lines.push(...heading('Facts extracted'))
    const width = Math.max(...facts.map(([name]) => name.length))
    for (const [name, meaning] of facts) lines.push(indent(`${name.padEnd(width)}  ${meaning}`))
  }
  lines.push(
    ...heading('How it matches'),
    indent(rule.fallback ? 'any line at these levels that no other problem rule recognizes' : `literal   ${JSON.stringify(rule.literal)}`),
  )
  for (const pattern of rule.patterns) lines.push(indent(`pattern   ${pattern}`))
  lines.push(indent(`only on    ${conditionsText(rule.conditions)}`))
  if (rule.versions) lines.push(indent(`versions  Dovecot ${rule.versions.join(', ')}`))
  if (rule.examples.nearMiss.length > 0) {
    lines.push(...heading('Near misses (must not match)'))
    for (const example of rule.examples.nearMiss) {
      lines.push(indent(sanitize(example.line)))
      if (example.why) lines.push(indent(c.dim(example.why), '    '))
    }
  }
  lines.push(...heading('Docs'), indent(rule.docs))
  // Example lines and patterns are shown whole: they are what to search for.
  return lines.flatMap((line) => (/^ {2}(pattern|literal) /.test(line) ? [line] : wrapIndented(line, width))).join('\n')
}
