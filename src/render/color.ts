import pc from 'picocolors'

export type Colors = ReturnType<typeof pc.createColors>

/**
 * One decision for colour, on the stream the text goes to: only on a TTY, never with NO_COLOR,
 * forced by FORCE_COLOR (useful in CI logs that render ANSI).
 */
export function colorEnabled(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY) && env.TERM !== 'dumb'
}

export function colors(enabled = colorEnabled()): Colors {
  return pc.createColors(enabled)
}
