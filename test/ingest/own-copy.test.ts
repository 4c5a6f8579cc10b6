import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

import fc from 'fast-check'

import {ownCopy} from '../../src/ingest/own-copy.js'

describe('ownCopy: a kept text that keeps nothing else alive', () => {
  it('is the same text, for any text and any slice of a longer one', () => {
    fc.assert(
      fc.property(fc.string({unit: 'binary', maxLength: 300}), fc.nat(40), fc.nat(40), (text, before, after) => {
        assert.equal(ownCopy(text), text)
        // What the readers keep: slices of a chunk (views from 13 characters on), and texts built on them.
        const chunk = `${'x'.repeat(before)}${text}${'y'.repeat(after)}`
        const slice = chunk.slice(before, before + text.length)
        assert.equal(ownCopy(slice), text)
        assert.equal(ownCopy(`${slice}; row skipped`), `${text}; row skipped`)
      }),
      {numRuns: 2000},
    )
  })

  it('keeps nothing of the longer text it was cut from alive', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    gc()
    const before = process.memoryUsage().heapUsed
    // 200 characters of each of 32 texts of 1 MB (chunks of input): kept as slices, the 32 MB would stay.
    const kept = Array.from({length: 32}, (_, index) => ownCopy(`${index} `.padEnd(1 << 20, 'x').slice(100, 300)))
    gc()
    const retained = process.memoryUsage().heapUsed - before
    assert.equal(kept.length, 32)
    assert.ok(retained < 8 << 20, `${(retained / 1048576).toFixed(1)} MB retained`)
  })

  it('keeps lone surrogates and split pairs as they are', () => {
    for (const text of ['\uD83D', '\uDE00abcdefghijklmnop', '😀😀😀😀😀😀😀', `a${'é'.repeat(20)}\u2028`]) assert.equal(ownCopy(text), text)
  })
})
