/**
 * The longest run of characters every match of `pattern` holds, read from its source: the characters of the
 * pattern's top level that no quantifier, group, class or escape stands between. Null when it cannot tell
 * (a top-level `|`, the `i` or `v` flag, an escape other than a punctuation character or a class shorthand,
 * a brace that is no quantifier) or finds none.
 *
 * The fast lane (Matcher.byteSearch) looks for these instead of a rule's short literal (`SSL`, `uota`): a
 * literal shorter than the pair-skipping window costs a `Buffer#indexOf` pass over every chunk. Conservative
 * by design: a run it returns is a run the pattern requires, never a guess.
 */
export function requiredLiteral(pattern: RegExp): string | null {
  if (/[iv]/.test(pattern.flags)) return null
  const source = pattern.source
  let best = ''
  let run = ''
  const endRun = () => {
    if (run.length > best.length) best = run
    run = ''
  }
  for (let at = 0; at < source.length;) {
    const c = source[at]
    let literal: string | null = null
    if (c === '\\') {
      const next = source[at + 1]
      if (next !== undefined && ESCAPED_PUNCTUATION.includes(next)) literal = next
      else if (next === undefined || !CLASS_ESCAPES.includes(next)) return null
      at += 2
    } else if (c === '(' || c === '[') {
      const end = c === '(' ? groupEnd(source, at) : classEnd(source, at)
      if (end === -1) return null
      at = end
    } else if (c === '|' || c === '{' || c === '}' || c === ']' || c === ')') {
      return null
    } else if (c === '*' || c === '+' || c === '?') {
      return null // a quantifier with nothing before it: not a pattern this reads
    } else {
      if (c !== '^' && c !== '$' && c !== '.') literal = c
      at++
    }

    // A quantified atom is not a run's part (it may be absent or repeated): it ends the run, and so does any other atom.
    const quantifier = quantifierLength(source, at)
    if (quantifier === -1) return null
    if (literal !== null && quantifier === 0) run += literal
    else endRun()
    at += quantifier
  }
  endRun()
  return best === '' ? null : best
}

/** Punctuation a backslash makes literal (`\(`, `\.`, `\/`, ...). */
const ESCAPED_PUNCTUATION = '\\^$.*+?()[]{}|/-:=!<>,"\'#@%&~` '
/** Escapes that stand for a class of characters or a position: they end a run. */
const CLASS_ESCAPES = 'dDwWsSbBntrfv'

/** The length of the quantifier at `at` (with its lazy `?`), 0 when none; -1 when a brace there is no quantifier. */
function quantifierLength(source: string, at: number): number {
  const c = source[at]
  let length = 0
  if (c === '*' || c === '+' || c === '?') length = 1
  else if (c === '{') {
    const brace = /^\{\d+(?:,\d*)?\}/.exec(source.slice(at))
    if (brace === null) return -1
    length = brace[0].length
  }
  if (length > 0 && source[at + length] === '?') length++
  return length
}

/** The index just past the `]` closing the class that opens at `open`; -1 when none. */
function classEnd(source: string, open: number): number {
  for (let at = open + 1; at < source.length; at++) {
    if (source[at] === '\\') at++
    else if (source[at] === ']') return at + 1
  }
  return -1
}

/** The index just past the `)` closing the group that opens at `open` (escapes and classes skipped); -1 when none. */
function groupEnd(source: string, open: number): number {
  let depth = 0
  for (let at = open; at < source.length; at++) {
    const c = source[at]
    if (c === '\\') at++
    else if (c === '[') {
      const end = classEnd(source, at)
      if (end === -1) return -1
      at = end - 1
    } else if (c === '(') depth++
    else if (c === ')' && --depth === 0) return at + 1
  }
  return -1
}
