import {SEVERITIES} from '../catalog/rule.js'
import {LOG_LEVELS} from '../ingest/record.js'

/**
 * The shape of a user rules file (`--rules FILE`), as a JSON Schema: what ajv validates every file against
 * (src/user-rules/user-rules.ts), and what `npm run schemas` publishes as docs/json/user-rules.schema.json for
 * editors (`# yaml-language-server: $schema=...`). A `description` is also the error message's wording:
 * "rules[0].id: 'Backup Lock' must be lower-case words joined by dashes, e.g. backup-lock-timeout".
 */
const text = {type: 'string', minLength: 1, pattern: '\\S', description: 'a non-empty string'} as const
const texts = (what: string) => ({type: 'array', minItems: 1, items: text, description: `a non-empty list of ${what}`}) as const
const textOrTexts = (one: string, many: string) =>
  ({oneOf: [text, texts(many)], description: `${one}, or a non-empty list of ${many}`}) as const
const stringMap = (what: string) =>
  ({type: 'object', additionalProperties: {type: 'string', description: 'a string'}, description: `a map of ${what} to strings`}) as const

const example = {
  oneOf: [
    text,
    {type: 'object', required: ['line'], additionalProperties: false, properties: {line: text, facts: stringMap('fact names')}},
  ],
  description: 'a log line, or {line, facts}',
} as const

export const USER_RULE_SCHEMA = {
  type: 'object',
  description: 'an object with id, title, severity, literal, pattern, remedy and examples',
  required: ['id', 'title', 'severity', 'literal', 'pattern', 'examples'],
  additionalProperties: false,
  properties: {
    id: {type: 'string', pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', description: 'lower-case words joined by dashes, e.g. backup-lock-timeout'},
    title: text,
    severity: {enum: [...SEVERITIES], description: `one of ${SEVERITIES.join(', ')}`},
    literal: {...text, description: 'a non-empty string every matching line contains'},
    pattern: textOrTexts('a regular expression (RE2 syntax)', 'them'),
    levels: {
      type: 'array',
      minItems: 1,
      items: {enum: [...LOG_LEVELS], description: `one of ${LOG_LEVELS.join(', ')}`},
      description: `a non-empty list of levels (${LOG_LEVELS.join(', ')})`,
    },
    services: texts('Dovecot services'),
    programs: texts('program names'),
    facts: stringMap('named groups'),
    explanation: text,
    remedy: textOrTexts('one step', 'steps'),
    harmless: text,
    docs: text,
    examples: {
      type: 'object',
      required: ['match'],
      additionalProperties: false,
      description: "'match:' with at least one real log line the rule must match (and 'nearMiss:' with lines it must not)",
      properties: {
        match: {type: 'array', minItems: 1, items: example, description: 'a non-empty list of log lines'},
        nearMiss: {type: 'array', items: example, description: 'a list of log lines'},
      },
    },
  },
} as const

/** A whole file: a list of rules, or `{rules: [...]}`. */
export const USER_RULES_FILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:dovediag:json:user-rules',
  title: 'dovediag user rules file (--rules FILE)',
  oneOf: [
    {type: 'array', items: {$ref: '#/definitions/rule'}},
    {
      type: 'object',
      required: ['rules'],
      additionalProperties: false,
      properties: {rules: {type: 'array', items: {$ref: '#/definitions/rule'}}},
    },
  ],
  definitions: {rule: USER_RULE_SCHEMA},
} as const
