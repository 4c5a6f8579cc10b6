/**
 * What the matcher needs from a rule's pattern. A native RegExp fits as it is: built-in rules use those
 * (vetted for ReDoS by the catalog test, and several times faster). User-supplied patterns are compiled
 * by `compileSafePattern` (safe-pattern.ts, loaded only by a run that has one) into a linear-time re2js
 * pattern with the same face.
 */
export interface RulePattern {
  /** The pattern text, for docs, `explain` and pattern checks. */
  readonly source: string
  /** Like RegExp#exec: null on a miss; named groups (undefined when they did not take part) are the facts. */
  exec(text: string): {groups?: Record<string, string | undefined>} | null
}

/** A user pattern re2js cannot compile (backreferences, lookaround, bad syntax). */
export class PatternError extends Error {}
