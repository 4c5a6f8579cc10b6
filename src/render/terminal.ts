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
