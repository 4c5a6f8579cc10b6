import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {levelWordAt, readProcessPrefix} from '../../src/ingest/dovecot-prefix.js'

/** The process prefix as the regex it is documented as: what the hand-written scanner must agree with. */
const SPEC = /([A-Za-z][\w.-]*)(?:\(([^()]*)\))?(?:<([^<>]*)>)?(?:<([^<>]*)>)?: /y

function bySpec(text: string, at: number): (string | undefined)[] | null {
  SPEC.lastIndex = at
  const m = SPEC.exec(text)
  return m === null ? null : [m[1], m[2], m[3], m[4], String(SPEC.lastIndex)]
}

function byScanner(text: string, at: number): (string | undefined)[] | null {
  const m = readProcessPrefix(text, at)
  if (m === null) return null
  const part = (start: number, end: number) => (start === -1 ? undefined : text.slice(start, end))
  return [
    text.slice(at, m.nameEnd),
    part(m.argStart, m.argEnd),
    part(m.firstStart, m.firstEnd),
    part(m.secondStart, m.secondEnd),
    String(m.end),
  ]
}

describe('readProcessPrefix', () => {
  it('reads the prefixes of Dovecot 2.2, 2.3 and 2.4, and of doveadm and dsync', () => {
    assert.deepEqual(byScanner('imap(jdoe)<1234><AbCdEf12>: Info: x', 0), ['imap', 'jdoe', '1234', 'AbCdEf12', '28'])
    assert.deepEqual(byScanner('auth-worker(123): x', 0), ['auth-worker', '123', undefined, undefined, '18'])
    assert.deepEqual(byScanner('dsync-local(jdoe)<AbCd>: x', 0), ['dsync-local', 'jdoe', 'AbCd', undefined, '25'])
    assert.deepEqual(byScanner('doveadm(203.0.113.5,jdoe): x', 0), ['doveadm', '203.0.113.5,jdoe', undefined, undefined, '27'])
    assert.deepEqual(byScanner('host master: x', 5), ['master', undefined, undefined, undefined, '13'])
    assert.deepEqual(byScanner('imap()<>: x', 0), ['imap', '', '', undefined, '10'])
  })

  it('finds none where the regex finds none: no letter first, unclosed or nested brackets, no ": "', () => {
    for (const text of [
      '1imap: x',
      'imap(jdoe: x',
      'imap(a(b)): x',
      'imap<a<b>>: x',
      'imap(jdoe)<1><2><3>: x',
      'imap(jdoe):x',
      'imap (jdoe): x',
      'imap',
      '',
    ]) {
      assert.equal(byScanner(text, 0), null, text)
      assert.equal(bySpec(text, 0), null, text)
    }
  })

  it('agrees with the regex on any text, from any position (property)', () => {
    const piece = fc.constantFrom('imap', 'a', 'Z', '1', '_', '.', '-', '(', ')', '<', '>', ':', ': ', ' ', ',', 'é', '\n', 'jdoe')
    const junk = fc.array(piece, {maxLength: 6}).map((pieces) => pieces.join(''))
    // Mostly near-prefixes: a name, then bracketed parts whose content may hold brackets, then ': ' or not.
    const nearPrefix = fc
      .tuple(
        junk,
        fc.constantFrom('', '(', '<'),
        junk,
        fc.constantFrom('', ')', '>'),
        fc.constantFrom('', '<'),
        junk,
        fc.constantFrom('', '>'),
        fc.constantFrom(': ', ':', ' ', ''),
        junk,
      )
      .map((parts) => 'imap' + parts.join(''))
    fc.assert(
      fc.property(fc.oneof(nearPrefix, junk), fc.nat(8), (text, at) => {
        assert.deepEqual(byScanner(text, at), bySpec(text, at))
      }),
      {numRuns: 5000},
    )
  })
})

describe('levelWordAt', () => {
  it("reads each of Dovecot's level words, and nothing past the end or after a lookalike", () => {
    const words = ['Debug', 'Info', 'Warning', 'Error', 'Fatal', 'Panic'].map((word) => levelWordAt(`x ${word}: y`, 2)?.[1])
    assert.deepEqual(words, ['debug', 'info', 'warning', 'error', 'fatal', 'panic'])
    assert.equal(levelWordAt('Error: x', 9), undefined)
    assert.equal(levelWordAt('Error:x', 0), undefined)
    assert.equal(levelWordAt('Errors: x', 0), undefined)
    assert.equal(levelWordAt('✓ Error: x', 0), undefined)
  })
})
