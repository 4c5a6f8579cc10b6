/**
 * The column count cli-table3 measures its cells with, fast for printable ASCII. cli-table3 measures every line
 * of every cell several times with string-width, whose each call builds ansi-regex's pattern anew and runs it
 * and the emoji pattern: ~1 µs a call, seconds for the text report of a large migration (docs/performance.md).
 * A text of printable ASCII only (space to ~) holds no escape, control, combining, wide or emoji character, so
 * string-width counts one column per character: its length. Anything else is measured by `slow` itself.
 *
 * scripts/bundle.mjs hands cli-table3 `asciiFastWidth(stringWidth)` in the built CLI.
 */
export function asciiFastWidth(slow: (text: string) => number): (text: string) => number {
  return (text) => {
    if (typeof text !== 'string') return slow(text)
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i)
      if (code < 0x20 || code > 0x7e) return slow(text)
    }
    return text.length
  }
}
