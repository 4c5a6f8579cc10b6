import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {promisify} from 'node:util'
import {gzipSync} from 'node:zlib'

import {root} from '../helpers/run.js'

// src/start-up-tiering.ts: V8 optimizes late while a run is young (a short run's functions optimized by TurboFan
// hardly ran again: `logs fixtures/sample.log` ~8% of its instructions), and as usual for a log of 256 KB or more
// (known by its size, or once read) and for a migration check, where the late budget costs more than it saves. Only on V8 11 (Node 20),
// whose default budget is known.
const ON_V8_11 = process.versions.v8.startsWith('11.')
const LATE = '--interrupt-budget=400000'
const USUAL = '--interrupt-budget=67584'

describe('when V8 optimizes', () => {
  it('late for exit and a small log, as usual for a long log (by its size, or by the bytes read) and for migration check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovediag-tiering-'))
    try {
      const sample = readFileSync(join(root, 'fixtures/sample.log'))
      const big = join(dir, 'big.log')
      const bytes = Buffer.concat(Array.from({length: Math.ceil(1_100_000 / sample.length)}, () => sample))
      writeFileSync(big, bytes)
      // Gzipped, its size says little (~2%): the bytes read say it is long.
      const gzipped = join(dir, 'big.log.gz')
      writeFileSync(gzipped, gzipSync(bytes))
      const exit = await flagsSet(['exit', '75'])
      const small = await flagsSet(['logs', 'fixtures/sample.log'])
      const long = await flagsSet(['logs', '--json', big])
      const longGzipped = await flagsSet(['logs', '--json', gzipped])
      const migration = await flagsSet(['migration', 'check', '--json', 'fixtures/migration/wave.csv'])
      // --state: a second run finds nothing new in the long log, so its reading is short.
      const state = join(dir, 'state.json')
      const stateFirst = await flagsSet(['logs', '--json', '--state', state, big])
      const stateAgain = await flagsSet(['logs', '--json', '--state', state, big])
      if (!ON_V8_11) {
        for (const flags of [exit, small, long, longGzipped, migration, stateFirst, stateAgain])
          assert.deepEqual(
            flags.filter((flag) => flag.startsWith('--interrupt-budget')),
            [],
          )
        return
      }
      assert.deepEqual(budgets(exit), [LATE])
      assert.deepEqual(budgets(small), [LATE])
      assert.deepEqual(budgets(long), [LATE, USUAL])
      assert.deepEqual(budgets(longGzipped), [LATE, USUAL])
      assert.deepEqual(budgets(migration), [LATE, USUAL])
      assert.deepEqual(budgets(stateFirst), [LATE, USUAL])
      assert.deepEqual(budgets(stateAgain), [LATE])
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('the reading engine settings', () => {
  it('are set for logs --records over several inputs (merged in time order) as for one input', async () => {
    const reading = (flags: string[]): string[] => flags.filter((flag) => !flag.startsWith('--interrupt-budget'))
    const one = await flagsSet(['logs', '--records', '--json', 'fixtures/sample.log'])
    const two = await flagsSet(['logs', '--records', '--json', 'fixtures/sample.log', 'fixtures/logs/dovecot-2.4.log'])
    assert.ok(one.includes('--no-turbo-loop-peeling'), one.join(' '))
    assert.deepEqual(reading(two), reading(one))
  })
})

const budgets = (flags: string[]): string[] => flags.filter((flag) => flag.startsWith('--interrupt-budget'))

/**
 * Runs bin/run.js with `args` and returns the V8 flags the run set, in order: a preload wraps node:v8's
 * setFlagsFromString (syncBuiltinESMExports gives the wrapper to named imports too) and lists them at exit.
 */
async function flagsSet(args: string[]): Promise<string[]> {
  const preload = `import {syncBuiltinESMExports} from 'node:module'; import {writeSync} from 'node:fs'; import v8 from 'node:v8'; const original = v8.setFlagsFromString; const set = []; v8.setFlagsFromString = (flags) => { set.push(flags); return original(flags) }; syncBuiltinESMExports(); process.on('exit', () => writeSync(2, set.map((flags) => 'v8 flags ' + flags + '\\n').join('')))`
  const {stderr} = await promisify(execFile)(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(preload)}`, join(root, 'bin/run.js'), ...args],
    {cwd: root, maxBuffer: 64 * 1024 * 1024},
  ).catch((error: {stdout: string; stderr: string}) => error)
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('v8 flags '))
    .map((line) => line.slice('v8 flags '.length))
}
