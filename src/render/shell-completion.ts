/**
 * The shell completion functions `dovediag autocomplete` installs for bash and zsh, written from a
 * description of the commands (src/cli/shell-completion.ts builds it from the commands' own flags and args).
 * @oclif/plugin-autocomplete 3.2 writes functions of its own, but its bash function completes neither file
 * paths nor flag values, and neither of its functions knows rule ids: these replace them.
 */

/** What a word can be completed with. */
export type CompletionValues =
  | {kind: 'files'}
  | {kind: 'words'; words: readonly string[]}
  /** Free text (a time, a user, a number): nothing to offer, and no file names either. */
  | {kind: 'none'}

export interface FlagCompletion {
  /** Without the dashes. */
  name: string
  char?: string
  summary: string
  /** What the flag's value completes to; absent for a flag that takes no value. */
  value?: CompletionValues
  multiple: boolean
}

export interface CommandCompletion {
  /** The words that run it: `['migration', 'check']`. */
  words: readonly string[]
  summary: string
  flags: readonly FlagCompletion[]
  /** What its arguments complete to, and what to call them. */
  args: CompletionValues
  argsName: string
}

export interface CompletionSpec {
  bin: string
  version: string
  commands: readonly CommandCompletion[]
  /** A summary for each topic (`migration`), by its words joined with spaces. */
  topicSummaries: Readonly<Record<string, string>>
}

/** The words that may follow `prefix` (the top-level commands and topics for `[]`), with a summary each. */
function nextWords(spec: CompletionSpec, prefix: readonly string[]): Map<string, string> {
  const next = new Map<string, string>()
  for (const command of spec.commands) {
    if (command.words.length <= prefix.length || prefix.some((word, i) => command.words[i] !== word)) continue
    const word = command.words[prefix.length]
    const isCommand = command.words.length === prefix.length + 1
    const topic = [...prefix, word].join(' ')
    if (isCommand || !next.has(word)) next.set(word, isCommand ? command.summary : (spec.topicSummaries[topic] ?? `${topic} commands`))
  }
  return next
}

/** Every prefix of a command's words that names a topic (`migration`), as word lists. */
function topics(spec: CompletionSpec): string[][] {
  const seen = new Map<string, string[]>()
  seen.set('', [])
  for (const command of spec.commands) {
    for (let n = 1; n < command.words.length; n++) seen.set(command.words.slice(0, n).join(' '), command.words.slice(0, n))
  }
  return [...seen.values()]
}

const shellWord = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`

const flagWords = (flag: FlagCompletion): string[] => [`--${flag.name}`, ...(flag.char ? [`-${flag.char}`] : [])]

/** A line of the bash function that completes `cur` with these values. */
function bashValues(fn: string, values: CompletionValues): string {
  switch (values.kind) {
    case 'files':
      return `${fn}_files "$cur"`
    case 'words':
      return `${fn}_words ${shellWord(values.words.join(' '))} "$cur"`
    case 'none':
      return `${fn}_words '' "$cur"`
  }
}

/**
 * The bash function. Bash splits `--format=json` into `--format`, `=` and `json` (COMP_WORDBREAKS), so a
 * flag's value is recognized after either form. File paths come from `compgen -f`, and the function is
 * registered with `-o default` so that readline's own file completion takes over where compgen finds nothing
 * (a quoted path); everywhere else that fallback is switched off, so a flag value or a rule id that fits
 * nothing offers nothing rather than file names.
 */
export function renderBashCompletion(spec: CompletionSpec): string {
  const fn = `_${spec.bin.replaceAll(/[^A-Za-z0-9_]/g, '_')}`
  const values = (v: CompletionValues): string => bashValues(fn, v)
  const commandPatterns = [...new Set([...topics(spec).slice(1), ...spec.commands.map((c) => [...c.words])].map((w) => w.join(' ')))]
  const lines: string[] = [
    `# bash completion for ${spec.bin} ${spec.version}, written by '${spec.bin} autocomplete'.`,
    '# Completes commands, flags, the values of flags that have a fixed set, rule ids, exit code labels,',
    '# and file paths where a command reads or writes files.',
    '',
    `${fn}_files() {`,
    '  compopt -o filenames 2>/dev/null',
    "  local IFS=$'\\n'",
    '  COMPREPLY=($(compgen -f -- "$1"))',
    '}',
    '',
    `${fn}_words() {`,
    '  compopt +o default 2>/dev/null',
    "  local IFS=$' \\t\\n'",
    '  COMPREPLY=($(compgen -W "$1" -- "$2"))',
    '}',
    '',
    `${fn}_complete() {`,
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="" command="" i=1',
    '  COMPREPLY=()',
    '  # The command: the first words, as long as they name a command or a topic.',
    '  while ((i < COMP_CWORD)); do',
    '    case "$command${command:+ }${COMP_WORDS[i]}" in',
    `      ${commandPatterns.map(shellWord).join('|')})`,
    '        command="$command${command:+ }${COMP_WORDS[i]}"',
    '        ((i++))',
    '        ;;',
    '      *) break ;;',
    '    esac',
    '  done',
    '  # The flag whose value is being typed, if any: `--flag value` or `--flag=value`.',
    '  if [[ $cur == = ]]; then',
    '    prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '    cur=""',
    '  elif ((COMP_CWORD > 1)); then',
    '    prev="${COMP_WORDS[COMP_CWORD-1]}"',
    '    [[ $prev == = ]] && prev="${COMP_WORDS[COMP_CWORD-2]}"',
    '  fi',
    '  if ((i == COMP_CWORD)); then',
    '    case "$command" in',
  ]
  for (const topic of topics(spec)) {
    const words = [...nextWords(spec, topic).keys()]
    lines.push(
      `      ${shellWord(topic.join(' '))})`,
      '        if [[ $cur == -* ]]; then',
      `          ${values({kind: 'words', words: topic.length === 0 ? ['--help', '--version'] : ['--help']})}`,
      '        else',
      `          ${values({kind: 'words', words})}`,
      '        fi',
      '        return',
      '        ;;',
    )
  }
  lines.push('    esac', '  fi', '  case "$command" in')
  for (const command of spec.commands) {
    lines.push(`    ${shellWord(command.words.join(' '))})`, '      case "$prev" in')
    for (const flag of command.flags) {
      if (flag.value) lines.push(`        ${flagWords(flag).join('|')}) ${values(flag.value)}; return ;;`)
    }
    const flags = [...command.flags.map((flag) => `--${flag.name}`), '--help']
    lines.push(
      '      esac',
      '      if [[ $cur == -* ]]; then',
      `        ${values({kind: 'words', words: flags})}`,
      '      else',
      `        ${values(command.args)}`,
      '      fi',
      '      ;;',
    )
  }
  lines.push('  esac', '}', '', `complete -o default -F ${fn}_complete ${spec.bin}`, '')
  return lines.join('\n')
}

