/**
 * The longest run of characters every match of `pattern` holds, read from its source: the characters of the
 * pattern's top level (and inside its plain groups, see requiredRuns) that no quantifier, group, class or
 * escape stands between. Null when it cannot tell (a top-level `|`, the `i` or `v` flag, an escape other than
 * a punctuation character or a class shorthand, a brace that is no quantifier) or finds none.
 *
 * The fast lane (Matcher.byteSearch) looks for these instead of a rule's short literal (`SSL`, `uota`,
 * `_limit`): a literal shorter than the pair-skipping window costs a `Buffer#indexOf` pass over every chunk, or
 * shortens the window, and so every skip, for all the literals. Conservative
 * by design: a run it returns is a run the pattern requires, never a guess.
 */
export function requiredLiteral(pattern: RegExp): string | null {
  if (/[iv]/.test(pattern.flags)) return null
  const runs = requiredRuns(pattern.source)
  return runs === null || runs.best === '' ? null : runs.best
}

/**
 * The longest run every match of `source` holds (best, '' for none), and the text itself when the whole of it is
 * one such run (whole, else null); null when it cannot tell. A group that is neither quantified nor a lookaround
 * and holds no `|` at its own top level is read inside: when it is one run, the run goes on through it (`(?<what>Too
 * many invalid IMAP commands)\.`); otherwise its longest run is a candidate and it ends the run around it.
 */
function requiredRuns(source: string): {best: string; whole: string | null} | null {
  let best = ''
  let run = ''
  let broken = false
  const endRun = () => {
    if (run.length > best.length) best = run
    run = ''
    broken = true
  }
  for (let at = 0; at < source.length;) {
    const c = source[at]
    let literal: string | null = null
    let inner: string | null = null
    if (c === '\\') {
      const next = source[at + 1]
      if (next !== undefined && ESCAPED_PUNCTUATION.includes(next)) literal = next
      else if (next === undefined || !CLASS_ESCAPES.includes(next)) return null
      at += 2
    } else if (c === '(' || c === '[') {
      const end = c === '(' ? groupEnd(source, at) : classEnd(source, at)
      if (end === -1) return null
      if (c === '(' && quantifierLength(source, end) === 0) {
        const body = plainGroupBody(source, at, end)
        const runs = body === null ? null : requiredRuns(body)
        if (runs !== null && runs.whole !== null) literal = runs.whole
        else if (runs !== null) inner = runs.best
      }
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
    if (inner !== null && inner.length > best.length) best = inner
    at += quantifier
  }
  const whole = broken ? null : run
  endRun()
  return {best, whole}
}

/**
 * The text inside the group from `open` to just before `end`, when it is a group whose text every match holds
 * (capturing, named or `(?:`); null for a lookaround or a group with modifiers.
 */
function plainGroupBody(source: string, open: number, end: number): string | null {
  if (source[open + 1] !== '?') return source.slice(open + 1, end - 1)
  if (source[open + 2] === ':') return source.slice(open + 3, end - 1)
  const name = /^\?<[A-Za-z_$][\w$]*>/.exec(source.slice(open + 1, end))
  return name === null ? null : source.slice(open + 1 + name[0].length, end - 1)
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
