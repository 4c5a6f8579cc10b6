import type {Hook} from '@oclif/core/hooks'

import {ExitStatus} from '../exit-status.js'
import {sanitizeForTerminal} from '../render/sanitize.js'
import {nearest} from './suggest.js'

/** What a first word that is a file most likely wanted: a migration export or a log. */
const EXPORT_FILE = /\.(csv|tsv|jsonl?|ndjson)$/i
const LOG_FILE = /^\/|\.log\b|\.gz$/i

/**
 * What to say for a command that does not exist: `dovediag lgos` → `logs`, `dovediag migration results.csv` →
 * `migration check results.csv`, `dovediag results.csv` → `migration check results.csv`. One line, status 64.
 */
export function commandNotFoundMessage(id: string, argv: readonly string[], commands: readonly string[], bin: string): string {
  const words = id.split(':')
  const typed = words.join(' ')
  const rest = argv.map((word) => ` ${word}`).join('')
  const topics = new Set(commands.filter((command) => command.includes(' ')).map((command) => command.split(' ')[0]))
  // `migration results.csv`: a topic followed by what is not one of its commands (a file, most often).
  const topic = topics.has(words[0]) ? words[0] : null
  if (topic !== null && words.length > 1) {
    const under = commands.filter((command) => command.startsWith(`${topic} `))
    const sub = EXPORT_FILE.test(words[1])
      ? []
      : nearest(
          words[1],
          under.map((command) => command.slice(topic.length + 1)),
        )
    const args = (from: number) => [...words.slice(from), ...argv].map((word) => ` ${word}`).join('')
    if (sub.length > 0) return `'${topic} ${words[1]}' is not a command: did you mean '${bin} ${topic} ${sub[0]}${args(2)}'?`
    return `'${topic}' is followed by a command: ${under.map((command) => `'${bin} ${command}${args(1)}'`).join(' or ')}`
  }
  if (EXPORT_FILE.test(words[0]))
    return `'${words[0]}' is not a command: to check a migration export, run '${bin} migration check ${typed}${rest}'`
  if (LOG_FILE.test(words[0])) return `'${words[0]}' is not a command: to read a log, run '${bin} logs ${typed}${rest}'`
  // The longest leading words that come near a command: `lgos x` → logs.
  for (let count = words.length; count > 0; count--) {
    const head = words.slice(0, count).join(' ')
    const near = nearest(head, commands)
    if (near.length > 0) {
      const args = [...words.slice(count), ...argv].join(' ')
      return `'${words[0]}' is not a command: did you mean ${near.map((command) => `'${bin} ${command}${args ? ` ${args}` : ''}'`).join(' or ')}?`
    }
  }
  return `'${typed}' is not a command: see '${bin} --help' for the commands (logs, exit, migration check, explain, rules, match)`
}

/** oclif's command_not_found hook: the message above on stderr, and the usage status. */
const hook: Hook<'command_not_found'> = function (options) {
  const commands = options.config.commands.filter((command) => !command.hidden).map((command) => command.id.replaceAll(':', ' '))
  const message = commandNotFoundMessage(options.id, options.argv ?? [], commands, options.config.bin)
  process.stderr.write(`${options.config.bin}: ${sanitizeForTerminal(message)}\n`)
  process.exitCode = ExitStatus.USAGE
  return Promise.resolve()
}

export default hook
