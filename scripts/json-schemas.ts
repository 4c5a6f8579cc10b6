/**
 * Writes the contract files the tests compare against (test/docs/json-schemas.test.ts):
 * - docs/json/<name>.schema.json, generated from the `--json` document types in src/render/json-documents.ts;
 * - docs/cli-surface.json, every command's arguments and flags as oclif loads them.
 *
 *   npm run schemas
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {CLI_SURFACE_PATH, cliSurface, jsonSchemas, SCHEMA_DIR} from '../test/helpers/json-schemas.js'

mkdirSync(SCHEMA_DIR, {recursive: true})
for (const [name, schema] of Object.entries(jsonSchemas())) {
  const path = join(SCHEMA_DIR, `${name}.schema.json`)
  writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`)
  console.log(`wrote ${path}`)
}
writeFileSync(CLI_SURFACE_PATH, `${JSON.stringify(await cliSurface(), null, 2)}\n`)
console.log(`wrote ${CLI_SURFACE_PATH}`)
