import {setFlagsFromString} from 'node:v8'

/**
 * When V8 optimizes: later while a run is young, as usual once it reads much.
 *
 * V8 counts the bytecode a function runs against its interrupt budget; every budget spent is a tick, and a
 * function with enough ticks is compiled by TurboFan. In a short run that is waste: what start-up runs once
 * (oclif's path work, building the literal search's tables) and the reading of a small log (the stamp reader,
 * the literal search) were optimized and then hardly ran again. With a budget six times V8's default until the
 * run reads LONG_RUN_BYTES, `logs fixtures/sample.log` runs ~8% fewer instructions (726 → 668 M, `node
 * --single-threaded`, no NODE_EXTRA_CA_CERTS) and `exit 75` ~2% fewer. A long reading begun late costs more
 * than the start saved (real-mix 20 MB: 2 984 M as usual, 3 040 M late for its first 500 KB, 3 105 M for its
 * first 1 MB, 2 964 M late until its reading starts), so an input known to be long gives the default back
 * before it is read, and any run as soon as it has read that much (docs/performance.md). Flags only change
 * when functions are optimized, never what they compute.
 */
export function optimizeLateAtStartUp(): void {
  if (!KNOWN_DEFAULT) return
  setFlagsFromString(`--interrupt-budget=${START_UP_BUDGET}`)
  late = true
}

/** The run is about to read an input of `size` bytes (null: not known): a long one is read with V8's usual budget. */
export function noteInputSize(size: number | null): void {
  if (late && size !== null && read + size >= LONG_RUN_BYTES) optimizeAsUsual()
}

/** The run has read `bytes` more of its inputs: past LONG_RUN_BYTES in all, V8 optimizes as usual. */
export function noteBytesRead(bytes: number): void {
  if (!late) return
  read += bytes
  if (read >= LONG_RUN_BYTES) optimizeAsUsual()
}

/** V8 optimizes as usual from now on (a run that will read much, such as `migration check`). */
export function optimizeAsUsual(): void {
  if (!late) return
  late = false
  setFlagsFromString(`--interrupt-budget=${DEFAULT_BUDGET}`)
}

let late = false
let read = 0

/** V8's default interrupt budget (66 KiB of bytecode), as measured: V8 11, Node 20. Other engines are left as they are. */
const DEFAULT_BUDGET = 67_584
const KNOWN_DEFAULT = process.versions.v8.startsWith('11.')

/** Six times the default: 4 and 15 times measured the same on the sample (671, 669 M), 3 times 678 M. */
const START_UP_BUDGET = 400_000

/** Late for the whole run, real-mix 300 KB took 15% fewer instructions, 1 MB 13% fewer, 4 MB 5% more. */
const LONG_RUN_BYTES = 256_000