/** Text inside `[...]` of a zsh `_arguments` spec or after `name:` in a `_describe` entry. */
const zshDescription = (text: string): string =>
  (text.split('\n')[0] ?? '').replaceAll('\\', '\\\\').replaceAll('[', '\\[').replaceAll(']', '\\]')

function zshAction(values: CompletionValues, what: string): string {
  switch (values.kind) {
    case 'files':
      return `${what}:_files`
    case 'words':
      return `${what}:(${values.words.join(' ')})`
    case 'none':
      return `${what}: `
  }
}

function zshFlagSpecs(flag: FlagCompletion): string[] {
  const names = flagWords(flag)
  const exclusive = flag.multiple ? '*' : `(${names.join(' ')})`
  const value = flag.value ? `:${zshAction(flag.value, flag.name)}` : ''
  return names.map((name) => shellWord(`${exclusive}${name}${flag.value ? '=' : ''}[${zshDescription(flag.summary)}]${value}`))
}

/**
 * The zsh function (autoloaded as `_dovediag` from the directory the plugin puts on fpath). Each command
 * gets an `_arguments` call: `--flag=` accepts the value after `=` or as the next word, as oclif does.
 */
export function renderZshCompletion(spec: CompletionSpec): string {
  const fn = `_${spec.bin.replaceAll(/[^A-Za-z0-9_]/g, '_')}`
  const functionName = (words: readonly string[]): string => [fn, ...words.map((w) => w.replaceAll(/[^A-Za-z0-9_]/g, '_'))].join('_')
  const lines: string[] = [
    `#compdef ${spec.bin}`,
    `# zsh completion for ${spec.bin} ${spec.version}, written by '${spec.bin} autocomplete'.`,
    '',
  ]
  for (const topic of topics(spec)) {
    const entries = [...nextWords(spec, topic)].map(([word, summary]) =>
      shellWord(`${word.replaceAll(':', '\\:')}:${zshDescription(summary)}`),
    )
    const top = topic.length === 0
    lines.push(
      `${top ? fn : functionName(topic)}() {`,
      '  local curcontext="$curcontext" state line',
      '  typeset -A opt_args',
      '  local -a subcommands',
      '  _arguments -C \\',
      ...(top ? [`    '(- *)'{-h,--help}'[show help]' \\`, `    '(- *)'{-v,--version}'[show the version]' \\`] : []),
      "    '1: :->command' \\",
      "    '*:: :->args' && return",
      '  case $state in',
      '    command)',
      `      subcommands=(${entries.join(' ')})`,
      `      _describe -t commands ${shellWord(top ? `${spec.bin} command` : `${topic.join(' ')} command`)} subcommands`,
      '      ;;',
      '    args)',
      '      case $words[1] in',
    )
    for (const word of nextWords(spec, topic).keys()) lines.push(`        ${shellWord(word)}) ${functionName([...topic, word])} ;;`)
    lines.push('      esac', '      ;;', '  esac', '}', '')
  }
  for (const command of spec.commands) {
    lines.push(`${functionName(command.words)}() {`, '  _arguments -S \\')
    for (const flag of command.flags) for (const s of zshFlagSpecs(flag)) lines.push(`    ${s} \\`)
    lines.push(`    '(- *)--help[show help]' \\`, `    ${shellWord(`*:${zshAction(command.args, command.argsName)}`)}`, '}', '')
  }
  lines.push(`${fn} "$@"`, '')
  return lines.join('\n')
}
