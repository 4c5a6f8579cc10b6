import type {FindingEvent} from '../follow/finding-events.js'
import {sanitizeForTerminal} from './sanitize.js'
import {wrap} from './terminal.js'

/** Where the text of an event line starts: after the status and the severity columns. */
const HANG = ' '.repeat('repeat '.length + 'critical '.length)

/**
 * One `logs --follow` event as text, wrapped to `width` with its continuation lines under the rule:
 * `new    critical panic (1×): Dovecot crashed: ... [/var/log/dovecot.log:12]`.
 */
export function renderFindingEvent(event: FindingEvent, width: number): string {
  const where = event.evidence ? ` [${event.evidence.source}:${event.evidence.line}]` : ''
  const counted = event.status === 'new' ? `${event.count}×` : `+${event.added}, ${event.count}× in all`
  const text = sanitizeForTerminal(`${event.rule} (${counted}): ${event.title}${where}`)
  return wrap(text, width, `${event.status.padEnd(6)} ${event.severity.padEnd(8)} `, HANG).join('\n')
}
