#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles what the CLI loads (bin/run.js's start, each command, the
// command_not_found hook) with esbuild, code split, so a run reads a few files instead of ~200 modules.
import {build} from 'esbuild'
import {cpSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {createRequire} from 'node:module'
import {basename, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

// Exact rewrites of @oclif/core's lib/ files; the build stops if a line is not there exactly once.
// - oclif sorts each plugin's commands by `a.id.localeCompare(b.id)` on every start. The first localeCompare of
//   a process makes V8 build ICU's collator and its list of available locales: ~90 M instructions, a tenth of
//   `dovediag exit 75` (valgrind --tool=callgrind), to order a few ids. Command ids are lower-case letters,
//   ':' and '-', which code units order as the collator does (test/cli/manifest.test.ts checks every real id),
//   so the bundle compares code units.
// - plugin.js requires tinyglobby (with fdir and picomatch, ~60 KB) when it loads, to find commands when a
//   plugin has no manifest, which ours and the plugins' always have: the bundle requires it when first used.
//   `exit 75` ~10 M instructions less.
// - Likewise required when first used, since a run of ours never uses them: ejs (config.js and help/util.js:
//   rendering a help or an example template), cli-spinners (ux/action/spinner.js: a spinner's frames),
//   minimatch (config/plugin-loader.js: plugins named by pattern) and lilconfig (util/read-pjson.js: an oclif
//   rc file, looked for only when package.json has no oclif section). Each was evaluated on every start:
//   ~180 KB of modules compiled and run. `exit 75` 343 -> 335 M instructions, `logs` on the sample -5 M
//   (callgrind, no NODE_EXTRA_CA_CERTS).
const lazyDefault = (name, pkg) => [
  `const ${name} = __importDefault(require("${pkg}"));`,
  `const ${name} = {get default() { return __importDefault(require("${pkg}")).default }};`,
]
const lazyNamed = (name, pkg, exported) => [
  `const ${name} = require("${pkg}");`,
  `const ${name} = {get ${exported}() { return require("${pkg}").${exported} }};`,
]
const OCLIF_REWRITES = {
  'config/plugin.js': [
    ['.sort((a, b) => a.id.localeCompare(b.id))', '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'],
    lazyNamed('tinyglobby_1', 'tinyglobby', 'glob'),
  ],
  'config/config.js': [lazyDefault('ejs_1', 'ejs')],
  'help/util.js': [lazyDefault('ejs_1', 'ejs')],
  'ux/action/spinner.js': [lazyDefault('cli_spinners_1', 'cli-spinners')],
  'config/plugin-loader.js': [lazyNamed('minimatch_1', 'minimatch', 'minimatch')],
  'util/read-pjson.js': [lazyNamed('lilconfig_1', 'lilconfig', 'lilconfig')],
  // Node's own modules, which Node 20 compiles from source when first required: perf_hooks (performance.js:
  // markers, made only with OCLIF_PERFORMANCE or DEBUG set) and readline (parser/parse.js: an argument read
  // from piped stdin). `exit 75` 335 -> 326 M, `logs` on the sample -11 M.
  'performance.js': [
    [
      'const node_perf_hooks_1 = require("node:perf_hooks");',
      'const node_perf_hooks_1 = {get performance() { return require("node:perf_hooks").performance }, get PerformanceObserver() { return require("node:perf_hooks").PerformanceObserver }};',
    ],
  ],
  'parser/parse.js': [lazyNamed('node_readline_1', 'node:readline', 'createInterface')],
  // node:child_process (util/os.js: finding a Windows shell) is required when first used too.
  // config.platform is 'wsl' when is-wsl says so; importing wsl-utils for that (with is-wsl, powershell-utils and
  // node:child_process) cost `exit 75` ~11 M instructions and `logs` ~14 M on every start. is-wsl answers true only on Linux and
  // only when os.release() or /proc/version names Microsoft or a WSL path exists: when none of that holds, the
  // answer is false without it. Otherwise wsl-utils decides as before.
  'util/os.js': [
    lazyNamed('node_child_process_1', 'node:child_process', 'execSync'),
    [
      "    return (await import('wsl-utils')).isWsl ? 'wsl' : (0, node_os_1.platform)();",
      "    return mayBeWsl() && (await import('wsl-utils')).isWsl ? 'wsl' : (0, node_os_1.platform)();",
    ],
    [
      'async function getShell() {',
      `function mayBeWsl() {
    if ((0, node_os_1.platform)() !== 'linux') return false;
    const fs = require('node:fs');
    if ((0, node_os_1.release)().toLowerCase().includes('microsoft')) return true;
    try {
        if (fs.readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')) return true;
    } catch {}
    return fs.existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || fs.existsSync('/run/WSL');
}
async function getShell() {`,
    ],
  ],
}
const OCLIF_LIB = /[\\/]@oclif[\\/]core[\\/]lib[\\/](.+)$/
// The packages oclif now requires when first used are bundled each on its own into dist/vendor/ (CommonJS), the
// copy @oclif/core itself resolves, and no longer into oclif's chunk, which every run compiles: V8 scans every
// byte of a chunk it loads, and these were ~160 KB of its 368 KB. `exit 75` 310 -> 286-292 M instructions, `logs`
// on the sample 557 -> 535 M. The bundle's require() is made in its runtime chunk (dist/chunks/), hence the path.
const VENDORED = ['ejs', 'cli-spinners', 'minimatch', 'lilconfig', 'tinyglobby']
const oclifCore = dirname(dirname(createRequire(import.meta.url).resolve('@oclif/core')))
const vendoredFromOclif = {
  name: 'vendored-from-oclif',
  setup(build) {
    build.onResolve({filter: new RegExp(`^(${VENDORED.join('|')})$`)}, ({path, importer}) =>
      OCLIF_LIB.test(importer) ? {path: `../vendor/${path}.cjs`, external: true} : undefined,
    )
  },
}
// Two exact rewrites of cli-table3 (0.6.5), which lays out `migration check`'s text report (1 000 rows of up to 9
// lines on 100 000 users: 7.4 s of a 8.9 s run went to measuring widths). Same checks as above.
// - cell.js cuts a cell's whole content to 10 columns each time it draws one of its lines, only for a debug
//   message (`info`, shown with the `debug` option, which we never set). On a cell of several lines the cut
//   goes one character at a time, each measuring every line: ~12 000 width calls a row. The message gets the
//   content uncut.
// - utils.js measures with string-width (~1 µs a call, mostly ansi-regex building its pattern each call): it
//   gets src/render/text-width.ts's asciiFastWidth, exact and ~30× faster on printable ASCII.
const TEXT_WIDTH = join(root, 'dist', 'render', 'text-width.js')
const CLI_TABLE_REWRITES = {
  'cell.js': [['let content = utils.truncate(this.content, 10, this.truncate);', 'let content = this.content;']],
  'utils.js': [
    [
      "const stringWidth = require('string-width');",
      `const stringWidth = require(${JSON.stringify(TEXT_WIDTH)}).asciiFastWidth(require('string-width'));`,
    ],
  ],
}

/** The files rewritten, by the name the check after the build expects (oclif's by their path under lib/). */
const REWRITTEN = new Set()
/** `source` with each `from` replaced by its `to`; the build stops unless each `from` is there exactly once. */
function rewritten(path, source, rewrites, name = basename(path)) {
  REWRITTEN.add(name)
  for (const [from, to] of rewrites) {
    const parts = source.split(from)
    if (parts.length !== 2) throw new Error(`${path}: expected \`${from}\` once, found ${parts.length - 1}`)
    source = parts.join(to)
  }
  return source
}
const exactRewrites = {
  name: 'exact-rewrites',
  setup(build) {
    const oclifFiles = Object.keys(OCLIF_REWRITES).map((file) => file.replaceAll('.', '\\.').replaceAll('/', '[\\\\/]'))
    build.onLoad({filter: new RegExp(`[\\\\/]@oclif[\\\\/]core[\\\\/]lib[\\\\/](${oclifFiles.join('|')})$`)}, ({path}) => {
      const file = OCLIF_LIB.exec(path)[1].replaceAll('\\', '/')
      return {contents: rewritten(path, readFileSync(path, 'utf8'), OCLIF_REWRITES[file], file), loader: 'js'}
    })
    build.onLoad({filter: /[\\/]cli-table3[\\/]src[\\/](cell|utils)\.js$/}, ({path}) => ({
      contents: rewritten(path, readFileSync(path, 'utf8'), CLI_TABLE_REWRITES[basename(path)]),
      loader: 'js',
    }))
  },
}
const out = join(root, 'dist.bundle')
rmSync(out, {recursive: true, force: true})
await build({
  absWorkingDir: root,
  entryPoints: ['dist/commands/**/*.js', 'dist/cli/command-not-found.js', 'dist/cli/execute.js'],
  outbase: 'dist',
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: [
    // What oclif loads only to run TypeScript sources (bin/dev.js): never part of a built run.
    'typescript',
    'ts-node',
    'tsx',
    // Packages our code imports on demand (`await import`): they stay in node_modules, loaded as Node
    // loads them. Bundled, a dynamic import of a CommonJS package gives only its default export (esbuild's
    // rule), where Node also gives the named ones the code takes (yaml's parse, ajv's Ajv).
    'ajv',
    'fast-glob',
    'yaml',
  ],
  banner: {js: "import {createRequire as __bundleRequire} from 'node:module';const require = __bundleRequire(import.meta.url);"},
  plugins: [exactRewrites, vendoredFromOclif],
  // Whitespace and comments out: V8 scans every byte of a loaded chunk before running it. logs on the sample
  // 1 209 M -> 1 183 M instructions (callgrind); minifySyntax as well gained nothing more. Names stay,
  // and the source maps point into the readable sources.
  minifyWhitespace: true,
  sourcemap: true,
  logLevel: 'warning',
})
// A package that moved or renamed a rewritten file would otherwise be bundled unrewritten without a word.
for (const name of [...Object.keys(OCLIF_REWRITES), ...Object.keys(CLI_TABLE_REWRITES)])
  if (!REWRITTEN.has(name)) throw new Error(`scripts/bundle.mjs: ${name} was never loaded, so its rewrites were not applied`)
// The vendored packages' relative path holds only where the bundle's require() is made: in dist/chunks/.
const runtimeChunks = readdirSync(out, {recursive: true}).filter(
  (file) => /\.js$/.test(file) && /\bvar __require=/.test(readFileSync(join(out, file), 'utf8')),
)
if (runtimeChunks.length !== 1 || dirname(runtimeChunks[0]) !== 'chunks')
  throw new Error(`scripts/bundle.mjs: esbuild's __require is in ${runtimeChunks.join(', ') || 'no file'}, not in one file of chunks/`)
const requireOf = createRequire(join(oclifCore, 'package.json'))
await build({
  entryPoints: Object.fromEntries(VENDORED.map((name) => [name, requireOf.resolve(name)])),
  outdir: join(out, 'vendor'),
  outExtension: {'.js': '.cjs'},
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  sourcemap: true,
  logLevel: 'warning',
})
cpSync(out, join(root, 'dist'), {recursive: true})
rmSync(out, {recursive: true, force: true})
