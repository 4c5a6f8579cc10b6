/**
 * Every `--json` document dovediag prints, named in one place: the contract scripts rely on. The JSON
 * Schemas in docs/json/ are generated from these types (`npm run schemas`), and test/docs/json-schemas.test.ts
 * fails when a type changes without its schema, or when a command's real output does not validate.
 */
import type {RuleDescription, RuleListing} from '../catalog/describe.js'
import type {LogsReport} from '../diagnosis/report.js'
import type {Phase} from '../exit-codes/actions.js'
import type {CodeExplanation} from '../exit-codes/explain.js'
import type {LogRecord} from '../ingest/record.js'
import type {LineTrace} from '../match/trace.js'
import type {MigrationReport} from '../migration/check.js'

/** `dovediag exit --json`. */
export interface ExitJson {
  phase: Phase
  /** True when every code counts as done in this phase (what --check exits on). */
  done: boolean
  codes: CodeExplanation[]
}

/** `dovediag explain --json`: a rule's full description, or an exit code's explanation. */
export type ExplainJson = {kind: 'rule'; rule: RuleDescription} | {kind: 'exit-code'; code: CodeExplanation}

/** `dovediag match --json`. */
export interface MatchJson {
  lines: LineTrace[]
  /** Lines that matched at least one rule. */
  matched: number
}

/** `dovediag rules --json`. */
export interface RulesJson {
  rules: RuleListing[]
}

/** `dovediag logs --json`: the findings and the summary of every input. */
export type LogsJson = LogsReport

/** One line of `dovediag logs --records` (JSON Lines). */
export type RecordJson = LogRecord

/** `dovediag migration check --json`. */
export type MigrationCheckJson = MigrationReport

/** What every command prints under `--json` when it fails (a usage error, an unreadable input, ...). */
export interface ErrorJson {
  error: {code: string | null; exit: number; message: string}
}

/** The documents and their schema files (docs/json/<name>.schema.json). */
export const JSON_DOCUMENTS = {
  exit: 'ExitJson',
  explain: 'ExplainJson',
  match: 'MatchJson',
  rules: 'RulesJson',
  logs: 'LogsJson',
  record: 'RecordJson',
  'migration-check': 'MigrationCheckJson',
  error: 'ErrorJson',
} as const
