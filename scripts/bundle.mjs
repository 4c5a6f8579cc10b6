#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles what the CLI loads (bin/run.js's start, each command, the
// command_not_found hook) with esbuild, code split, so a run reads a few files instead of ~200 modules.
import {build} from 'esbuild'
import {cpSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
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
  sourcemap: true,
  logLevel: 'warning',
})
cpSync(out, join(root, 'dist'), {recursive: true})
rmSync(out, {recursive: true, force: true})
