/**
 * The shape of a message with its variable parts masked, so one error repeated for a thousand users, pids,
 * sessions and paths is one group (logwatch groups by exact text and drowns in unique lines).
 */
const MASKS: [RegExp, string][] = [
  [/<[^<>\s]*>/g, '<*>'], // <session>, <msgid>, user=<...>
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '<email>'],
  [/^Mailbox [^:]+: /, 'Mailbox <*>: '],
  [/'[^']*'/g, "'*'"],
  [/(?:[a-z]+:\/)?\/[^\s,;:()'"]+/gi, '<path>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  [/\d+/g, '#'],
]

export function messageTemplate(message: string, user: string | null): string {
  let template = user && user.length > 1 ? message.split(user).join('<user>') : message
  for (const [pattern, replacement] of MASKS) template = template.replace(pattern, replacement)
  return template
}
