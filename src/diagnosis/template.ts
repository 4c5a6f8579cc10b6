/**
 * The shape of a message with its variable parts masked, so one error repeated for a thousand users, pids,
 * sessions and paths is one group (logwatch groups by exact text and drowns in unique lines).
 */
const MASKS: [RegExp, string][] = [
  [/<[^<>\s]*>/g, '<*>'], // <session>, <msgid>, user=<...>
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '<email>'],
  [/^Mailbox [^:]+: /, 'Mailbox <*>: '],
  [/'[^']*'/g, "'*'"],
  // A path starts a word (not "Input/output") and may hold commas (Maildir names: ",S=100:2,S").
  [/(?<=^|[\s(=:'"])(?:[a-z]+:\/)?\/[^\s()'"]*[^\s()'",:;.]/gi, '<path>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  [/\d+/g, '#'],
]

export function messageTemplate(message: string, user: string | null): string {
  let template = message
  for (const [pattern, replacement] of MASKS) {
    template = template.replace(pattern, replacement)
    // After the <...> mask (so it stays), before the others (which would cut the name apart).
    if (replacement === '<*>' && user && user.length > 1) template = template.split(user).join('<user>')
  }
  return template
}
