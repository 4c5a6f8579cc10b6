/**
 * What the terminal the text goes to can show: how wide it is, and whether it draws block glyphs. One home
 * for both, so every table and picture makes the same decision.
 */

/** Width when nothing says otherwise (a pipe, a file, CI). */
const DEFAULT_WIDTH = 80
/** Narrower than this, tables are not worth fitting: they are drawn at this width. */
const MIN_WIDTH = 40

/** The width to fit: the terminal's columns, else $COLUMNS, else 80. */
export function terminalWidth(stream: {isTTY?: boolean; columns?: number} = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  const fromStream = stream.isTTY && stream.columns ? stream.columns : undefined
  const fromEnv = /^\d+$/.test(env.COLUMNS ?? '') ? Number(env.COLUMNS) : undefined
  const width = fromStream ?? fromEnv ?? DEFAULT_WIDTH
  return width > 0 ? Math.max(MIN_WIDTH, width) : DEFAULT_WIDTH
}

/**
 * Whether block glyphs (▁▂▃ █▌) can be drawn: not on the Linux console or a dumb terminal, and not when the
 * locale names a character set other than UTF-8 (LANG=C). No locale at all is taken as UTF-8, as in most
 * containers and CI runners, whose viewers render UTF-8. DOVEDIAG_ASCII=1 forces plain characters.
 */
export function unicodeEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.DOVEDIAG_ASCII !== undefined && env.DOVEDIAG_ASCII !== '' && env.DOVEDIAG_ASCII !== '0') return false
  if (env.TERM === 'linux' || env.TERM === 'dumb') return false
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG
  return !locale || /utf-?8/i.test(locale)
}

const ANSI = /\u001B\[[\d;]*m/g

/** Columns a text takes on the terminal: colour codes take none. */
const visibleLength = (text: string): string['length'] => [...text.replace(ANSI, '')].length

const ELLIPSIS = '…'

/** The text cut to `width` columns, ending in … when cut (colour codes are dropped from a cut text). */
function shorten(text: string, width: number): string {
  if (visibleLength(text) <= width) return text
  const chars = [...text.replace(ANSI, '')]
  return width <= 0
    ? ''
    : chars
        .slice(0, width - 1)
        .join('')
        .trimEnd() + ELLIPSIS
}

/**
 * Text wrapped at spaces to lines of at most `width` columns: the first line starts with `first`, the others with
 * `rest` (a hanging indent). A word is never split: one longer than a whole line (a URL) stands alone on its line,
 * whole, so it can still be copied.
 */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = []
  let line = first
  let length = visibleLength(first)
  let empty = true
  // Each word with the spaces before it: spaces inside a line are kept (aligned columns), those at a break dropped.
  for (const [, spaces, word] of text.trim().matchAll(/( *)(\S+)/g)) {
    const size = visibleLength(word)
    if (!empty && length + spaces.length + size > width) {
      lines.push(line)
      line = rest
      length = visibleLength(rest)
      empty = true
    }
    line += empty ? word : spaces + word
    length += empty ? size : spaces.length + size
    empty = false
  }
  lines.push(line)
  return lines
}

/**
 * An evidence line that fits: `file:line` kept whole (the path shortened from the left, keeping the file name,
 * when even it does not fit), then the log line, cut with … at the width.
 */
export function fitEvidence(where: string, text: string, width: number, indent = ''): string {
  const room = width - visibleLength(indent)
  const place = visibleLength(where) > room / 2 ? ELLIPSIS + [...where].slice(-Math.floor(room / 2) + 1).join('') : where
  return `${indent}${place}  ${shorten(text, room - visibleLength(place) - 2)}`.trimEnd()
}

/** A word longer than this may be cut (with …) to fit a table, rather than the table giving up. */
const LONG_WORD = 16

/**
 * Column widths (each with cli-table3's one space of padding either side) so a table of these cells is at most
 * `width` columns wide: each column as wide as its widest cell, the widest ones narrowed first, never below the
 * longest word of the column; failing that, never below LONG_WORD (longer words, mostly addresses and paths in
 * quoted errors, are cut). Null when even that does not fit: the caller lays the rows out another way.
 */
export function fitColumns(cells: readonly (readonly string[])[], width: number): number[] | null {
  const columns = cells[0]?.length ?? 0
  const widest = (cell: string, words: boolean) =>
    Math.max(
      0,
      ...cell
        .split('\n')
        .flatMap((line) => (words ? line.split(' ') : [line]))
        .map(visibleLength),
    )
  const natural = Array.from({length: columns}, (_, i) => Math.max(...cells.map((row) => widest(row[i] ?? '', false))) + 2)
  const longestWord = Array.from({length: columns}, (_, i) => Math.max(...cells.map((row) => widest(row[i] ?? '', true))) + 2)
  const room = width - (columns + 1) // the borders
  const total = (widths: number[]) => widths.reduce((sum, w) => sum + w, 0)
  let minimum = longestWord
  if (total(minimum) > room) minimum = longestWord.map((w) => Math.min(w, LONG_WORD + 2))
  if (total(minimum) > room) return null
  const widths = [...natural]
  let excess = widths.reduce((sum, w) => sum + w, 0) - room
  while (excess > 0) {
    // The widest column that can still give up a column.
    let pick = -1
    for (let i = 0; i < columns; i++) if (widths[i] > minimum[i] && (pick === -1 || widths[i] > widths[pick])) pick = i
    widths[pick]--
    excess--
  }
  return widths
}

/**
 * A line of a text report wrapped to `width`: its continuation lines start under its first word (its own
 * indent, plus `hang`), so a wrapped paragraph stays in its place in the report.
 */
export function wrapIndented(line: string, width: number, hang = ''): string[] {
  if (line.includes('\n')) return line.split('\n').flatMap((part) => wrapIndented(part, width, hang))
  if (visibleLength(line) <= width) return [line]
  const indent = /^ */.exec(line)![0]
  return wrap(line.slice(indent.length), width, indent, indent + hang)
}
