// The catalog's patterns for GNU grep -E: what bench/run.mjs compares dovediag with.
/**
 * The catalog's patterns as one POSIX ERE alternation for grep -E, matching a superset of what the rules
 * match: named and non-capturing groups become plain groups, lookaheads (which ERE lacks) are dropped, lazy
 * quantifiers become greedy, anchors are dropped (rules anchor on the message, not the line), and the
 * escapes \d \s \S \w become POSIX classes, inside bracket expressions too (`[\s\S]` is any character).
 */
export function grepPattern(rules) {
  const classes = {d: '0-9', s: '[:space:]', w: '[:alnum:]_'}
  const ere = (source) => {
    let out = ''
    for (let i = 0; i < source.length; i++) {
      const c = source[i]
      if (c === '\\') {
        const e = source[++i]
        if (e in classes) out += `[${classes[e]}]`
        else if (e === 'S') out += '[^[:space:]]'
        else out += /[A-Za-z0-9]/.test(e) && e !== 'b' && e !== 'B' ? e : `\\${e}` // GNU grep knows \b
      } else if (c === '[') {
        // A bracket expression: backslash is not special in ERE ones, so escapes are spelled out.
        let j = i + 1
        let body = ''
        if (source[j] === '^') body += source[j++]
        if (source.startsWith('\\s\\S]', j) || source.startsWith('\\S\\s]', j)) {
          out += '.'
          i = j + 4
          continue
        }
        for (; source[j] !== ']' || j === i + 1; j++) {
          if (source[j] === '\\') body += classes[source[++j]] ?? source[j]
          else body += source[j]
        }
        out += `[${body}]`
        i = j
      } else if (c === '(' && source[i + 1] === '?') {
        if (source[i + 2] === '=' || source[i + 2] === '!') i = skipGroup(source, i)
        else {
          out += '('
          i = source[i + 2] === ':' ? i + 2 : source.indexOf('>', i)
        }
      } else if ((c === '?' && /[*+?}]/.test(source[i - 1] ?? '')) || ((c === '^' || c === '$') && (i === 0 || i === source.length - 1))) {
        // a lazy quantifier's `?`, or an anchor: dropped
      } else out += c
    }
    return out
  }
  return rules.flatMap((rule) => rule.patterns.map((pattern) => ere(pattern.source))).join('|')
}

/** The index of the `)` that closes the group opening at `start`, skipping bracket expressions and escapes. */
function skipGroup(source, start) {
  let depth = 0
  for (let i = start; i < source.length; i++) {
    if (source[i] === '\\') i++
    else if (source[i] === '[') while (source[++i] !== ']' || source[i - 1] === '[' || source[i - 1] === '^');
    else if (source[i] === '(') depth++
    else if (source[i] === ')' && --depth === 0) return i
  }
  return source.length
}
