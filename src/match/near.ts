import type {Rule} from '../catalog/rule.js'
import type {LogRecord} from '../ingest/record.js'
import {ruleReadable} from './mail-log-fields.js'
import {conditionsHold} from './matcher.js'

/**
 * Why a rule did not match a record, step by step as the matcher tries it (fail2ban-regex's "missed"
 * view): its literal is absent, the literal is there but no pattern matched, or a pattern matched but
 * the line's level, service or program is not one the rule is about.
 */
export type MissReason = 'literal' | 'mail-field' | 'pattern' | 'conditions'

export function whyNoMatch(rule: Rule, record: LogRecord): MissReason | null {
  if (rule.fallback) return 'literal' // matches only what the other rules leave: never tried alone
  const text = ruleReadable(record.message)
  if (!text.includes(rule.literal)) return record.message.includes(rule.literal) ? 'mail-field' : 'literal'
  if (!rule.patterns.some((pattern) => pattern.exec(text) !== null)) return 'pattern'
  if (!conditionsHold(rule, record)) return 'conditions'
  return null
}

/** One sentence for a miss, naming what the rule expected. */
export function describeMiss(rule: Rule, record: LogRecord, reason: MissReason): string {
  switch (reason) {
    case 'literal':
      return `the message does not contain the rule's literal ${JSON.stringify(rule.literal)}`
    case 'mail-field':
      return `the rule's literal ${JSON.stringify(rule.literal)} is there, but in a mail_log line's msgid=, from= or subject=: the mail's own text, which whoever sends it chooses, and which rules do not read`
    case 'pattern':
      return "the message contains the rule's literal but none of its patterns matched"
    case 'conditions': {
      const {levels, services, programs} = rule.conditions ?? {}
      const wants: string[] = []
      if (programs ? !programs.includes(record.program) : !record.dovecot)
        wants.push(`program ${programs?.join('/') ?? 'Dovecot'} (line is ${record.program})`)
      if (levels && (record.level === null || !levels.includes(record.level)))
        wants.push(`level ${levels.join('/')} (line is ${record.level ?? 'without a level'})`)
      if (services && (record.service === null || !services.includes(record.service)))
        wants.push(`service ${services.join('/')} (line is ${record.service ?? 'without a service'})`)
      return `a pattern matched, but the rule wants ${wants.join(', ')}`
    }
  }
}
