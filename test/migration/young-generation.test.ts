import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {promisify} from 'node:util'

import {root} from '../helpers/run.js'

// src/ingest/engine-tuning.ts: migration check holds V8's young generation at 8 MB (both semi-spaces), where V8
// would let it grow to 32 MB as a wave's users pile up: the 100 000-row CSV took ~25 % less CPU and ~30 MB less
// memory (docs/performance.md). Watched from a preload: the largest young generation the run had.
const CAP = 8 * 1024 * 1024

describe('migration check: the young generation', () => {
  it('stays at 8 MB on a wave that grows it past that without the cap', {timeout: 120_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovediag-young-'))
    try {
      const wave = join(dir, 'wave.csv')
      writeFileSync(wave, waveRows(12_000))
      const capped = await largestYoungGeneration(wave, false)
      // The control: the same run with the cap's setting dropped grows past it, so the input is big enough.
      const uncapped = await largestYoungGeneration(wave, true)
      assert.ok(uncapped > CAP, `uncapped: ${uncapped}`)
      assert.ok(capped <= CAP, `capped: ${capped}`)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

/** A CSV export of `rows` users, each with one attempt and a captured stderr line naming them. */
function waveRows(rows: number): string {
  const lines = ['user,exit_code,attempt,started,finished,host,stderr']
  for (let index = 0; index < rows; index++) {
    const user = `user${index}@example.com`
    const stderr = `dsync-local(${user})<Jk3Xq${index}Zt>: Error: dsync(old-imap.example.com): I/O has stalled, no activity for 600 seconds`
    lines.push(`${user},${index % 3 === 0 ? 75 : 0},1,2026-11-23T01:00:00Z,2026-11-23T01:00:22.507Z,mig-0${index % 4},"${stderr}"`)
  }
  return `${lines.join('\n')}\n`
}

/**
 * Runs `migration check --json FILE` and returns the largest young generation (new_space) seen every 2 ms; with
 * `uncapped`, the run's `--semi-space-growth-factor=1` is not passed on to V8.
 */
async function largestYoungGeneration(file: string, uncapped: boolean): Promise<number> {
  const preload = `import {syncBuiltinESMExports} from 'node:module'; import {writeSync} from 'node:fs'; import v8 from 'node:v8'; const original = v8.setFlagsFromString; v8.setFlagsFromString = (flags) => ${uncapped ? "flags === '--semi-space-growth-factor=1' ? undefined : " : ''}original(flags); syncBuiltinESMExports(); let largest = 0; const young = () => { largest = Math.max(largest, v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size) }; setInterval(young, 2).unref(); process.on('exit', () => { young(); writeSync(2, 'young ' + largest + '\\n') })`
  const {stderr} = await promisify(execFile)(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(preload)}`, join(root, 'bin/run.js'), 'migration', 'check', '--json', file],
    {cwd: root, maxBuffer: 64 * 1024 * 1024},
  ).catch((error: {stdout: string; stderr: string}) => error)
  const line = stderr.split('\n').find((each) => each.startsWith('young '))
  assert.ok(line, stderr)
  return Number(line.slice('young '.length))
}
