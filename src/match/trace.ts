import type {Rule, Severity} from '../catalog/rule.js'
import {isRecord, type LineParser} from '../ingest/parse-line.js'
import type {LogRecord} from '../ingest/record.js'
import {matchRule} from './matcher.js'
import {describeMiss, whyNoMatch} from './near.js'

/** What `dovediag match` reports for one line (its `--json` shape; keep stable). */
export interface LineTrace {
  line: number
  text: string
  /** `record`, or why the line made none: another program's line (`skipped`), not understood, or empty. */
  result: 'record' | 'skipped' | 'unparsed' | 'blank'
  /** The fields the line parser read from the prefix; null when the line made no record. */
  prefix: (Omit<LogRecord, 'source' | 'line' | 'text' | 'continuation' | 'time'> & {time: string | null}) | null
  matches: {
    rule: string
    kind: 'problem' | 'fact'
    severity: Severity | null
    title: string
    facts: Record<string, string>
    variant: string | null
  }[]
  /** Rules whose literal is in the line but that did not match, and why. Empty when a rule matched. */
  near: {rule: string; reason: 'mail-field' | 'pattern' | 'conditions' | 'not-a-record'; detail: string}[]
}

/** Parses one line and tries every rule on it, keeping the misses that came close (fail2ban-regex's view). */
export function traceLine(parser: LineParser, rules: readonly Rule[], text: string, line: number): LineTrace {
  const parsed = parser.parse(text, line)
  if (!isRecord(parsed)) {
    const near = rules
      .filter((rule) => !rule.fallback && text.includes(rule.literal))
      .map((rule) => ({
        rule: rule.id,
        reason: 'not-a-record' as const,
        detail: `the rule's literal ${JSON.stringify(rule.literal)} is there, but the line is not one dovediag reads as a log record (${parsed})`,
      }))
    return {line, text, result: parsed, prefix: null, matches: [], near}
  }
  const {source: _source, line: _line, text: _text, continuation: _continuation, time, ...fields} = parsed
  const matches: LineTrace['matches'] = []
  const near: LineTrace['near'] = []
  for (const rule of rules) {
    const match = matchRule(rule, parsed)
    if (match) {
      matches.push({
        rule: rule.id,
        kind: rule.kind,
        severity: rule.severity ?? null,
        title: rule.title,
        facts: match.facts,
        variant: match.variant?.id ?? null,
      })
      continue
    }
    const reason = whyNoMatch(rule, parsed)
    if (reason === 'mail-field' || reason === 'pattern' || reason === 'conditions')
      near.push({rule: rule.id, reason, detail: describeMiss(rule, parsed, reason)})
  }
  return {
    line,
    text,
    result: 'record',
    prefix: {...fields, time: time === null ? null : new Date(time).toISOString()},
    matches,
    near: matches.length > 0 ? [] : near,
  }
}
