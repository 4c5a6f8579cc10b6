import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {RULES} from '../../src/catalog/index.js'
import {requiredLiteral} from '../../src/match/required-literal.js'

/**
 * requiredLiteral reads, from a pattern's source, a run of characters every match holds: the fast lane looks
 * for it instead of a rule's short literal, so a run some match lacks would lose that match's line.
 */

/** A piece of a pattern: its source, and the texts it matches (a generator). */
interface Piece {
  source: string
  text: fc.Arbitrary<string>
}

const CHARACTERS = [
  'a',
  'b',
  'S',
  ' ',
  ':',
  '(',
  ')',
  '.',
  '/',
  '-',
  '=',
  '<',
  '>',
  '{',
  '}',
  '[',
  ']',
  '|',
  '?',
  '*',
  '+',
  '\\',
  '^',
  '$',
  ',',
]
const escape = (c: string) => (/[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c)
const character = fc.constantFrom(...CHARACTERS)
const word = fc.array(character, {minLength: 1, maxLength: 6})

/** Names for named groups: each one made has its own (a pattern may not name two groups alike). */
let named = 0
const piece: fc.Arbitrary<Piece> = fc.oneof(
  // Literal characters, escaped where they would be syntax.
  word.map((chars) => ({source: chars.map(escape).join(''), text: fc.constant(chars.join(''))})),
  // A quantified character: absent or repeated.
  fc.tuple(character, fc.constantFrom('?', '*', '+', '{1,2}', '{0,3}', '{2}', '??', '*?')).map(([c, quantifier]) => {
    const [min, max] = {'?': [0, 1], '*': [0, 3], '+': [1, 3], '{1,2}': [1, 2], '{0,3}': [0, 3], '{2}': [2, 2], '??': [0, 1], '*?': [0, 3]}[
      quantifier
    ]
    return {source: `${escape(c)}${quantifier}`, text: fc.integer({min, max}).map((count) => c.repeat(count))}
  }),
  // An optional group, an alternation in a group, a capturing group.
  word.map((chars) => ({source: `(?:${chars.map(escape).join('')})?`, text: fc.constantFrom('', chars.join(''))})),
  fc.tuple(word, word).map(([a, b]) => ({
    source: `(?:${a.map(escape).join('')}|${b.map(escape).join('')})`,
    text: fc.constantFrom(a.join(''), b.join('')),
  })),
  word.map((chars) => ({source: `(${chars.map(escape).join('')})`, text: fc.constant(chars.join(''))})),
  // Named and nested groups whose text every match holds, or holding an alternation, a quantified group.
  word.map((chars) => ({source: `(?<n${++named}>${chars.map(escape).join('')})`, text: fc.constant(chars.join(''))})),
  fc.tuple(word, word).map(([a, b]) => ({
    source: `(?:${a.map(escape).join('')}(${b.map(escape).join('')}))`,
    text: fc.constant(a.join('') + b.join('')),
  })),
  fc.tuple(word, word, word).map(([a, b, c]) => ({
    source: `(${a.map(escape).join('')}(?:${b.map(escape).join('')}|${c.map(escape).join('')}))`,
    text: fc.constantFrom(a.join('') + b.join(''), a.join('') + c.join('')),
  })),
  fc.tuple(word, word, fc.constantFrom('?', '*', '+')).map(([a, b, quantifier]) => ({
    source: `(?:${a.map(escape).join('')}(?:${b.map(escape).join('')})?)${quantifier}`,
    text: fc.constantFrom(
      ...(quantifier === '+' ? [] : ['']),
      a.join('') + b.join(''),
      a.join('') + (quantifier === '?' ? '' : b.join('') + a.join('')),
    ),
  })),
  // Classes and shorthands, lookarounds.
  fc.constant({source: '[ab:]', text: fc.constantFrom('a', 'b', ':')}),
  fc.constant({source: '[^)]+', text: fc.constantFrom('x', 'ab', '(')}),
  fc.constant({source: '\\d{1,3}', text: fc.constantFrom('1', '42', '999')}),
  fc.constant({source: '\\s', text: fc.constant(' ')}),
  fc.constant({source: '.', text: fc.constantFrom('a', ')', ' ')}),
  fc.constant({source: '(?!zz)', text: fc.constant('')}),
)

/** A pattern of pieces in a row, and a text it matches. */
const patternAndText = fc
  .array(piece, {minLength: 1, maxLength: 8})
  .chain((pieces) => fc.tuple(fc.constant(pieces.map((p) => p.source).join('')), fc.tuple(...pieces.map((p) => p.text))))
  .map(([source, texts]) => ({source, text: texts.join('')}))

describe('requiredLiteral', () => {
  it('reads the longest run at the top level and through plain groups, outside alternations, lookarounds, classes and quantified parts', () => {
    const cases: [RegExp, string | null][] = [
      [/TLS(?: handshaking)?: SSL_accept\(\) (?:syscall )?failed/, ': SSL_accept() '],
      [/^(?:Login|Logged in): user=<(?<user>[^>]*)>/, ': user=<'],
      [/avc: {1,2}denied {1,2}\{ (?<perms>[^{}]+) \} for {1,2}pid=/, 'denied'],
      [/^(?:Disconnected: )?(?<what>Too many invalid IMAP commands)\./, 'Too many invalid IMAP commands.'],
      [/a(bc)de/, 'abcde'],
      [/(abc(de)fg)h/, 'abcdefgh'],
      [/(a(b|c)d)efgh/, 'efgh'],
      [/a(?:cdefgh|c)ij/, 'ij'],
      [/(?<w>abcdef)?gh/, 'gh'],
      [/xy(?=abcdef)z/, 'xy'],
      [/(?<=abcdef)x/, 'x'],
      [/abcd?e/, 'abc'],
      [/ab+cdef/, 'cdef'],
      [/x\d{2}yz/, 'yz'],
      [/a|bcdef/, null],
      [/abc/i, null],
      [/ab\x41cd/, null],
      [/ab{c/, null],
      [/[abc]+/, null],
    ]
    for (const [pattern, expected] of cases) assert.equal(requiredLiteral(pattern), expected, String(pattern))
  })

  it('gives a run that every text the pattern matches holds (property)', () => {
    let found = 0
    fc.assert(
      fc.property(patternAndText, ({source, text}) => {
        const pattern = new RegExp(source)
        assert.ok(pattern.test(text), `the generated text matches ${source}: ${text}`)
        const literal = requiredLiteral(pattern)
        if (literal === null) return
        found++
        assert.ok(text.includes(literal), `${source} matches ${JSON.stringify(text)}, which lacks ${JSON.stringify(literal)}`)
      }),
      {numRuns: 3000},
    )
    assert.ok(found > 500, `${found} patterns gave a run`)
  })

  it("gives, for every catalog pattern, a run its rule's matching examples hold", () => {
    for (const rule of RULES) {
      for (const pattern of rule.patterns) {
        const literal = pattern instanceof RegExp ? requiredLiteral(pattern) : null
        if (literal === null) continue
        for (const {line} of rule.examples.match)
          if (pattern.exec(line) !== null) assert.ok(line.includes(literal), `${rule.id}: ${literal}`)
      }
    }
  })
})
