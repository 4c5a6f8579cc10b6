import {RE2JS} from 're2js'

/**
 * What the matcher needs from a rule's pattern. A native RegExp fits as it is: built-in rules use those
 * (vetted for ReDoS by the catalog test, and several times faster). User-supplied patterns are compiled
 * by `compileSafePattern` into a linear-time re2js pattern with the same face.
 */
export interface RulePattern {
  /** The pattern text, for docs, `explain` and pattern checks. */
  readonly source: string
  /** Like RegExp#exec: null on a miss; named groups (undefined when they did not take part) are the facts. */
  exec(text: string): {groups?: Record<string, string | undefined>} | null
}

/** A user pattern re2js cannot compile (backreferences, lookaround, bad syntax). */
export class PatternError extends Error {}

/**
 * Compiles a pattern someone other than the catalog wrote, with re2js: matching time is linear in the
 * line's length whatever the pattern, so a user rule cannot hang a scan (no catastrophic backtracking).
 * Accepts JavaScript syntax for named groups, `(?<name>...)`, as well as RE2's `(?P<name>...)`.
 */
export function compileSafePattern(source: string): RulePattern {
  let compiled: RE2JS
  try {
    compiled = RE2JS.compile(source)
  } catch (error) {
    // re2js messages read "error parsing regexp: invalid or unsupported Perl syntax: `(?=`".
    throw new PatternError((error as Error).message.replace(/^error parsing regexp: /, ''))
  }
  return {
    source,
    exec: (text) => compiled.exec(text) as RegExpExecArray | null,
  }
}
