import {readFile} from 'node:fs/promises'
import {extname} from 'node:path'

import {isRecord, parseLine} from '../ingest/parse-line.js'
import {LOG_LEVELS, type LogLevel} from '../ingest/record.js'
import {matchRule} from '../match/matcher.js'
import {describeMiss, whyNoMatch} from '../match/near.js'
import {compileSafePattern, PatternError, type RulePattern} from '../catalog/pattern.js'
import {type Rule, type RuleExample, SEVERITIES, type Severity} from '../catalog/rule.js'

/** A user rules file that cannot be used: the message names the file and the field. */
export class UserRuleError extends Error {}

/** The keys a user rule may have: the built-in rules' shape, with patterns as strings. */
const KEYS = ['id', 'title', 'severity', 'literal', 'pattern', 'levels', 'services', 'programs', 'facts', 'explanation', 'remedy', 'harmless', 'docs', 'examples'] as const
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
// Year-less example stamps resolve against a fixed date, so an example checks the same on any day.
const EXAMPLE_REFERENCE = Date.UTC(2026, 11, 31)

type Json = unknown

/**
 * Reads one rules file (YAML, or JSON by a .json extension): `rules: [...]` or a bare list. Every rule is
 * validated field by field, its patterns compiled with the linear-time engine, and its examples run
 * through the real line parser and matcher: a `match` example must match, a `nearMiss` must not.
 */
export async function loadUserRules(file: string, taken: ReadonlySet<string>): Promise<Rule[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UserRuleError(`${file}: ${code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`)
  }
  const document = await parseDocument(file, text)
  const list = Array.isArray(document) ? document : isObject(document) && Array.isArray(document.rules) ? document.rules : null
  if (list === null) throw new UserRuleError(`${file}: expected a list of rules, or an object with 'rules:' holding one`)
  const seen = new Set(taken)
  return list.map((entry, index) => {
    const rule = new RuleReader(file, `rules[${index}]`, entry).read()
    if (seen.has(rule.id)) throw new UserRuleError(`${file}: rules[${index}].id: '${rule.id}' is already ${taken.has(rule.id) ? 'a rule' : 'used in this file'}; ids must be unique`)
    seen.add(rule.id)
    checkExamples(file, `rules[${index}]`, rule)
    return rule
  })
}

async function parseDocument(file: string, text: string): Promise<Json> {
  if (extname(file).toLowerCase() === '.json') {
    try {
      return JSON.parse(text)
    } catch (error) {
      throw new UserRuleError(`${file}: not valid JSON: ${(error as Error).message}`)
    }
  }
  // Imported here: a run without --rules should not pay for loading a YAML parser (~80 ms of start-up).
  const {parse: parseYaml, YAMLParseError} = await import('yaml')
  try {
    return parseYaml(text)
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [null, null]
      throw new UserRuleError(`${file}${line === null ? '' : `:${line}:${column}`}: not valid YAML: ${error.message.split('\n')[0]}`)
    }
    // The yaml library refuses an alias bomb (and other resource attacks) with a plain error: bad input too.
    if (error instanceof Error) throw new UserRuleError(`${file}: not usable YAML: ${error.message.split('\n')[0]}`)
    throw error
  }
}

const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Reads one rule's fields, failing on the first wrong one with `file: rules[i].field: what is wrong`. */
class RuleReader {
  private readonly entry: Record<string, Json>

  constructor(private readonly file: string, private readonly path: string, entry: Json) {
    if (!isObject(entry)) throw this.error('', 'must be an object with id, title, severity, literal, pattern, remedy and examples')
    this.entry = entry
  }

  read(): Rule {
    for (const key of Object.keys(this.entry)) {
      if (!(KEYS as readonly string[]).includes(key)) throw this.error(key, `unknown field (known: ${KEYS.join(', ')})`)
    }
    const id = this.string('id')
    if (!ID.test(id)) throw this.error('id', `'${id}' must be lower-case words joined by dashes, e.g. backup-lock-timeout`)
    const severity = this.string('severity')
    if (!(SEVERITIES as readonly string[]).includes(severity)) throw this.error('severity', `must be one of ${SEVERITIES.join(', ')} (got '${severity}')`)
    const literal = this.string('literal')
    const levels = this.optionalStrings('levels')
    for (const level of levels ?? []) if (!(LOG_LEVELS as readonly string[]).includes(level)) throw this.error('levels', `'${level}' is not a level (${LOG_LEVELS.join(', ')})`)
    const services = this.optionalStrings('services')
    const programs = this.optionalStrings('programs')
    return {
      id,
      kind: 'problem',
      title: this.string('title'),
      severity: severity as Severity,
      literal,
      patterns: this.patterns(),
      ...(levels || services || programs ? {conditions: {levels: levels as LogLevel[] | undefined, services, programs}} : {}),
      ...(this.entry.facts === undefined ? {} : {facts: this.stringMap('facts')}),
      explanation: this.optionalString('explanation') ?? '',
      remedy: this.optionalStrings('remedy', true) ?? [],
      ...(this.entry.harmless === undefined ? {} : {harmless: this.string('harmless')}),
      docs: this.optionalString('docs') ?? this.file,
      examples: this.examples(),
    }
  }

