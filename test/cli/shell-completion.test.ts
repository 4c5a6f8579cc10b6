import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'

import {spawnCli} from '../helpers/run.js'

const exec = promisify(execFile)

/**
 * Runs the completion a user installs with `dovediag autocomplete bash` in a real bash: the setup line
 * `dovediag autocomplete script bash` prints (what the instructions add to ~/.bashrc) is sourced, the words
 * of the line are split as readline splits them (at spaces, and `=`/`:` as words of their own, bash's
 * COMP_WORDBREAKS), and the candidates the registered function leaves in COMPREPLY are returned.
 */
const DRIVER = `
eval "$SETUP_LINE"
read -r -a spec <<< "$(complete -p dovediag)"
fn=\${spec[-2]}
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"
COMP_POINT=\${#COMP_LINE}
"$fn" dovediag "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"
`

/** `line` as readline hands it to a completion function: the words, the last being the one under the cursor. */
function compWords(line: string): string[] {
  const words = line.split(' ').flatMap((word) => word.split(/([=:])/).filter((part) => part !== ''))
  if (line.endsWith(' ')) words.push('')
  return words
}

describe('shell completion (dovediag autocomplete bash)', () => {
  let home: string
  let files: string
  let setupLine: string
  let env: NodeJS.ProcessEnv

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'dovediag-completion-'))
    files = join(home, 'logs')
    mkdirSync(join(files, 'archive'), {recursive: true})
    writeFileSync(join(files, 'dovecot.log'), '')
    writeFileSync(join(files, 'dovecot-info.log'), '')
    writeFileSync(join(files, 'results.csv'), '')
    env = {XDG_CACHE_HOME: join(home, 'cache'), HOME: home}
    const install = await spawnCli(['autocomplete', 'bash'], {env})
    assert.equal(install.status, 0, install.stderr)
    const script = await spawnCli(['autocomplete', 'script', 'bash'], {env})
    assert.equal(script.status, 0, script.stderr)
    setupLine = script.stdout.trim()
  })
  after(() => rmSync(home, {recursive: true, force: true}))

  async function candidates(line: string): Promise<string[]> {
    const {stdout} = await exec('bash', ['--norc', '--noprofile', '-c', DRIVER, 'driver', ...compWords(line)], {
      cwd: files,
      env: {...process.env, ...env, SETUP_LINE: setupLine},
    })
    return stdout
      .split('\n')
      .filter((candidate) => candidate !== '')
      .sort()
  }

  it('is registered with the shell, falling back to file names', async () => {
    const {stdout} = await exec('bash', ['--norc', '--noprofile', '-c', 'eval "$SETUP_LINE"; complete -p dovediag'], {
      env: {...process.env, ...env, SETUP_LINE: setupLine},
    })
    assert.match(stdout, /^complete -o default -F \S+ dovediag$/m)
  })

  it('completes file paths for the inputs of logs and migration check, and for file-valued flags', async () => {
    const all = ['archive', 'dovecot-info.log', 'dovecot.log', 'results.csv']
    assert.deepEqual(await candidates('dovediag logs '), all)
    assert.deepEqual(await candidates('dovediag logs dov'), ['dovecot-info.log', 'dovecot.log'])
    assert.deepEqual(await candidates('dovediag logs --since 2h dovecot.'), ['dovecot.log'])
    assert.deepEqual(await candidates('dovediag migration check res'), ['results.csv'])
    assert.deepEqual(await candidates('dovediag migration check --retry-file '), all)
    assert.deepEqual(await candidates('dovediag logs --output=dovecot-'), ['dovecot-info.log'])
    assert.deepEqual(await candidates('dovediag logs --rules '), all)
  })

  it('completes rule ids for explain and --rule', async () => {
    assert.deepEqual(await candidates('dovediag explain pa'), ['panic', 'passwd-file-unreadable'])
    assert.deepEqual(await candidates('dovediag logs --rule di'), ['disk-full'])
    assert.deepEqual(await candidates('dovediag logs --rule=tls-m'), ['tls-min-protocol-invalid'])
    assert.deepEqual(await candidates('dovediag logs x.log --rule panic --rule vsz'), ['vsz-limit-oom'])
    // --rule takes the rules that report problems; explain also explains the facts that are only counted.
    assert.deepEqual(await candidates('dovediag logs --rule auth-f'), [])
    assert.deepEqual(await candidates('dovediag explain auth-f'), ['auth-failed'])
  })

  it('completes exit code labels for exit and explain', async () => {
    assert.deepEqual(await candidates('dovediag exit EX_TEMP'), ['EX_TEMPFAIL'])
    assert.deepEqual(await candidates('dovediag explain EX_NOU'), ['EX_NOUSER'])
  })

  it('completes the values of flags that have a fixed set', async () => {
    assert.deepEqual(await candidates('dovediag logs --format '), [
      'github',
      'junit',
      'markdown',
      'nagios',
      'openmetrics',
      'prometheus',
      'text',
    ])
    assert.deepEqual(await candidates('dovediag logs --format=m'), ['markdown'])
    assert.deepEqual(await candidates('dovediag logs --min-severity h'), ['high'])
    assert.deepEqual(await candidates('dovediag logs --fail-on '), ['critical', 'high', 'low', 'medium'])
    assert.deepEqual(await candidates('dovediag logs --records --level e'), ['error'])
    assert.deepEqual(await candidates('dovediag migration check --input-format j'), ['joblog', 'json', 'jsonl'])
    assert.deepEqual(await candidates('dovediag exit 75 --phase '), ['final', 'intermediate'])
    assert.deepEqual(await candidates('dovediag autocomplete '), ['bash', 'powershell', 'zsh'])
  })

  it('offers no file names for a value that is free text', async () => {
    assert.deepEqual(await candidates('dovediag logs --since '), [])
    assert.deepEqual(await candidates('dovediag logs --user '), [])
    assert.deepEqual(await candidates('dovediag migration check --max-retries '), [])
  })

  it('completes commands, topics and flags', async () => {
    assert.deepEqual(await candidates('dovediag '), ['autocomplete', 'exit', 'explain', 'help', 'logs', 'match', 'migration', 'rules'])
    assert.deepEqual(await candidates('dovediag mi'), ['migration'])
    assert.deepEqual(await candidates('dovediag migration '), ['check'])
    assert.deepEqual(await candidates('dovediag logs --fo'), ['--follow', '--format'])
    assert.deepEqual(await candidates('dovediag migration check --re'), ['--remove-file', '--retry-file'])
    assert.deepEqual(await candidates('dovediag logs --records --le'), ['--level'])
  })

  it('a shell it has no completion for is a usage error on one line', async () => {
    const {status, stderr} = await spawnCli(['autocomplete', 'fish'], {env})
    assert.equal(status, 64)
    assert.equal(stderr, 'dovediag: Expected fish to be one of: zsh, bash, powershell\n')
  })

  it('writes a zsh function for every command, with the same values', () => {
    const zsh = readFileSync(join(home, 'cache/dovediag/autocomplete/functions/zsh/_dovediag'), 'utf8')
    assert.match(zsh, /^#compdef dovediag$/m)
    assert.match(zsh, /^_dovediag_logs\(\) \{$/m)
    assert.match(zsh, /'\*--rule=\[[^\]]*\]:rule:\([^)]*\bdisk-full\b[^)]*\)'/)
    assert.match(zsh, /'\(--format\)--format=\[[^\n]*\]:format:\(text markdown prometheus openmetrics nagios junit github\)'/)
    assert.match(zsh, /'\*:inputs:_files'/)
    assert.doesNotMatch(zsh, /<%/)
  })
})
