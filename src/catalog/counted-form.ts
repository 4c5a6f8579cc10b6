/**
 * Counted forms (issue #16): for the commonest facts (logins, logouts, deliveries: most lines of a busy log),
 * the test their patterns make, written on a message's ASCII bytes, so that the reader's fast lane counts such
 * a line without making a string of it or running a regex. A form answers MATCHES or NO_MATCH only where it
 * is sure to agree with the rule's patterns on `ruleReadable(message)` (src/match/mail-log-fields.ts), and
 * UNSURE elsewhere (then the string is made and the patterns run). test/catalog/counted-forms.test.ts checks
 * every form against its rule's patterns on the rule's examples and on generated near misses.
 */
export const MATCHES = 1
export const NO_MATCH = 0
export const UNSURE = -1
export type CountedAnswer = typeof MATCHES | typeof NO_MATCH | typeof UNSURE

/** Whether a rule's patterns match the ASCII message `bytes[start, end)`, or UNSURE. */
export type CountedForm = (bytes: Uint8Array, start: number, end: number) => CountedAnswer

/** `bytes[at, end)` starts with the ASCII `text`. */
export function asciiAt(bytes: Uint8Array, at: number, end: number, text: string): boolean {
  if (at + text.length > end) return false
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false
  return true
}

/** A character of RegExp's \w. */
export const isWordByte = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95
