import pc from 'picocolors'

import type {Severity} from '../catalog/rule.js'
import type {MigrationAction} from '../exit-codes/actions.js'

export type Colors = ReturnType<typeof pc.createColors>

/**
 * One decision for colour, on the stream the text goes to: only on a TTY, never with NO_COLOR,
 * forced by FORCE_COLOR (useful in CI logs that render ANSI).
 */
function colorEnabled(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true
  return Boolean(stream.isTTY) && env.TERM !== 'dumb'
}

export function colors(enabled = colorEnabled()): Colors {
  return pc.createColors(enabled)
}

/**
 * Severity colours, one for every view: CRITICAL stands out from HIGH (white on red against red), medium is
 * yellow, low cyan, a fact (no severity) dim. Without colour the words themselves differ.
 */
export function severityColor(c: Colors, severity: Severity | null): (text: string) => string {
  switch (severity) {
    case 'critical':
      return (text) => c.bold(c.bgRed(c.white(text)))
    case 'high':
      return (text) => c.bold(c.red(text))
    case 'medium':
      return c.yellow
    case 'low':
      return c.cyan
    default:
      return c.dim
  }
}

/** The colour of a migration action, the same in `exit` and `migration check`: the more urgent, the hotter. */
export function actionColor(c: Colors, action: MigrationAction): (text: string) => string {
  switch (action) {
    case 'suspend-all':
      return (text) => c.bold(c.red(text))
    case 'fail':
      return c.red
    case 'remove-user':
    case 'retry':
      return c.yellow
    case 'rerun':
      return c.cyan
    case 'done':
      return c.green
  }
}

/** The colour of a log level's count: errors and worse red, warnings yellow. */
export function levelColor(c: Colors, level: string): (text: string) => string {
  if (level === 'panic' || level === 'fatal' || level === 'error') return c.red
  if (level === 'warning') return c.yellow
  return (text) => text
}
