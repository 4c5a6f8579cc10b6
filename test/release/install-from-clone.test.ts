import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {cp, mkdir, mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'

import {root} from '../helpers/run.js'

const exec = promisify(execFile)

/** The commands of the README's "## Install" code block, one per line, comments dropped. */
async function readmeInstallCommands(): Promise<string[]> {
  const readme = await readFile(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('\n## Install\n'))
  const block = /```sh\n([\s\S]*?)```/.exec(section)
  assert.ok(readme.includes('\n## Install\n') && block, 'the README has an Install section with a sh block')
  return block[1]
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean)
}

/**
 * The README's install, run as written in a fresh copy of the clone (the tracked files as they are now,
 * without node_modules or dist), with npm's global prefix in a temporary directory: then `dovediag` must
 * be on PATH and work from anywhere.
 */
describe("the README's install, from a fresh clone", {timeout: 600_000}, () => {
  let work: string
  let env: NodeJS.ProcessEnv
  let outputs: string[]

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'dovediag-clone-'))
    const clone = join(work, 'dovediag')
    const {stdout} = await exec('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    })
    for (const file of stdout.split('\0').filter(Boolean)) {
      await mkdir(join(clone, dirname(file)), {recursive: true})
      await cp(join(root, file), join(clone, file)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error // a file deleted but not yet committed
      })
    }
    const prefix = join(work, 'prefix')
    env = {
      ...process.env,
      NPM_CONFIG_PREFIX: prefix,
      PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
      OCLIF_SKIP_NEW_VERSION_CHECK: 'true',
      npm_config_loglevel: 'error',
      NO_COLOR: '1',
    }
    outputs = []
    for (const command of await readmeInstallCommands()) {
      const {stdout: out} = await exec('sh', ['-c', command], {cwd: clone, env, maxBuffer: 16 * 1024 * 1024})
      outputs.push(out)
    }
  })

  after(async () => {
    if (work) await rm(work, {force: true, recursive: true})
  })

  it('puts a working dovediag on PATH', async () => {
    assert.match(outputs.at(-1)!, /^dovediag\/\d+\.\d+\.\d+ /m, 'the block ends with `dovediag --version`')
    const {stdout} = await exec('dovediag', ['exit', '75', '--json'], {cwd: work, env})
    assert.equal(JSON.parse(stdout).codes[0].label, 'EX_TEMPFAIL')
  })

  it('diagnoses a log from outside the clone', async () => {
    const log = join(work, 'dovecot.log')
    await cp(join(root, 'fixtures/sample.log'), log)
    const {stdout} = await exec('dovediag', ['logs', log, '--brief'], {cwd: work, env})
    assert.match(stdout, /^CRITICAL +panic /m)
  })
})
