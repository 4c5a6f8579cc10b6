// bin/run.js starts the CLI through this module, so that the build's bundle gives it the very copy of
// @oclif/core that the bundled commands use (scripts/bundle.mjs).
import {execute as executeOclif} from '@oclif/core/execute'
import type {PJSON} from '@oclif/core/interfaces'
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {optimizeLateAtStartUp} from '../start-up-tiering.js'

/** Our commands that run a plugin's code: `autocomplete` runs @oclif/plugin-autocomplete's and completes its commands. */
const USES_PLUGINS = new Set(['autocomplete'])

/**
 * Runs the CLI as oclif does, except that a command of ours (a file in the commands folder) runs without
 * oclif loading its plugins (@oclif/plugin-help, @oclif/plugin-autocomplete: their package.json, manifest
 * and commands, ~30 M instructions of `dovediag exit 75`'s ~830 M), given through oclif's own load option
 * `pjson`. Whatever else is asked (help in any form, a plugin's command, `autocomplete`, a typo that the
 * command_not_found hook answers from the list of every command) loads them as before.
 */
export async function execute({dir}: {dir: string}): Promise<unknown> {
  optimizeLateAtStartUp()
  const root = join(dirname(fileURLToPath(dir)), '..')
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PJSON
  if (!runsWithoutPlugins(process.argv.slice(2), root, pjson)) return executeOclif({dir})
  return executeOclif({dir, loadOptions: {root, pjson: {...pjson, oclif: {...pjson.oclif, plugins: []}}}})
}

/** What bin/run.js did before: oclif loading its plugins for every command (test/cli/plugins.test.ts compares the two). */
export {executeOclif as executeLoadingPlugins}

/** True when argv names a command of ours that uses no plugin, and asks for no help. */
function runsWithoutPlugins(argv: readonly string[], root: string, pjson: PJSON): boolean {
  const helpFlags = new Set(['--help', ...(pjson.oclif.additionalHelpFlags ?? [])])
  if (argv.some((arg) => helpFlags.has(arg))) return false
  const commands = pjson.oclif.commands
  if (typeof commands !== 'string') return false
  // The command's words as oclif reads them with the topic separator ' ': `logs`, `migration check`.
  for (let count = 1; count <= Math.min(2, argv.length); count++) {
    const words = argv.slice(0, count)
    if (!words.every((word) => /^[a-z][a-z0-9-]*$/.test(word))) return false
    if (existsSync(join(root, commands, ...words) + '.js')) return !USES_PLUGINS.has(words.join(':'))
  }
  return false
}
