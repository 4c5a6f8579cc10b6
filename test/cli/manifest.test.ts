import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {describe, it} from 'node:test'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'
import {gzipSync} from 'node:zlib'

import {root} from '../helpers/run.js'

interface ManifestCommand {
  flags: Record<string, unknown>
  args: Record<string, unknown>
  relativePath: string[]
}

const commandFiles = (dir: string): string[] =>
  readdirSync(dir, {withFileTypes: true}).flatMap((entry) =>
    entry.isDirectory() ? commandFiles(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  )

// `npm run build` (run by `npm test` first, and by `npm ci` through prepare) writes oclif.manifest.json so
// that a run loads only its own command. A manifest that no longer describes dist/ would hide commands or
// flags: it must list exactly the built commands, with their flags and args.
describe('oclif.manifest.json', () => {
  it('describes exactly the commands and flags of the build in dist/', async () => {
    const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}
    const dir = join(root, 'dist/commands')
    const files = commandFiles(dir)
    const ids = files.map((file) => relative(dir, file).replace(/\.js$/, '').split('/').join(':')).sort()
    assert.deepEqual(Object.keys(manifest.commands).sort(), ids)
    for (const [index, file] of files.entries()) {
      const command = (await import(pathToFileURL(file).href)).default as {
        flags?: Record<string, unknown>
        args?: Record<string, unknown>
        enableJsonFlag?: boolean
      }
      const entry = manifest.commands[relative(dir, file).replace(/\.js$/, '').split('/').join(':')]
      const flags = Object.keys(command.flags ?? {}).concat(command.enableJsonFlag ? ['json'] : [])
      assert.deepEqual(Object.keys(entry.flags).sort(), [...new Set(flags)].sort(), ids[index])
      assert.deepEqual(Object.keys(entry.args).sort(), Object.keys(command.args ?? {}).sort())
    }
  })

  it('is used by bin/run.js: dovediag exit 75 imports no other command and not the catalog', async () => {
    // Without the manifest oclif imports every command (and with them the catalog) to learn what they are.
    const {stdout, loaded} = await runLoading(['exit', '75'])
    assert.match(stdout, /EX_TEMPFAIL/)
    assert.ok(loaded.includes('dist/commands/exit.js'), loaded.join(' '))
    assert.deepEqual(
      loaded.filter((path) => path.startsWith('dist/commands/') && path !== 'dist/commands/exit.js'),
      [],
    )
    // The build bundles @oclif/core and our modules into dist/chunks (scripts/bundle.mjs): nothing is
    // read from node_modules or from tsc's unbundled dist/ files, and no loaded chunk holds the catalog.
    assert.deepEqual(
      loaded.filter(
        (path) =>
          !path.startsWith('node:') &&
          !/^(bin\/run\.js|dist\/cli\/execute\.js|dist\/commands\/exit\.js|dist\/chunks\/[^/]+\.js)$/.test(path),
      ),
      [],
    )
    for (const path of loaded.filter((path) => !path.startsWith('node:')))
      assert.doesNotMatch(readFileSync(join(root, path), 'utf8'), /time-moved-backwards/, path)
  })
})

