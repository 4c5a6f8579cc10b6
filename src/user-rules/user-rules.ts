import {readFile} from 'node:fs/promises'
import {extname} from 'node:path'
import type {ErrorObject, ValidateFunction} from 'ajv'

import {isRecord, parseLine} from '../ingest/parse-line.js'
import type {LogLevel} from '../ingest/record.js'
import {matchRule} from '../match/matcher.js'
import {describeMiss, whyNoMatch} from '../match/near.js'
import {PatternError, type RulePattern} from '../catalog/pattern.js'
import type {Rule, RuleExample, Severity} from '../catalog/rule.js'
import {USER_RULE_SCHEMA} from './schema.js'

/** A user rules file that cannot be used: the message names the file and the field. */
export class UserRuleError extends Error {}

// Year-less example stamps resolve against a fixed date, so an example checks the same on any day.
const EXAMPLE_REFERENCE = Date.UTC(2026, 11, 31)

type Json = unknown

/**
 * Reads one rules file (YAML, or JSON by a .json extension): `rules: [...]` or a bare list. Every rule is
 * validated against the schema (src/user-rules/schema.ts), its patterns compiled with the linear-time engine, and its examples run
 * through the real line parser and matcher: a `match` example must match, a `nearMiss` must not.
 */
export async function loadUserRules(file: string, taken: ReadonlySet<string>): Promise<Rule[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UserRuleError(
      `${file}: ${code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`,
    )
  }
  const document = await parseDocument(file, text)
  const list = Array.isArray(document) ? document : isObject(document) && Array.isArray(document.rules) ? document.rules : null
  if (list === null) throw new UserRuleError(`${file}: expected a list of rules, or an object with 'rules:' holding one`)
  const validateRule = await userRuleValidator()
  // Loaded here, not at the top: a run without user rules never loads re2js (safe-pattern.ts says why).
  const {compileSafePattern} = await import('../catalog/safe-pattern.js')
  const seen = new Set(taken)
  return list.map((entry, index) => {
    const rule = readRule(file, `rules[${index}]`, entry, validateRule, compileSafePattern)
    if (seen.has(rule.id))
      throw new UserRuleError(
        `${file}: rules[${index}].id: '${rule.id}' is already ${taken.has(rule.id) ? 'a rule' : 'used in this file'}; ids must be unique`,
      )
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

/** A user rule as the schema admits it (src/user-rules/schema.ts). */
interface UserRuleEntry {
  id: string
  title: string
  severity: Severity
  literal: string
  pattern: string | string[]
  levels?: LogLevel[]
  services?: string[]
  programs?: string[]
  facts?: Record<string, string>
  explanation?: string
  remedy?: string | string[]
  harmless?: string
  docs?: string
  examples: {match: (string | RuleExample)[]; nearMiss?: (string | RuleExample)[]}
}

let ruleValidator: ValidateFunction<UserRuleEntry> | undefined

/** The schema compiled on first use: ajv is loaded only by a run that reads a rules file. */
async function userRuleValidator(): Promise<ValidateFunction<UserRuleEntry>> {
  if (ruleValidator === undefined) {
    const {Ajv} = await import('ajv')
    ruleValidator = new Ajv({verbose: true, strict: false}).compile<UserRuleEntry>(USER_RULE_SCHEMA)
  }
  return ruleValidator
}

/** `/examples/match/0` as `examples.match[0]`. */
const fieldOf = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '')

/**
 * ajv's first complaint about a rule, worded from the schema: a field's `description` says what it must
 * be. For a field that may take several shapes (one pattern or a list), the complaint is about the field.
 */
function schemaMessage(errors: readonly ErrorObject[]): {field: string; message: string} {
  const error = errors.find((candidate) => candidate.keyword === 'oneOf') ?? errors[0]
  const field = fieldOf(error.instancePath)
  const description = (error.parentSchema as {description?: string} | undefined)?.description ?? 'of another shape'
  const join = (name: string) => (field === '' ? name : `${field}.${name}`)
  switch (error.keyword) {
    case 'required':
      return {field: join((error.params as {missingProperty: string}).missingProperty), message: 'is required'}
    case 'additionalProperties': {
      const known = Object.keys((error.parentSchema as {properties?: object}).properties ?? {})
      return {
        field: join((error.params as {additionalProperty: string}).additionalProperty),
        message: `unknown field (known: ${known.join(', ')})`,
      }
    }
    case 'enum':
      return {field, message: `must be ${description} (got '${String(error.data)}')`}
    case 'pattern':
      return {
        field,
        message: `${typeof error.data === 'string' && error.data.trim() !== '' ? `'${error.data}' ` : ''}must be ${description}`,
      }
    default:
      return {field, message: `must be ${description}`}
  }
}

/** Reads one rule: the schema first, then what a schema cannot say (patterns that compile on the linear engine). */
function readRule(
  file: string,
  path: string,
  entry: Json,
  validateRule: ValidateFunction<UserRuleEntry>,
  compileSafePattern: (source: string) => RulePattern,
): Rule {
  const fail = (field: string, message: string) => new UserRuleError(`${file}: ${path}${field ? `.${field}` : ''}: ${message}`)
  if (!validateRule(entry)) {
    const {field, message} = schemaMessage(validateRule.errors ?? [])
    throw fail(field, message)
  }
  const sources = typeof entry.pattern === 'string' ? [entry.pattern] : entry.pattern
  const patterns = sources.map((source, index) => {
    try {
      return compileSafePattern(source)
    } catch (error) {
      if (!(error instanceof PatternError)) throw error
      const field = typeof entry.pattern === 'string' ? 'pattern' : `pattern[${index}]`
      throw fail(
        field,
        `not usable: ${error.message} (user patterns run on a linear-time engine, RE2 syntax: no backreferences or lookaround)`,
      )
    }
  })
  const {levels, services, programs} = entry
  const example = (item: string | RuleExample): RuleExample => (typeof item === 'string' ? {line: item} : item)
  return {
    id: entry.id,
    kind: 'problem',
    title: entry.title,
    severity: entry.severity,
    literal: entry.literal,
    patterns,
    ...(levels || services || programs ? {conditions: {levels, services, programs}} : {}),
    ...(entry.facts === undefined ? {} : {facts: entry.facts}),
    explanation: entry.explanation ?? '',
    remedy: entry.remedy === undefined ? [] : typeof entry.remedy === 'string' ? [entry.remedy] : entry.remedy,
    ...(entry.harmless === undefined ? {} : {harmless: entry.harmless}),
    docs: entry.docs ?? file,
    examples: {match: entry.examples.match.map(example), nearMiss: (entry.examples.nearMiss ?? []).map(example)},
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
      if (match.facts[name] !== expected)
        throw fail(
          `${field}.facts.${name}`,
          `expected '${expected}', the pattern extracted ${match.facts[name] === undefined ? 'nothing' : `'${match.facts[name]}'`}`,
        )
    }
  })
  // A near miss tests the rule only if it reaches the pattern: a line the parser does not read, or whose message
  // lacks the literal (the matcher's prefilter), would pass whatever the pattern says (as in the catalog test).
  rule.examples.nearMiss.forEach((example, index) => {
    const field = `examples.nearMiss[${index}]`
    const record = parseLine(example.line, {source: file, reference: EXAMPLE_REFERENCE, timeZone: 'UTC'})
    if (!isRecord(record))
      throw fail(
        field,
        `is not a log line dovediag reads (${record}), so it tests nothing of rule '${rule.id}': give a whole line as it appears in the log`,
      )
    if (!record.message.includes(rule.literal))
      throw fail(
        field,
        `its message lacks the literal '${rule.literal}', so the pattern of rule '${rule.id}' never runs on it: a near miss holds the literal and is refused by the pattern, levels, services or programs`,
      )
    if (matchRule(rule, record) !== null) throw fail(field, 'matches, but is listed as a line the rule must not match')
  })
}
