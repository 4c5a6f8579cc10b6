#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles what the CLI loads (bin/run.js's start, each command, the
// command_not_found hook) with esbuild, code split, so a run reads a few files instead of ~200 modules.
import {build} from 'esbuild'
import {cpSync, readFileSync, rmSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

// Two exact rewrites of @oclif/core's config/plugin.js; the build stops if either line is not there exactly once.
// - oclif sorts each plugin's commands by `a.id.localeCompare(b.id)` on every start. The first localeCompare of
//   a process makes V8 build ICU's collator and its list of available locales: ~90 M instructions, a tenth of
//   `dovediag exit 75` (valgrind --tool=callgrind), to order a few ids. Command ids are lower-case letters,
//   ':' and '-', which code units order as the collator does (test/cli/manifest.test.ts checks every real id),
//   so the bundle compares code units.
// - plugin.js requires tinyglobby (with fdir and picomatch, ~60 KB) when it loads, to find commands when a
//   plugin has no manifest, which ours and the plugins' always have: the bundle requires it when first used.
//   `exit 75` ~10 M instructions less.
const PLUGIN_JS_REWRITES = [
  ['.sort((a, b) => a.id.localeCompare(b.id))', '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'],
  ['const tinyglobby_1 = require("tinyglobby");', 'const tinyglobby_1 = {get glob() { return require("tinyglobby").glob }};'],
]
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

/** The files rewritten, by the name the check after the build expects. */
const REWRITTEN = new Set()
/** `source` with each `from` replaced by its `to`; the build stops unless each `from` is there exactly once. */
function rewritten(path, source, rewrites) {
  REWRITTEN.add(basename(path))
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
    build.onLoad({filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/}, ({path}) => ({
      contents: rewritten(path, readFileSync(path, 'utf8'), PLUGIN_JS_REWRITES),
      loader: 'js',
    }))
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
  plugins: [exactRewrites],
  // Whitespace and comments out: V8 scans every byte of a loaded chunk before running it. logs on the sample
  // 1 209 M -> 1 183 M instructions (callgrind); minifySyntax as well gained nothing more. Names stay,
  // and the source maps point into the readable sources.
  minifyWhitespace: true,
  sourcemap: true,
  logLevel: 'warning',
})
// A package that moved or renamed a rewritten file would otherwise be bundled unrewritten without a word.
for (const name of ['plugin.js', ...Object.keys(CLI_TABLE_REWRITES)])
  if (!REWRITTEN.has(name)) throw new Error(`scripts/bundle.mjs: ${name} was never loaded, so its rewrites were not applied`)
cpSync(out, join(root, 'dist'), {recursive: true})
rmSync(out, {recursive: true, force: true})
