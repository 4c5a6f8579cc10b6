import {RE2JS} from 're2js'

import {PatternError, type RulePattern} from './pattern.js'

// A module of its own so that re2js (~270 KB of source, ~25 ms to load) is loaded only by a run that has a
// pattern someone other than the catalog wrote: user rules import it on demand, `migration check` for its tag
// pattern.

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
