import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {createReadStream, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

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

  // From a pipe, Node reads many chunks in one turn of the event loop: the rows of several of them were read
  // between two looks of the 10 ms watch, and the young generation went from 4 to 16 MB (in some runs). The
  // rows read check it too: with the run's intervals never firing (the watch never looks), it still holds.
  it('stays at 8 MB when the watch cannot look between rows, and through stdin', {timeout: 120_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovediag-young-'))
    try {
      const wave = join(dir, 'wave.csv')
      writeFileSync(wave, waveRows(40_000))
      const unwatched = await largestYoungGeneration(wave, false, {intervalsNeverFire: true})
      assert.ok(unwatched <= CAP, `the watch never looking: ${unwatched}`)
      const piped = await largestYoungGeneration(wave, false, {viaStdin: true})
      assert.ok(piped <= CAP, `through stdin: ${piped}`)
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
 * Runs `migration check --json FILE` (or `-`, FILE piped to stdin) and returns the largest young generation
 * (new_space) seen every 2 ms; with `uncapped`, the run's `--semi-space-growth-factor=1` is not passed on to V8;
 * with `intervalsNeverFire`, no setInterval of the run ever calls back.
 */
async function largestYoungGeneration(
  file: string,
  uncapped: boolean,
  {viaStdin = false, intervalsNeverFire = false} = {},
): Promise<number> {
  const preload = `import {syncBuiltinESMExports} from 'node:module'; import {writeSync} from 'node:fs'; import v8 from 'node:v8'; const original = v8.setFlagsFromString; v8.setFlagsFromString = (flags) => ${uncapped ? "flags === '--semi-space-growth-factor=1' ? undefined : " : ''}original(flags); syncBuiltinESMExports(); let largest = 0; const young = () => { largest = Math.max(largest, v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size) }; setInterval(young, 2).unref(); ${intervalsNeverFire ? 'globalThis.setInterval = () => ({unref() {}, ref() {}});' : ''} process.on('exit', () => { young(); writeSync(2, 'young ' + largest + '\\n') })`
  const child = spawn(
    process.execPath,
    [
      '--import',
      `data:text/javascript,${encodeURIComponent(preload)}`,
      join(root, 'bin/run.js'),
      'migration',
      'check',
      '--json',
      viaStdin ? '-' : file,
    ],
    {cwd: root, stdio: [viaStdin ? 'pipe' : 'ignore', 'ignore', 'pipe']},
  )
  if (viaStdin) createReadStream(file).pipe(child.stdin!)
  let stderr = ''
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()))
  await once(child, 'close')
  const line = stderr.split('\n').find((each) => each.startsWith('young '))
  assert.ok(line, stderr)
  return Number(line.slice('young '.length))
}
