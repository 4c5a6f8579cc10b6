import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {cp, mkdtemp, readdir, rm, symlink} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'

import {root} from '../helpers/run.js'

const exec = promisify(execFile)

/**
 * What a user gets from `npm install dovediag`: pack the project, install the tarball into an empty
 * prefix, and run the installed binary from outside the repository.
 *
 * The pack runs in a copy of the sources so its prepack build does not replace the dist/ that other
 * test files are running at the same time.
 */
describe('packaged install', {timeout: 240_000}, () => {
  let work: string
  let dovediag: string

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'dovediag-pack-'))
    const stage = join(work, 'stage')
    for (const entry of ['bin', 'scripts', 'src', 'package.json', 'package-lock.json', 'tsconfig.json', 'README.md']) {
      await cp(join(root, entry), join(stage, entry), {recursive: true})
    }
    await symlink(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir')
    const env = {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true', npm_config_loglevel: 'error'}
    await exec('npm', ['pack', '--pack-destination', work], {cwd: stage, env})
    const [tarball] = (await readdir(work)).filter((name) => name.endsWith('.tgz'))
    assert.ok(tarball, 'npm pack wrote no tarball')
    const prefix = join(work, 'prefix')
    await exec('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', join(work, tarball)], {env})
    dovediag = join(prefix, 'bin', 'dovediag')
  })

  after(async () => {
    if (work) await rm(work, {force: true, recursive: true})
  })

  const runInstalled = (args: string[]) => exec(dovediag, args, {cwd: work, env: {...process.env, NO_COLOR: '1'}})

  it('dovediag --help lists the commands', async () => {
    const {stdout} = await runInstalled(['--help'])
    assert.match(stdout, /USAGE\s+\$ dovediag \[COMMAND\]/)
    for (const command of ['exit', 'explain', 'logs', 'match', 'rules', 'autocomplete'])
      assert.match(stdout, new RegExp(`^\\s+${command}\\s`, 'm'))
  })

  it('dovediag exit runs from the installed package', async () => {
    const {stdout} = await runInstalled(['exit', '75', '--json'])
    assert.equal(JSON.parse(stdout).codes[0].label, 'EX_TEMPFAIL')
  })

  it('dovediag logs reads a log from outside the repository', async () => {
    const log = join(work, 'dovecot.log')
    await cp(join(root, 'fixtures/sample.log'), log)
    const {stdout} = await runInstalled(['logs', log, '--json'])
    const report = JSON.parse(stdout)
    assert.equal(report.inputs[0].input, log)
    assert.ok(
      report.findings.some((finding: {rule: string}) => finding.rule === 'panic'),
      'the sample has a Panic',
    )
  })

  it('dovediag rules lists the catalog', async () => {
    const {stdout} = await runInstalled(['rules'])
    assert.match(stdout, /│ disk-full +│ critical +│ The mail storage is out of space/)
  })

  it('ships no sources, tests or fixtures', async () => {
    const installed = join(work, 'prefix', 'lib', 'node_modules', 'dovediag')
    const top = (await readdir(installed)).sort()
    assert.ok(top.includes('dist') && top.includes('bin') && top.includes('oclif.manifest.json'), top.join(','))
    for (const absent of ['src', 'test', 'fixtures']) assert.ok(!top.includes(absent), `${absent} is shipped`)
  })
})