// scripts/bundle.mjs makes the bundled oclif require tinyglobby only when it first globs: when a plugin has no
// manifest, which a build never lacks. Without one the bundle must still find the commands by globbing.
describe('the build without its manifest', () => {
  it('finds the commands by globbing, and dovediag exit 75 runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovediag-no-manifest-'))
    try {
      for (const part of ['bin', 'dist', 'package.json']) cpSync(join(root, part), join(dir, part), {recursive: true})
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
      assert.ok(!existsSync(join(dir, 'oclif.manifest.json')))
      const {stdout} = await promisify(execFile)(process.execPath, [join(dir, 'bin/run.js'), 'exit', '75'], {cwd: dir})
      assert.match(stdout, /EX_TEMPFAIL/)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

// oclif sorts each plugin's commands on every start; its `localeCompare` would make V8 build ICU's collator
// (~90 M instructions, a tenth of `exit 75`). scripts/bundle.mjs has the bundle compare code units instead,
// which orders command ids exactly as the collator does.
describe("oclif's command sort in the bundle", () => {
  it('dovediag exit 75 calls no localeCompare and makes no Intl.Collator', async () => {
    const count = `let calls = 0; const original = String.prototype.localeCompare; String.prototype.localeCompare = function (...args) { calls++; return original.apply(this, args) }; const Collator = Intl.Collator; Intl.Collator = function (...args) { calls++; return new Collator(...args) }; process.on('exit', () => process.stderr.write('collations ' + calls + '\\n'))`
    const {stdout, stderr} = await promisify(execFile)(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(count)}`, join(root, 'bin/run.js'), 'exit', '75'],
      {cwd: root},
    )
    assert.match(stdout, /EX_TEMPFAIL/)
    assert.match(stderr, /^collations 0$/m)
  })

  it("orders every command id (ours and the plugins') as localeCompare does", () => {
    const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {oclif: {plugins: string[]}}
    const manifests = [root, ...pjson.oclif.plugins.map((plugin) => join(root, 'node_modules', plugin))].map(
      (dir) => JSON.parse(readFileSync(join(dir, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>},
    )
    const ids = manifests.flatMap((manifest) => Object.keys(manifest.commands))
    assert.ok(ids.includes('migration:check') && ids.includes('help') && ids.includes('autocomplete'), ids.join(' '))
    for (const id of ids) assert.match(id, /^[a-z][a-z:-]*$/)
    const byCodeUnits = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    assert.deepEqual(
      byCodeUnits,
      [...ids].sort((a, b) => a.localeCompare(b)),
    )
    // The ids in reverse, each with every other: the order is decided between any two of them.
    for (const a of ids) for (const b of ids) assert.equal(Math.sign(a.localeCompare(b)), a < b ? -1 : a > b ? 1 : 0, `${a} ${b}`)
  })
})

// What a plain run does not need, it does not load: re2js (the engine for user-written patterns and
// --tag-pattern, ~270 KB of source: src/catalog/safe-pattern.ts) and node:crypto and node:zlib (--state fingerprints, temp
// file names, gzip input; ~10-15 ms together). A run that needs them loads them and uses them.
describe('lazy loading of what only some runs need', () => {
  const holdsRe2js = (path: string): boolean => !path.startsWith('node:') && /\bclass RE2JS/.test(readFileSync(join(root, path), 'utf8'))

  it('dovediag logs on the sample loads no chunk holding re2js, and neither node:crypto nor node:zlib', async () => {
    const {stdout, loaded} = await runLoading(['logs', 'fixtures/sample.log'])
    assert.match(stdout, /Verdict/i)
    assert.ok(loaded.includes('dist/commands/logs.js'), loaded.join(' '))
    assert.deepEqual(loaded.filter(holdsRe2js), [])
    assert.deepEqual(
      loaded.filter((path) => path === 'node:crypto' || path === 'node:zlib'),
      [],
    )
  })

  // Node compiles these from source when first loaded (~10-15 M instructions each, callgrind): oclif's bundle
  // requires them when first used (scripts/bundle.mjs), discovery and a command's output import node:child_process
  // when they run a program, and wsl-utils (which imports it too) is imported only where is-wsl could say yes.
  it('dovediag exit 75 and logs on the sample load none of node:child_process, node:perf_hooks, node:readline, wsl-utils', async () => {
    for (const args of [
      ['exit', '75'],
      ['logs', 'fixtures/sample.log'],
      ['logs', '--json', 'fixtures/sample.log'],
    ]) {
      const {stdout, loaded} = await runLoading(args)
      assert.ok(stdout.length > 0, args.join(' '))
      assert.deepEqual(
        loaded.filter((path) => /^node:(child_process|perf_hooks|readline)$/.test(path) || /wsl-utils/.test(path)),
        [],
        args.join(' '),
      )
    }
  })

  // scripts/bundle.mjs bundles them into dist/vendor/, each alone, out of oclif's chunk that every run compiles.
  it("oclif's chunk holds none of ejs, minimatch, tinyglobby, lilconfig, cli-spinners: each loads from dist/vendor", async () => {
    const {loaded} = await runLoading(['exit', '75'])
    for (const path of loaded.filter((path) => !path.startsWith('node:')))
      assert.doesNotMatch(readFileSync(join(root, path), 'utf8'), /_DEFAULT_LOCALS_NAME|class Minimatch|function glob\(/, path)
    // Where the bundle's require() is made: its runtime chunk.
    const requireInChunks = createRequire(join(root, 'dist/chunks/runtime.js'))
    const vendored = (name: string) => requireInChunks(`../vendor/${name}.cjs`) as Record<string, unknown>
    assert.equal(typeof vendored('ejs').render, 'function')
    assert.equal(typeof vendored('minimatch').minimatch, 'function')
    assert.equal(typeof vendored('tinyglobby').glob, 'function')
    assert.equal(typeof vendored('lilconfig').lilconfig, 'function')
    assert.ok(Array.isArray((vendored('cli-spinners').dots2 as {frames: unknown}).frames))
  })

  it('what oclif requires when first used still works when used: help renders its templates', async () => {
    const {stdout} = await runLoading(['logs', '--help'])
    assert.match(stdout, /\$ dovediag logs \/var\/log\/dovecot\.log/)
    assert.doesNotMatch(stdout, /<%/)
  })

  it('dovediag logs --state on a gzipped log loads node:crypto and node:zlib, and reads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovediag-lazy-'))
    try {
      writeFileSync(join(dir, 'sample.log.gz'), gzipSync(readFileSync(join(root, 'fixtures/sample.log'))))
      const {stdout, loaded} = await runLoading(['logs', '--json', '--state', join(dir, 'state.json'), join(dir, 'sample.log.gz')])
      assert.ok(loaded.includes('node:crypto') && loaded.includes('node:zlib'), loaded.join(' '))
      assert.ok((JSON.parse(stdout) as {findings: unknown[]}).findings.length > 0)
      assert.ok(existsSync(join(dir, 'state.json')))
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('dovediag migration check reads API tags without re2js, and loads it for --tag-pattern', async () => {
    const responses = 'fixtures/migration/wave-http-responses.json'
    const plain = await runLoading(['migration', 'check', '--json', responses])
    assert.ok(plain.loaded.includes('dist/commands/migration/check.js'), plain.loaded.join(' '))
    assert.deepEqual(plain.loaded.filter(holdsRe2js), [])
    const given = await runLoading(['migration', 'check', '--json', '--tag-pattern', '^(?<user>.+?)(?:[#:](?<attempt>\\d+))?$', responses])
    assert.equal(given.loaded.filter(holdsRe2js).length, 1, given.loaded.join(' '))
    // Both read the users (a given pattern also lets tags that are no address onto the lists: not compared).
    for (const run of [plain, given]) assert.ok((JSON.parse(run.stdout) as {users: unknown[]}).users.length > 0)
  })

  it('dovediag logs --rules loads it, and the user rule matches', async () => {
    const {stdout, loaded} = await runLoading(['logs', '--json', '--rules', 'fixtures/rules/site-rules.yaml', 'fixtures/rules/site.log'])
    assert.equal(loaded.filter(holdsRe2js).length, 1, loaded.join(' '))
    const report = JSON.parse(stdout) as {findings: {rule: string}[]}
    assert.ok(
      report.findings.some((finding) => finding.rule === 'backup-lock'),
      stdout.slice(0, 500),
    )
  })
})

/**
 * Runs bin/run.js with a loader hook that names every file it loads: stdout, and those files relative to the
 * root. Node's own modules are named from process.moduleLoadList at exit (`node:zlib`): the bundle's CommonJS
 * code loads them with require(), which the hook never sees.
 */
async function runLoading(args: string[]): Promise<{stdout: string; loaded: string[]}> {
  const hook = `export async function load(url, context, next) { if (/^file:/.test(url)) process.stderr.write('loaded ' + url + '\\n'); return next(url, context) }`
  const builtins = `process.on('exit', () => writeSync(2, process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => 'loaded node:' + m.slice(13) + '\\n').join('')))`
  const register = `import {register} from 'node:module'; import {writeSync} from 'node:fs'; ${builtins}; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hook))})`
  const {stdout, stderr} = await promisify(execFile)(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(register)}`, join(root, 'bin/run.js'), ...args],
    {cwd: root},
  ).catch((error: {stdout: string; stderr: string}) => error)
  const loaded = stderr
    .split('\n')
    .filter((line) => line.startsWith('loaded '))
    .map((line) => (line.startsWith('loaded node:') ? line.slice(7) : relative(root, new URL(line.slice(7)).pathname)))
  return {stdout, loaded}
}
