/**
 * Log lines carry text that clients control (user names, IMAP commands). Before such text reaches a
 * terminal, escape sequences and other control characters are made visible instead of being
 * interpreted: `\x1b[2J` must not clear the admin's screen, and a stray `\r` must not overwrite a line.
 */

// C0 controls except TAB, DEL, and the C1 range (8-bit CSI and friends). Bounded, no nesting: linear.
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g
// Unicode bidi overrides and isolates can reorder what a terminal shows ("Trojan Source").
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g

function visible(char: string): string {
  const code = char.codePointAt(0) as number
  if (code === 0x1b) return '\\e'
  if (code === 0x0a) return '\\n'
  if (code === 0x0d) return '\\r'
  return `\\x${code.toString(16).padStart(2, '0')}`
}

/** Text safe to print on a terminal: control characters shown as escapes (`\e`, `\r`, `\x07`). */
export function sanitizeForTerminal(text: string): string {
  return text.replace(CONTROL, visible).replace(BIDI, (char) => `\\u${(char.codePointAt(0) as number).toString(16)}`)
}

const oneLine = (text: string): string => sanitizeForTerminal(text.replace(/\r?\n/g, ' '))

/** A value from an input as text: a string as it is, nothing as empty, a structure as JSON. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return value === null || value === undefined ? '' : (JSON.stringify(value) ?? '')
}

/**
 * Log- or export-derived text in Markdown (a ticket, GitHub's step summary), outside code: one line, escapes
 * visible, no `|` ending a table cell, no raw HTML (`<script>`, `<img>`).
 */
export function markdownText(value: unknown): string {
  return oneLine(asText(value)).replaceAll('|', '\\|').replaceAll('<', '&lt;')
}

/** The same as a code span: a backtick in the text would end the span early, so it becomes `'`. */
export function markdownCode(value: unknown): string {
  return '`' + oneLine(asText(value)).replaceAll('`', "'").replaceAll('|', '\\|') + '`'
}
