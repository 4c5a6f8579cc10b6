import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {pathToFileURL} from 'node:url'

import {root} from '../helpers/run.js'

interface Run {
  stdout: string
  stderr: string
  status: number
  /** The files of @oclif/plugin-help and @oclif/plugin-autocomplete the run read. */
  pluginFiles: string[]
}

// Names every file of the two plugins that oclif reads (their package.json, manifest, commands), at exit.
const WATCH = `import fs from 'node:fs'; const seen = new Set(); const {readFile} = fs.promises; fs.promises.readFile = function (path, ...rest) { if (String(path).includes('/@oclif/plugin-')) seen.add(String(path).replace(/.*node_modules\\//, '')); return readFile.call(this, path, ...rest) }; process.on('exit', () => fs.writeSync(2, 'plugin files:' + [...seen].sort().map((file) => ' ' + file).join('') + '\\n'))`

/** bin/run.js with `args`, or (`loadingPlugins`) what it ran before: oclif loading the plugins for every command. */
function runCli(args: string[], options: {loadingPlugins?: boolean; env?: NodeJS.ProcessEnv} = {}): Promise<Run> {
  const bin = join(root, 'bin/run.js')
  const before = `const {executeLoadingPlugins} = await import(${JSON.stringify(pathToFileURL(join(root, 'dist/cli/execute.js')).href)}); process.argv = [process.argv[0], ${JSON.stringify(bin)}, ...process.argv.slice(1)]; await executeLoadingPlugins({dir: ${JSON.stringify(pathToFileURL(bin).href)}})`
  const start = options.loadingPlugins ? ['--input-type=module', '-e', before] : [bin]
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(WATCH)}`, ...start, ...args],
      {cwd: root, env: {...process.env, NODE_ENV: 'production', ...options.env}, maxBuffer: 16 * 1024 * 1024},
      (error, stdout, stderr) => {
        const lines = stderr.split('\n')
        const watched = lines.findIndex((line) => line.startsWith('plugin files:'))
        const pluginFiles = lines[watched].slice('plugin files:'.length).split(' ').filter(Boolean)
        lines.splice(watched, 1)
        resolve({stdout, stderr: lines.join('\n'), status: error ? Number(error.code) : 0, pluginFiles})
      },
    )
    child.stdin?.end()
  })
}

const PLUGIN_MANIFESTS = ['@oclif/plugin-autocomplete/oclif.manifest.json', '@oclif/plugin-help/oclif.manifest.json']

// src/cli/execute.ts: a command of ours runs without oclif loading @oclif/plugin-help and
// @oclif/plugin-autocomplete (~5% of `dovediag exit 75`'s instructions); anything that may need them loads them.
describe('oclif plugins are loaded only where they are needed', () => {
  // Successes, usage errors (oclif's own and ours) and each command: the same bytes and status either way.
  const OURS = [
    ['exit', '75'],
    ['exit', '--json', '75', 'EX_NOPERM'],
    ['exit', '--all'],
    ['exit'],
    ['exit', '75', '--phase', 'bogus'],
    ['logs', 'fixtures/sample.log'],
    ['logs', '--json', '--sinse', '2h', 'fixtures/sample.log'],
    ['migration', 'check', '--json', 'fixtures/migration/wave.csv'],
    ['rules'],
    ['explain', 'time-moved-backwards'],
  ]
  for (const args of OURS) {
    it(`dovediag ${args.join(' ')}: reads no plugin, and prints what it printed with them`, async () => {
      const [now, loading] = await Promise.all([runCli(args), runCli(args, {loadingPlugins: true})])
      assert.deepEqual(now.pluginFiles, [])
      assert.deepEqual(
        PLUGIN_MANIFESTS.filter((file) => loading.pluginFiles.includes(file)),
        PLUGIN_MANIFESTS,
        'the comparison run loads the plugins',
      )
      assert.equal(now.status, loading.status)
      assert.equal(now.stdout, loading.stdout)
      assert.equal(now.stderr, loading.stderr)
    })
  }

  const loadsThem = (run: Run) =>
    assert.deepEqual(
      PLUGIN_MANIFESTS.filter((file) => run.pluginFiles.includes(file)),
      PLUGIN_MANIFESTS,
    )

  it('help in every form loads them: the command list has help and autocomplete', async () => {
    for (const args of [
      ['help'],
      ['--help'],
      [],
      ['help', 'logs'],
      ['logs', '--help'],
      ['exit', '75', '-h'],
      ['migration', '--help'],
      ['migration'],
    ]) {
      const run = await runCli(args)
      assert.equal(run.status, 0, args.join(' '))
      loadsThem(run)
      if (args.length <= 1 && args[0] !== 'migration')
        assert.match(run.stdout, /^ {2}autocomplete {2}[\s\S]*^ {2}help {10}Display help for dovediag\./m)
    }
    assert.match((await runCli(['logs', '--help'])).stdout, /USAGE\n\s+\$ dovediag logs/)
  })

  it('a typo, a topic with a file, a colon id: the command_not_found hook and oclif answer as before', async () => {
    const typo = await runCli(['lgos', 'fixtures/sample.log'])
    loadsThem(typo)
    assert.equal(typo.status, 64)
    assert.equal(typo.stderr, "dovediag: 'lgos' is not a command: did you mean 'dovediag logs fixtures/sample.log'?\n")
    const topic = await runCli(['migration', 'results.csv'])
    loadsThem(topic)
    assert.match(topic.stderr, /'dovediag migration check results\.csv'/)
    const colon = await runCli(['migration:check', '--json', 'fixtures/migration/wave.csv'])
    loadsThem(colon)
    assert.equal(colon.stdout, (await runCli(['migration', 'check', '--json', 'fixtures/migration/wave.csv'])).stdout)
  })

  describe('autocomplete (ours, running the plugin)', () => {
    let home: string
    before(() => (home = mkdtempSync(join(tmpdir(), 'dovediag-plugins-'))))
    after(() => rmSync(home, {recursive: true, force: true}))

    it('loads them and prints the setup instructions', async () => {
      const env = {
        HOME: home,
        XDG_CACHE_HOME: join(home, 'cache'),
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_DATA_HOME: join(home, 'data'),
      }
      const run = await runCli(['autocomplete', 'bash'], {env})
      assert.equal(run.status, 0, run.stderr)
      loadsThem(run)
      assert.match(run.stdout, /autocomplete script bash/)
    })
  })
})
