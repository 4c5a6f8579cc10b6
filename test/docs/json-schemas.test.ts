import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {Ajv, type ValidateFunction} from 'ajv'

import {parse as parseYaml} from 'yaml'

import {JSON_DOCUMENTS} from '../../src/render/json-documents.js'
import {USER_RULES_FILE_SCHEMA} from '../../src/user-rules/schema.js'
import {CLI_SURFACE_PATH, cliSurface, jsonSchemas, SCHEMA_DIR} from '../helpers/json-schemas.js'
import {root, spawnCli} from '../helpers/run.js'

/**
 * The `--json` contract: docs/json/*.schema.json are generated from the document types, and the real output
 * of every command validates against them. A change to a type fails here until `npm run schemas` is run
 * (and the change is then visible in review as a diff of the schema); output the types do not describe fails
 * too, because every object in the schemas is closed.
 */
describe('JSON Schemas of the --json documents', () => {
  const generated = jsonSchemas()

  for (const name of Object.keys(JSON_DOCUMENTS)) {
    it(`docs/json/${name}.schema.json is current (else: npm run schemas)`, () => {
      const onDisk: unknown = JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), 'utf8'))
      assert.deepEqual(onDisk, generated[name])
    })
  }

  const ajv = new Ajv({allErrors: true, strict: false})
  const validators = new Map<string, ValidateFunction>()
  const validator = (name: keyof typeof JSON_DOCUMENTS): ValidateFunction => {
    let validate = validators.get(name)
    if (!validate) {
      validate = ajv.compile(generated[name])
      validators.set(name, validate)
    }
    return validate
  }
  const assertValid = (name: keyof typeof JSON_DOCUMENTS, document: unknown): void => {
    const validate = validator(name)
    assert.ok(validate(document), `${name}: ${ajv.errorsText(validate.errors, {separator: '\n'})}`)
  }

  const fixture = (path: string) => join(root, 'fixtures', path)
  const cases: {name: keyof typeof JSON_DOCUMENTS; args: string[]}[] = [
    {name: 'exit', args: ['exit', '--all', '--json']},
    {name: 'exit', args: ['exit', '75', '137', '235', '-1', '--json', '--phase', 'final']},
    {name: 'explain', args: ['explain', 'vsz-limit-oom', '--json']},
    {name: 'explain', args: ['explain', '75', '--json']},
    {name: 'rules', args: ['rules', '--json', '--rules', fixture('rules/site-rules.yaml')]},
    {name: 'match', args: ['match', '--json', 'Nov 23 10:00:00 imap(jdoe)<1234><AbCd>: Error: Cache file too large', 'hello']},
    {
      name: 'logs',
      args: [
        'logs',
        '--json',
        fixture('sample.log'),
        ...['dovecot-2.2.log', 'dovecot-2.4.log', 'mail.log', 'journal.json', 'compose.log', 'audit.log'].map((f) => fixture(`logs/${f}`)),
      ],
    },
    {name: 'logs', args: ['logs', '--json', fixture('logs/rotated'), '--since', '2020-01-01']},
    {name: 'migration-check', args: ['migration', 'check', '--json', fixture('migration/wave.csv'), fixture('migration/wave.jsonl')]},
    {name: 'migration-check', args: ['migration', 'check', '--json', '--phase', 'final', fixture('migration/wave-http-api.jsonl')]},
    {name: 'error', args: ['exit', 'NOSUCHCODE', '--json']},
    {name: 'error', args: ['logs', '--json', '--since', 'not-a-time', fixture('sample.log')]},
  ]
  for (const {name, args} of cases) {
    it(`${args.slice(0, 3).join(' ')} ... validates as ${name}`, async () => {
      const {stdout} = await spawnCli(args, {env: {NO_COLOR: '1'}})
      assertValid(name, JSON.parse(stdout))
    })
  }

  it('every line of logs --records validates as record', async () => {
    const {stdout} = await spawnCli([
      'logs',
      '--records',
      '--json',
      fixture('sample.log'),
      fixture('logs/journal.json'),
      fixture('logs/audit.log'),
    ])
    const lines = stdout.split('\n').filter((line) => line !== '')
    assert.ok(lines.length > 100)
    for (const line of lines) assertValid('record', JSON.parse(line))
  })

  it('a field the type does not name fails validation (the schemas are closed)', () => {
    const validate = validator('error')
    assert.equal(validate({error: {code: null, exit: 64, message: 'x'}}), true)
    assert.equal(validate({error: {code: null, exit: 64, message: 'x', stack: 'at ...'}}), false)
  })
})

describe('the command and flag surface', () => {
  it('docs/cli-surface.json is current (else: npm run schemas, and document the change)', async () => {
    const onDisk: unknown = JSON.parse(readFileSync(CLI_SURFACE_PATH, 'utf8'))
    assert.deepEqual(onDisk, await cliSurface())
  })
})

describe('the user rules file schema', () => {
  it('docs/json/user-rules.schema.json is the one dovediag validates with (else: npm run schemas)', () => {
    assert.deepEqual(JSON.parse(readFileSync(join(SCHEMA_DIR, 'user-rules.schema.json'), 'utf8')), USER_RULES_FILE_SCHEMA)
  })

  it('the example rules files validate against it', () => {
    const validate = new Ajv({strict: false}).compile(USER_RULES_FILE_SCHEMA)
    for (const file of ['site-rules.yaml', 'site-rules.json']) {
      const text = readFileSync(join(root, 'fixtures/rules', file), 'utf8')
      assert.ok(validate(file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)), `${file}: ${JSON.stringify(validate.errors)}`)
    }
  })
})
