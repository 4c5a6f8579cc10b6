import {conditionsText, type RuleDescription} from '../catalog/describe.js'

const GENERATED = '<!-- Generated from src/catalog/rules/ by `npm run docs`: edit the rule, not this page. -->'

/** A code span that survives backticks in the text. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`'
  return `${fence}${text.includes('`') ? ` ${text} ` : text}${fence}`
}

function steps(remedy: string[]): string[] {
  return remedy.map((step, index) => `${index + 1}. ${step}`)
}

/** docs/rules/<id>.md: the rule's page, in ShellCheck's order (evidence, meaning, remedy, exceptions, link). */
function renderRuleMarkdown(rule: RuleDescription): string {
  const severity = rule.severity ?? 'fact (counted, never flagged)'
  const lines = [GENERATED, '', `# ${rule.id}: ${rule.title}`, '', `Severity: **${severity}**`]
  if (rule.versions) lines.push('', `Dovecot versions: ${rule.versions.join(', ')}`)
  lines.push('', '## What it means', '', rule.explanation)
  lines.push('', '## Example evidence', '', '```')
  for (const example of rule.examples.match) lines.push(example.line)
  lines.push('```')
  if (rule.examples.match.some((example) => Object.keys(example.facts).length > 0)) {
    lines.push('', 'Facts extracted from these lines:', '')
    rule.examples.match.forEach((example, index) => {
      const facts = Object.entries(example.facts)
      if (facts.length > 0) lines.push(`- line ${index + 1}: ${facts.map(([name, value]) => `${name} = ${code(value)}`).join(', ')}`)
    })
  }
  if (rule.remedy.length > 0) lines.push('', '## What to do', '', ...steps(rule.remedy))
  for (const variant of rule.variants) {
    lines.push('', `### When the line shows \`${variant.whenFact}\` (${variant.id})`, '', variant.explanation, '', ...steps(variant.remedy))
  }
  if (rule.harmless) lines.push('', '## When it is harmless', '', rule.harmless)
  const facts = Object.entries(rule.facts)
  if (facts.length > 0) {
    lines.push('', '## Facts', '', '| fact | meaning |', '| --- | --- |')
    for (const [name, meaning] of facts) lines.push(`| \`${name}\` | ${meaning.replaceAll('|', '\\|')} |`)
  }
  lines.push('', '## How it matches', '')
  if (rule.fallback)
    lines.push(
      '- any line at the levels below that no other problem rule recognizes, grouped by its message with the variable parts masked',
    )
  else lines.push(`- literal: ${code(rule.literal)}`)
  for (const pattern of rule.patterns) lines.push(`- pattern: ${code(pattern)}`)
  lines.push(`- only on: ${conditionsText(rule.conditions)}`)
  if (rule.examples.nearMiss.length > 0) {
    lines.push('', '## Near misses (must not match)', '')
    for (const example of rule.examples.nearMiss) lines.push(`- ${code(example.line)}${example.why ? `: ${example.why}` : ''}`)
  }
  lines.push('', '## Reference', '', `- Dovecot documentation: <${rule.docs}>`, `- In the terminal: \`dovediag explain ${rule.id}\``, '')
  return lines.join('\n')
}

/** docs/rules/README.md: the index of every rule page. */
function renderRuleIndexMarkdown(rules: readonly RuleDescription[]): string {
  const lines = [GENERATED, '', '# dovediag rules', '', '| rule | severity | what it finds |', '| --- | --- | --- |']
  for (const rule of rules) lines.push(`| [\`${rule.id}\`](${rule.id}.md) | ${rule.severity ?? 'fact'} | ${rule.title} |`)
  lines.push('')
  return lines.join('\n')
}

/** Every file under docs/rules/, by file name: what `npm run docs` writes and the docs test compares. */
export function ruleDocPages(rules: readonly RuleDescription[]): Map<string, string> {
  const pages = new Map<string, string>([['README.md', renderRuleIndexMarkdown(rules)]])
  for (const rule of rules) pages.set(`${rule.id}.md`, renderRuleMarkdown(rule))
  return pages
}
