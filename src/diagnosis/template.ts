/**
 * The shape of a message with its variable parts masked, so one error repeated for a thousand users, pids,
 * sessions and paths is one group (logwatch groups by exact text and drowns in unique lines).
 */
const MASKS: [RegExp, string][] = [
  [/<[^<>\s]*>/g, '<*>'], // <session>, <msgid>, user=<...>
  // The lookbehind starts a match only where a run of name characters starts: without it, a long run
  // with no "@" is rescanned from every position (quadratic on a 1 MiB line).
  [/(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '<email>'],
  [/^Mailbox [^:]+: /, 'Mailbox <*>: '],
  [/'[^']*'/g, "'*'"],
  // A path starts a word (not "Input/output") and may hold commas (Maildir names: ",S=100:2,S").
  [/(?<=^|[\s(=:'"])(?:[a-z]+:\/)?\/[^\s()'"]*[^\s()'",:;.]/gi, '<path>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  [/\d+/g, '#'],
]

/** Only the start of a message shapes its group: a megabyte-long line costs no more than a short one. */
const TEMPLATE_INPUT_MAX = 2000

export function messageTemplate(message: string, user: string | null): string {
  let template = message.length > TEMPLATE_INPUT_MAX ? `${message.slice(0, TEMPLATE_INPUT_MAX)}…` : message
  for (const [pattern, replacement] of MASKS) {
    template = template.replace(pattern, replacement)
    // After the <...> mask (so it stays), before the others (which would cut the name apart).
    if (replacement === '<*>' && user && user.length > 1) template = template.split(user).join('<user>')
  }
  return template
}
