import type {Command, Config} from '@oclif/core'
import {mkdir, rename, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {RULES, PROBLEM_RULES} from '../catalog/index.js'
import {byCodeUnits} from '../code-unit-order.js'
import {EXIT_CODES} from '../exit-codes/catalog.js'
import {
  renderBashCompletion,
  renderZshCompletion,
  type CommandCompletion,
  type CompletionSpec,
  type CompletionValues,
} from '../render/shell-completion.js'

const ruleIds: CompletionValues = {kind: 'words', words: RULES.map((rule) => rule.id)}
const codeLabels = EXIT_CODES.map((entry) => entry.label)

/**
 * What each command's arguments are, for completion: the one place this is said. A command missing here
 * (a plugin's) completes the `options` its argument declares, else nothing.
 */
const ARGUMENTS: Readonly<Record<string, CompletionValues>> = {
  logs: {kind: 'files'},
  'migration:check': {kind: 'files'},
  explain: {kind: 'words', words: [...ruleIds.words, ...codeLabels]},
  exit: {kind: 'words', words: codeLabels},
  // Quoted log lines: nothing to offer.
  match: {kind: 'none'},
}

/** Flags whose values come from the catalog rather than from the flag's `options`. */
const FLAG_VALUES: Readonly<Record<string, CompletionValues>> = {
  rule: {kind: 'words', words: PROBLEM_RULES.map((rule) => rule.id)},
}

/** Flags whose help names their value FILE (or DIR, PATH) complete file paths. */
const PATH_VALUES = new Set(['FILE', 'DIR', 'PATH'])

function flagValues(name: string, flag: Command.Flag.Cached): CompletionValues | undefined {
  if (flag.type === 'boolean') return undefined
  if (FLAG_VALUES[name]) return FLAG_VALUES[name]
  if (flag.options && flag.options.length > 0) return {kind: 'words', words: flag.options}
  if (flag.helpValue !== undefined && PATH_VALUES.has(String(flag.helpValue))) return {kind: 'files'}
  return {kind: 'none'}
}

function argumentValues(command: Command.Loadable): CompletionValues {
  const known = ARGUMENTS[command.id]
  if (known) return known
  const options = Object.values(command.args).flatMap((arg) => arg.options ?? [])
  return options.length > 0 ? {kind: 'words', words: options} : {kind: 'none'}
}

/** The first line of a summary, with oclif's `<%= config.bin %>` template filled in (the plugin's help command has one). */
const firstLine = (text: string | undefined, bin: string): string =>
  ((text ?? '').split('\n')[0] ?? '').replaceAll(/<%=\s*config\.bin\s*%>/g, bin)

/** The completion description of every visible command of this CLI (its own and its plugins'). */
function completionSpec(config: Config): CompletionSpec {
  const commands: CommandCompletion[] = config.commands
    .filter((command) => !command.hidden)
    .sort((a, b) => byCodeUnits(a.id, b.id))
    .map((command) => ({
      words: command.id.split(':'),
      summary: firstLine(command.summary ?? command.description, config.bin),
      flags: Object.entries(command.flags)
        .filter(([, flag]) => !flag.hidden)
        .map(([name, flag]) => ({
          name,
          char: flag.char,
          summary: firstLine(flag.summary ?? flag.description, config.bin),
          value: flagValues(name, flag),
          multiple: flag.type === 'option' && flag.multiple === true,
        })),
      args: argumentValues(command),
      argsName: Object.keys(command.args)[0] ?? 'argument',
    }))
  const topicSummaries = Object.fromEntries(
    config.topics.map((topic) => [topic.name.replaceAll(':', ' '), firstLine(topic.description, config.bin)]),
  )
  return {bin: config.bin, version: config.version, commands, topicSummaries}
}

/**
 * Where @oclif/plugin-autocomplete's setup scripts (`dovediag autocomplete script bash|zsh`, sourced from the
 * shell's rc file) look for the completion functions.
 */
function completionFunctionPaths(config: Config): {bash: string; zsh: string} {
  const functions = join(config.cacheDir, 'autocomplete', 'functions')
  return {bash: join(functions, 'bash', `${config.bin}.bash`), zsh: join(functions, 'zsh', `_${config.bin}`)}
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(join(path, '..'), {recursive: true})
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, text)
  await rename(temporary, path)
}

/** Writes dovediag's bash and zsh completion functions where the plugin's setup scripts source them. */
export async function writeCompletionFunctions(config: Config): Promise<void> {
  const spec = completionSpec(config)
  const paths = completionFunctionPaths(config)
  await writeAtomically(paths.bash, renderBashCompletion(spec))
  await writeAtomically(paths.zsh, renderZshCompletion(spec))
}
