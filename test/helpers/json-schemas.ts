import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Config} from '@oclif/core'
import {createGenerator} from 'ts-json-schema-generator'

import {JSON_DOCUMENTS} from '../../src/render/json-documents.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const SCHEMA_DIR = resolve(root, 'docs/json')

/**
 * The JSON Schema of every `--json` document, made from its TypeScript type (src/render/json-documents.ts).
 * Objects are closed (`additionalProperties: false`): a field the output carries but the type does not name
 * fails validation, so the documented shape and the real one cannot drift apart.
 */
export function jsonSchemas(): Record<string, object> {
  const generator = createGenerator({
    path: resolve(root, 'src/render/json-documents.ts'),
    tsconfig: resolve(root, 'tsconfig.json'),
    type: '*',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    additionalProperties: false,
    skipTypeCheck: true,
  })
  const schemas: Record<string, object> = {}
  for (const [name, type] of Object.entries(JSON_DOCUMENTS)) {
    const schema = generator.createSchema(type)
    schemas[name] = {$id: `urn:dovediag:json:${name}`, title: `dovediag ${name} --json`, ...schema}
  }
  return schemas
}

export const CLI_SURFACE_PATH = resolve(root, 'docs/cli-surface.json')

/**
 * The command and flag surface scripts depend on, as oclif's manifest records it: each dovediag command
 * with its arguments and flags (type, short name, options, multiple, default, exclusive). Descriptions are
 * left out: rewording help is not a change of the contract. Plugin commands (help, autocomplete) are not ours.
 */
export async function cliSurface(): Promise<object> {
  const config = await Config.load({root})
  const surface: Record<string, object> = {}
  const ours = config.commands.filter((command) => command.pluginName === config.name).sort((a, b) => a.id.localeCompare(b.id))
  for (const command of ours) {
    const flags: Record<string, object> = {}
    for (const name of Object.keys(command.flags).sort()) {
      const flag = command.flags[name]
      flags[name] = {
        type: flag.type,
        ...(flag.char ? {char: flag.char} : {}),
        ...(flag.type === 'option' ? {multiple: flag.multiple ?? false, ...(flag.options ? {options: flag.options} : {})} : {}),
        ...(flag.type === 'boolean' && flag.allowNo ? {allowNo: true} : {}),
        ...(flag.default !== undefined && typeof flag.default !== 'function' ? {default: flag.default as unknown} : {}),
        ...(flag.exclusive ? {exclusive: [...flag.exclusive].sort()} : {}),
        ...(flag.required ? {required: true} : {}),
      }
    }
    const args = Object.entries(command.args ?? {}).map(([name, arg]) => ({
      name,
      required: arg.required ?? false,
      ...(arg.options ? {options: arg.options} : {}),
    }))
    surface[command.id] = {args, flags, ...(command.strict === false ? {strict: false} : {})}
  }
  return surface
}
