/**
 * Writes the contract files the tests compare against (test/docs/json-schemas.test.ts):
 * - docs/json/<name>.schema.json, generated from the `--json` document types in src/render/json-documents.ts;
 * - docs/json/user-rules.schema.json, the shape of a --rules file (src/user-rules/schema.ts), for editors;
 * - docs/cli-surface.json, every command's arguments and flags as oclif loads them.
 *
 *   npm run schemas
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {USER_RULES_FILE_SCHEMA} from '../src/user-rules/schema.js'
import {CLI_SURFACE_PATH, cliSurface, jsonSchemas, SCHEMA_DIR} from '../test/helpers/json-schemas.js'

mkdirSync(SCHEMA_DIR, {recursive: true})
for (const [name, schema] of Object.entries(jsonSchemas())) {
  const path = join(SCHEMA_DIR, `${name}.schema.json`)
  writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`)
  console.log(`wrote ${path}`)
}
writeFileSync(join(SCHEMA_DIR, 'user-rules.schema.json'), `${JSON.stringify(USER_RULES_FILE_SCHEMA, null, 2)}\n`)
console.log(`wrote ${join(SCHEMA_DIR, 'user-rules.schema.json')}`)
writeFileSync(CLI_SURFACE_PATH, `${JSON.stringify(await cliSurface(), null, 2)}\n`)
console.log(`wrote ${CLI_SURFACE_PATH}`)
