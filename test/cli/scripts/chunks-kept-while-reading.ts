// Run by interrupt.test.ts in a process of its own (the test runner's async bookkeeping keeps promises, and
// so chunks, alive): reads 40 chunks through wholeLinesUntilAborted and prints how many of the first 25
// were still reachable after a full GC while reading went on.
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

import {wholeLinesUntilAborted} from '../../../src/input/abortable.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const alive: WeakRef<Buffer>[] = []
async function* source(): AsyncGenerator<Buffer> {
  for (let i = 0; i < 40; i++) {
    const chunk = Buffer.alloc(256 * 1024, 'a\n')
    alive.push(new WeakRef(chunk))
    yield chunk
  }
}

let pieces = 0
for await (const piece of wholeLinesUntilAborted(source(), new AbortController().signal)) {
  if (piece.length > 0 && ++pieces === 30) {
    await new Promise((resolve) => setTimeout(resolve, 0))
    gc()
    process.stdout.write(`${alive.slice(0, 25).filter((ref) => ref.deref() !== undefined).length}\n`)
  }
}
