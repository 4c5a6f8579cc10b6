import assert from 'node:assert/strict'
import {createRequire} from 'node:module'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {asciiFastWidth} from '../../src/render/text-width.js'

// The very string-width cli-table3 measures with (scripts/bundle.mjs hands it asciiFastWidth of this one).
const fromTable = createRequire(createRequire(import.meta.url).resolve('cli-table3'))
const stringWidth = fromTable('string-width') as (text: string) => number

describe('the width cli-table3 measures cells with (asciiFastWidth)', () => {
  let slowCalls = 0
  const width = asciiFastWidth((text) => {
    slowCalls++
    return stringWidth(text)
  })

  it('agrees with string-width on ASCII, escapes, controls, wide, combining and emoji text', () => {
    const pieces = fc.oneof(
      fc.string({unit: 'binary-ascii', maxLength: 30}),
      fc.constantFrom('\u001B[31m', '\u001B[39m', '\u001B[1;4m', '\u001B]8;;https://x\u0007', '\u009B2J', '\t', '\r', '\u007F'),
      fc.constantFrom('…', 'é', 'e\u0301', '日本語', '한', 'Ｆ', '😀', '👍🏽', '👨‍👩‍👧', '#️⃣', '1️⃣', '🇩🇪', '\u200B', '\uFE0F', '\uD800'),
      fc.string({unit: 'grapheme', maxLength: 6}),
    )
    fc.assert(
      fc.property(fc.array(pieces, {maxLength: 8}), (parts) => {
        const text = parts.join('')
        assert.equal(width(text), stringWidth(text), JSON.stringify(text))
      }),
      {numRuns: 5000},
    )
  })

  it('measures printable ASCII without string-width, and hands it anything else', () => {
    slowCalls = 0
    assert.equal(width('user016x100@example.com  77 EX_NOPERM ~ '), 40)
    assert.equal(width(''), 0)
    assert.equal(slowCalls, 0)
    for (const text of ['\u001B[31mretry\u001B[39m', 'a\tb', 'café', '日本', 'x\u007F']) width(text)
    assert.equal(slowCalls, 5)
  })
})
