/**
 * `npm test` runs the suite as a few shards (test/shards/shard-N.ts), each one process importing its share of
 * the test files, instead of one process per file: every process pays ~0.5 s of CPU to load tsx, and the
 * suite has over fifty files. node:test runs the shards side by side (--test-concurrency) and the describe
 * blocks of one shard one after another, so a file's before/after hooks still see only their own tests.
 * A single file still runs alone as usual: `node --import tsx --import ./test/setup.ts --test test/x/y.test.ts`.
 */
import {readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {shardLoading} from '../helpers/shard-loading.js'

const here = dirname(fileURLToPath(import.meta.url))
const testRoot = join(here, '..')

/** As many shards as there are shard-N.ts files beside this one, so that no share of the files is left out. */
const SHARDS = readdirSync(here).filter((name) => /^shard-\d+\.ts$/.test(name)).length

/** Every test file of the default suite (test/release/ has its own script), sorted, as paths under test/. */
function suiteFiles(): string[] {
  return readdirSync(testRoot, {recursive: true, encoding: 'utf8'})
    .filter((path) => path.endsWith('.test.ts') && !path.startsWith(`release/`))
    .sort()
}

/** Imports the files of shard `index` (round robin over the sorted list): their describe blocks register and run. */
export async function importShard(index: number): Promise<void> {
  const imported = (async () => {
    for (const [position, path] of suiteFiles().entries()) {
      if (position % SHARDS === index) await import(pathToFileURL(join(testRoot, path)).href)
    }
  })()
  shardLoading(imported)
  await imported
}
