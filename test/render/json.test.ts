import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {writeJson} from '../../src/render/json.js'

function written(value: unknown): string[] {
  const pieces: string[] = []
  writeJson(value, (text) => pieces.push(text))
  return pieces
}

describe('JSON output in pieces', () => {
  it('writes exactly what JSON.stringify(value, null, 2) gives, and a newline', () => {
    const sparse: number[] = []
    sparse[300] = 1
    const values: unknown[] = [
      null,
      'text',
      [1, [2]],
      {},
      {a: undefined},
      {a: undefined, b: [], c: {d: [1, 2]}},
      {
        users: Array.from({length: 1000}, (_, index) => ({
          user: `u${index}`,
          reason: 'a\n"quoted"\u2028',
          nested: [index, {x: null}],
          gone: undefined,
        })),
      },
      {items: Array.from({length: 600}, (_, index) => (index % 3 ? index : undefined)), fn: () => 1},
      {holes: sparse, when: new Date(0), dates: Array.from({length: 300}, () => new Date(5))},
      {own: {toJSON: () => 'custom'}, list: Array.from({length: 257}, () => ({}))},
      {toJSON: () => ({replaced: true})},
    ]
    for (const value of values) assert.equal(written(value).join(''), `${JSON.stringify(value, null, 2)}\n`)
  })

  it('never builds the whole document of a large report as one string', () => {
    const report = {
      status: 1,
      users: Array.from({length: 40_000}, (_, index) => ({user: `user${index}@example.com`, action: 'retry', attempts: 2})),
    }
    const pieces = written(report)
    const whole = pieces.join('')
    assert.equal(whole, `${JSON.stringify(report, null, 2)}\n`)
    assert.ok(Math.max(...pieces.map((piece) => piece.length)) < whole.length / 20, 'pieces are small beside the document')
  })
})