  private error(field: string, message: string): UserRuleError {
    return new UserRuleError(`${this.file}: ${this.path}${field ? `.${field}` : ''}: ${message}`)
  }

  private string(field: string): string {
    const value = this.entry[field]
    if (value === undefined) throw this.error(field, 'is required')
    if (typeof value !== 'string' || value.trim() === '') throw this.error(field, 'must be a non-empty string')
    return value
  }

  private optionalString(field: string): string | undefined {
    return this.entry[field] === undefined ? undefined : this.string(field)
  }

  /** A list of strings; with `single`, one string is read as a list of one. */
  private optionalStrings(field: string, single = false): string[] | undefined {
    const value = this.entry[field]
    if (value === undefined) return undefined
    if (single && typeof value === 'string') return [value]
    if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== 'string' || item === '')) {
      throw this.error(field, `must be a non-empty list of strings${single ? ' (or one string)' : ''}`)
    }
    return value as string[]
  }

  private stringMap(field: string): Record<string, string> {
    const value = this.entry[field]
    if (!isObject(value) || Object.values(value).some((item) => typeof item !== 'string')) throw this.error(field, 'must map names to strings')
    return value as Record<string, string>
  }

  private patterns(): RulePattern[] {
    const sources = this.optionalStrings('pattern', true)
    if (sources === undefined) throw this.error('pattern', 'is required (a regular expression, or a list of them)')
    return sources.map((source, index) => {
      const field = sources.length === 1 && typeof this.entry.pattern === 'string' ? 'pattern' : `pattern[${index}]`
      try {
        return compileSafePattern(source)
      } catch (error) {
        if (error instanceof PatternError) {
          throw this.error(field, `not usable: ${error.message} (user patterns run on a linear-time engine, RE2 syntax: no backreferences or lookaround)`)
        }
        throw error
      }
    })
  }

  private examples(): Rule['examples'] {
    const value = this.entry.examples
    if (!isObject(value)) throw this.error('examples', "is required: 'match:' with at least one real log line the rule must match (and 'nearMiss:' with lines it must not)")
    for (const key of Object.keys(value)) if (key !== 'match' && key !== 'nearMiss') throw this.error(`examples.${key}`, 'unknown field (known: match, nearMiss)')
    const read = (key: 'match' | 'nearMiss', required: boolean): RuleExample[] => {
      const list = value[key]
      if (list === undefined && !required) return []
      if (!Array.isArray(list) || (required && list.length === 0)) throw this.error(`examples.${key}`, `must be a ${required ? 'non-empty ' : ''}list of log lines`)
      return list.map((item, index) => {
        if (typeof item === 'string') return {line: item}
        if (isObject(item) && typeof item.line === 'string') {
          const facts = item.facts
          if (facts !== undefined && (!isObject(facts) || Object.values(facts).some((fact) => typeof fact !== 'string'))) {
            throw this.error(`examples.${key}[${index}].facts`, 'must map fact names to the strings expected')
          }
          return {line: item.line, ...(facts === undefined ? {} : {facts: facts as Record<string, string>})}
        }
        throw this.error(`examples.${key}[${index}]`, "must be a log line, or {line, facts}")
      })
    }
    return {match: read('match', true), nearMiss: read('nearMiss', false)}
  }
}

/** Runs a rule's examples as the catalog test runs the built-in ones, so a wrong rule fails at load time. */
function checkExamples(file: string, path: string, rule: Rule): void {
  const fail = (field: string, message: string) => new UserRuleError(`${file}: ${path}.${field}: ${message}`)
  rule.examples.match.forEach((example, index) => {
    const field = `examples.match[${index}]`
    const record = parseLine(example.line, {source: file, reference: EXAMPLE_REFERENCE, timeZone: 'UTC'})
    if (!isRecord(record)) throw fail(field, `is not a log line dovediag reads (${record}): give a whole line as it appears in the log`)
    const match = matchRule(rule, record)
    if (match === null) throw fail(field, `does not match: ${describeMiss(rule, record, whyNoMatch(rule, record) ?? 'pattern')}`)
    for (const [name, expected] of Object.entries(example.facts ?? {})) {
      if (match.facts[name] !== expected) throw fail(`${field}.facts.${name}`, `expected '${expected}', the pattern extracted ${match.facts[name] === undefined ? 'nothing' : `'${match.facts[name]}'`}`)
    }
  })
  rule.examples.nearMiss.forEach((example, index) => {
    const record = parseLine(example.line, {source: file, reference: EXAMPLE_REFERENCE, timeZone: 'UTC'})
    if (isRecord(record) && matchRule(rule, record) !== null) throw fail(`examples.nearMiss[${index}]`, 'matches, but is listed as a line the rule must not match')
  })
}
