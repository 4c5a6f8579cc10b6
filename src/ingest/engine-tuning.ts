import {getHeapSpaceStatistics, setFlagsFromString} from 'node:v8'

import {optimizeAsUsual} from '../start-up-tiering.js'

/**
 * V8 settings for a process that reads logs, set once when reading starts (readLogs). Only flags that V8
 * reads again at run time can be set this way; a `node --flag` in bin/run.js's shebang would need `env -S`,
 * which busybox's env (Alpine images) does not have.
 */
export function tuneEngineForReading(): void {
  if (tuned) return
  tuned = true
  capInlining()
  compileLoopsPlainly()
  capYoungGeneration()
}

let tuned = false

/**
 * V8 settings for `migration check`: the inlining cap (session 7 measured it −3% of CPU on the 100 000-row
 * CSV, interleaved, 8 and 6 rounds, where session 5 had seen no gain), and allocation-site pretenuring back
 * on. bin/run.js turns pretenuring off for the whole process because a log's records die young; here the
 * per-user state and the verdicts live until the report is written, and pretenured they are made in the old
 * generation instead of being copied twice by the scavenges (docs/performance.md). The young generation is
 * held at 8 MB (MIGRATION_YOUNG_GENERATION_CAP).
 */
export function tuneEngineForMigration(): void {
  optimizeAsUsual()
  capInlining()
  setFlagsFromString('--allocation-site-pretenuring')
  // Checked often: from 1 MB the young generation reaches 8 MB within the first rows, and 16 MB soon after.
  capYoungGeneration(MIGRATION_YOUNG_GENERATION_CAP, 10)
}

/**
 * The young generation of `migration check` (both semi-spaces). What outlives a collection there is the state
 * each user keeps (names, captures), which the old generation holds anyway, and the rows die young whatever its
 * size; at V8's 32 MB a wave's allocation runs through memory the caches no longer hold. Held at 8 MB, the
 * 100 000-row CSV took 1.54 against 2.08 s of CPU (median of 5 interleaved runs, load 3-4) and peaked at 114
 * against 143 MB; at 500 000 rows the same CPU and 304 against 332 MB (docs/performance.md, session 12).
 */
const MIGRATION_YOUNG_GENERATION_CAP = 8_000_000

/**
 * Every run reads cold: the reading's functions are optimized as it goes, on V8's background threads. With
 * V8's default inlining budget, TurboFan inlines the parser and the matcher into a few huge functions and
 * compiles them again as their feedback changes: about half a second of CPU per run. With a budget of 200
 * bytecodes, runs on the 30 MB real-mix log took 10-20% less CPU and the warm reading no more (issue #16,
 * docs/performance.md). TurboFan reads it at each compile, so setting it before the reading is early enough.
 */
function capInlining(): void {
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=200')
}

/**
 * No loop peeling: TurboFan copies the first turn of every loop it compiles, so that checks done there need not be
 * done again in the others. A run's hot functions are compiled again and again while their feedback settles, and
 * the copies made those compiles larger: without them, `logs --json` on the first 5 and 20 MB of the real-mix log
 * took 3.5% and 2.7% fewer instructions in all (issue #16, docs/performance.md, session 11), the compiles being
 * most of a short run's reading. Read at each compile, like the inlining budget.
 */
function compileLoopsPlainly(): void {
  setFlagsFromString('--no-turbo-loop-peeling')
}

/** The young generation's size (both semi-spaces, in bytes) at which it stops growing while logs are read. */
const YOUNG_GENERATION_CAP = 16_000_000

/**
 * Peak memory must stay flat however long the log (issue #16). What grew with the log was V8's young
 * generation: it doubles each time the bytes that survived its collections since the last growth exceed its
 * size, so a long enough run always reaches the maximum, 2 × 16 MiB (on the 1 GB real-mix log: a 34 MB young
 * generation and 111 MB peak RSS, against 17 MB on the 100 MB log). Reading keeps little alive across a
 * collection (a chunk's records), so the larger young generation bought no speed: held at 16 MB, the 1 GB log
 * took the same CPU and peaked at 99 MB. V8 has no run-time cap (`--max-semi-space-size` is read only when
 * the heap is made), but it reads its growth factor at each growth: once the young generation has reached
 * the cap, a factor of 1 keeps it there.
 */
function capYoungGeneration(cap = YOUNG_GENERATION_CAP, every = 100): void {
  youngGenerationCap = cap
  const timer = setInterval(() => {
    if (holdYoungGenerationAtCap()) clearInterval(timer)
  }, every)
  // The watch never keeps the process alive.
  timer.unref()
}

let youngGenerationCap = YOUNG_GENERATION_CAP
let youngGenerationHeld = false

/**
 * Holds the young generation where it is once it has reached the cap; true once held. Besides the watch, for a
 * reader that runs long between two turns of the event loop: from a pipe, Node reads up to 32 chunks in one
 * turn, and `migration check -` fed by `cat` went from 4 to 16 MB between two looks of its 10 ms watch in
 * about half the runs (100 000 rows: 11 MB more peak RSS and ~4% more CPU than at 8 MB, 4 interleaved runs).
 */
export function holdYoungGenerationAtCap(): boolean {
  if (youngGenerationHeld) return true
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')
  if (young === undefined || young.space_size < youngGenerationCap) return false
  setFlagsFromString('--semi-space-growth-factor=1')
  youngGenerationHeld = true
  return true
}
