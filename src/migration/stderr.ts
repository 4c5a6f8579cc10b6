/**
 * The seam between `migration check` and the log catalog (src/catalog/, src/match/): what a user's captured
 * stderr says went wrong. The one place the policy asks, so the catalog plugs in here and nowhere else.
 */

export interface StderrDiagnosis {
  /** The catalog rule's slug, e.g. `lock-timeout`. */
  rule: string
  /** The rule's title, for the reason shown per user. */
  title: string
}

/**
 * The catalog's reading of a stderr capture, or null when nothing in it matches a rule.
 *
 * TODO(issue 4): the log catalog and its matcher are not on main yet; until they are, nothing matches and
 * the reason quotes the first error line instead (see `firstErrorLine`).
 */
export function diagnoseStderr(_text: string): StderrDiagnosis | null {
  return null
}

// Dovecot's level words as they appear in dsync/doveadm stderr ("dsync-local(jdoe): Error: ...").
const SEVERE = /\b(Panic|Fatal|Error):/

/** The first Panic/Fatal/Error line of a stderr capture (else its first non-empty line), shortened. */
export function firstErrorLine(text: string, max = 200): string | null {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '')
  const line = lines.find((candidate) => SEVERE.test(candidate)) ?? lines[0]
  if (line === undefined) return null
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
