import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {resolve} from 'node:path'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {RULE_LITERALS} from '../../src/catalog/index.js'
import {LiteralSet} from '../../src/match/literal-set.js'
import {root} from '../helpers/run.js'

const found = (set: LiteralSet, text: string): string[] => {
  const flags = new Uint8Array(set.literals.length)
  const hits = set.find(text, flags)
  const literals = set.literals.filter((_, index) => flags[index] === 1)
  assert.equal(hits === 0, literals.length === 0, 'returns 0 exactly when no literal occurs')
  return literals
}

/**
 * What findBytes reports in each of the lines, read in order as the fast lane reads them: in one chunk, or in
 * chunks of `perChunk` lines, each announced with `chunk()` first when `told` (as the reader does). Each line's
 * text follows `prefix(i)` in the chunk (the lane searches a message after its line's stamp and process), and
 * a newline after the previous line.
 */
const foundInLines = (
  set: LiteralSet,
  lines: string[],
  perChunk = lines.length,
  told = false,
  prefix = (_line: number) => '',
): string[][] => {
  const found: string[][] = []
  for (let first = 0; first < lines.length; first += Math.max(perChunk, 1)) {
    const inChunk = lines.slice(first, first + Math.max(perChunk, 1))
    const chunk = Buffer.from(inChunk.map((line, i) => prefix(first + i) + line).join('\n'), 'latin1')
    if (told) set.chunk(chunk)
    let start = 0
    for (const [i, line] of inChunk.entries()) {
      start += prefix(first + i).length
      const hits = new Int16Array(set.literals.length)
      const count = set.findBytes(chunk, start, start + line.length, hits)
      start += line.length + 1
      const listed = [...hits.subarray(0, count)]
      assert.equal(new Set(listed).size, count, 'lists each literal once')
      found.push(set.literals.filter((_, index) => listed.includes(index)))
    }
  }
  return found
}

const naive = (literals: readonly string[], text: string): string[] => literals.filter((literal) => text.includes(literal))

describe('LiteralSet', () => {
  it('reports every literal that occurs, as includes() would, on the catalog literals', () => {
    const set = new LiteralSet(RULE_LITERALS)
    const texts = [
      'Disconnected: Logged out in=1 out=2',
      'Login: user=<jdoe>, method=PLAIN, rip=203.0.113.5',
      'Error: net_connect_unix(anvil) failed: No such file or directory',
      'msgid=<1@x>: saved mail to INBOX (Quota exceeded) SSL',
      'nothing to see here',
      'Ä unicode ✓ before Timeout and after ✓ limit',
      '',
      'x',
    ]
    for (const text of texts) assert.deepEqual(found(set, text), naive(RULE_LITERALS, text), text)
  })

  it('finds overlapping literals, literals at both ends, and literals shorter than two characters', () => {
    const set = new LiteralSet(['abc', 'bcd', 'cd', 'a', 'd', 'xyz', ''])
    assert.deepEqual(found(set, 'abcd'), ['abc', 'bcd', 'cd', 'a', 'd', ''])
    assert.deepEqual(found(set, 'xyz'), ['xyz', ''])
  })

  it('finds long literals that overlap, share pairs, or fill the whole text', () => {
    const literals = ['abcabcab', 'cabcabca', 'abcabc', 'bcabcabcab', 'zzzzzzzzzzzz']
    const set = new LiteralSet(literals)
    for (const text of ['abcabcab', 'xabcabcabcabx', 'abcab', 'cabcabcab', 'zzzzzzzzzzz', 'azzzzzzzzzzzzz']) {
      assert.deepEqual(found(set, text), naive(literals, text), text)
    }
  })

  it('finds literals at the very start and end of the text, and misses texts shorter than them', () => {
    const literals = ['Logged out', 'saved mail to ', 'SSL']
    const set = new LiteralSet(literals)
    assert.deepEqual(found(set, 'Logged out'), ['Logged out'])
    assert.deepEqual(found(set, 'Logged ou'), [])
    assert.deepEqual(found(set, 'x: saved mail to '), ['saved mail to '])
    assert.deepEqual(found(set, 'SSL'), ['SSL'])
    assert.deepEqual(found(set, 'no SS'), [])
  })

  it('searches a literal by a part inside it: found at both ends of the text, never from its part alone or from a prefix', () => {
    // The window is 6 ('_limit'); the rarest part of the others (by COMMON_PAIRS) is not their start.
    const literals = ['Connect failed to database', 'in: user=<', '_limit', 'dovecot-uidlist']
    const set = new LiteralSet(literals)
    for (const literal of literals) {
      assert.deepEqual(found(set, literal), [literal])
      assert.deepEqual(found(set, `x ${literal}`), [literal])
      assert.deepEqual(found(set, `${literal} x`), [literal])
      for (let cut = 1; cut < literal.length; cut++) {
        assert.deepEqual(found(set, literal.slice(cut)), [], literal.slice(cut))
        assert.deepEqual(found(set, literal.slice(0, -cut)), [], literal.slice(0, -cut))
        // The start of the literal in the line's prefix, the rest in its text: not in the text.
        assert.deepEqual(
          foundInLines(set, [literal.slice(cut), literal], 2, true, () => `host: ${literal.slice(0, cut)}`),
          [[], [literal]],
        )
      }
    }
  })

  it('the table of common pairs is what scripts/common-pairs.mjs makes of fixtures/ordinary', () => {
    execFileSync(process.execPath, [resolve(root, 'scripts/common-pairs.mjs'), '--check'], {stdio: 'pipe'})
  })

  it('takes short literals literally, regex syntax included', () => {
    const literals = ['a.b', '(x', '|', '$1', '[', '\\d', 'nvalid *']
    const set = new LiteralSet(literals)
    assert.deepEqual(found(set, 'axb x ] d 1'), [])
    assert.deepEqual(found(set, 'a.b (x | $1 [ \\d'), ['a.b', '(x', '|', '$1', '[', '\\d'])
    assert.deepEqual(found(set, 'Invalid *args'), ['nvalid *'])
  })

  it('confirms hits: characters beyond Latin-1 that share a table key do not match', () => {
    const set = new LiteralSet(['ab', 'abcdefgh'])
    assert.deepEqual(found(set, String.fromCharCode(0x100 + 97, 0x100 + 98)), [])
    assert.deepEqual(found(set, 'ab' + String.fromCharCode(0x100 + 99) + 'defgh abcdefgh'), ['ab', 'abcdefgh'])
  })

  it('finds non-ASCII literals in non-ASCII text, and literals longer than 256 characters', () => {
    const long = 'ü'.repeat(300)
    const literals = ['größer als', '✓ done', '😀 ok', long]
    const set = new LiteralSet(literals)
    assert.deepEqual(found(set, 'Datei ist größer als erlaubt ✓ done 😀 ok'), ['größer als', '✓ done', '😀 ok'])
    assert.deepEqual(found(set, `x${long}x`), [long])
    assert.deepEqual(found(set, long.slice(1)), [])
  })

  it('findBytes: reports in each line of a chunk the literals includes() finds there, never one beyond ASCII', () => {
    const set = new LiteralSet([...RULE_LITERALS, 'größer', ''])
    const lines = [
      'Disconnected: Logged out in=1 out=2',
      'msgid=<1@x>: saved mail to INBOX (Quota exceeded) SSL',
      'SSL',
      '',
      'limit avc: fts uota at the end: uota',
      'nothing to see here',
      'Login: user=<jdoe>, method=PLAIN, rip=203.0.113.5',
    ]
    assert.deepEqual(
      foundInLines(set, lines),
      lines.map((line) => naive(RULE_LITERALS, line).concat([''])),
    )
  })

  it('findBytes agrees with includes() on any ASCII literals and lines, in chunks told of by chunk() or not (property)', () => {
    // Pairs common in Dovecot's lines (': ', 'co', 'ec', 'e ') and rare ones ('SL', 'xx'), so that the part a
    // literal is searched by is often not its start.
    const char = fc.constantFrom('e', 'c', 'o', ' ', ':', 'S', 'L', 'x')
    const piece = fc.array(char, {maxLength: 10}).map((chars) => chars.join(''))
    fc.assert(
      fc.property(
        fc.array(piece, {minLength: 1, maxLength: 10}).chain((literals) =>
          fc.tuple(
            fc.constant(literals),
            fc.array(
              fc.array(fc.oneof(piece, fc.constantFrom(...literals)), {maxLength: 6}).map((pieces) => pieces.join('')),
              {
                minLength: 1,
                maxLength: 6,
              },
            ),
          ),
        ),
        fc.integer({min: 1, max: 6}),
        fc.boolean(),
        fc.array(fc.tuple(piece, fc.nat(), fc.nat()), {minLength: 1, maxLength: 3}),
        ([literals, texts], perChunk, told, splits) => {
          const set = new LiteralSet(literals)
          // Lines after a prefix (as a message follows its line's process) that may end with the start of a
          // literal whose rest starts the line: what is before the text is not in it.
          const split = (line: number) => {
            const [before, which, at] = splits[line % splits.length]
            const literal = literals[which % literals.length]
            const cut = at % (literal.length + 1)
            return {prefix: before + literal.slice(0, cut), rest: literal.slice(cut)}
          }
          const lines = texts.map((text, line) => split(line).rest + text)
          assert.deepEqual(
            foundInLines(set, lines, perChunk, told, (line) => split(line).prefix),
            lines.map((line) => naive(literals, line)),
          )
        },
      ),
      {numRuns: 3000},
    )
  })

  it('agrees with includes() on any literals and text (property)', () => {
    // A few characters, so that literals occur and overlap often; 'š' (U+0161) shares its table key with
    // 'a', and '😀' is a surrogate pair. Literals shorter and longer than the skipping search's minimum.
    const char = fc.constantFrom('a', 'b', ' ', 'é', 'š', '😀', ':')
    const piece = fc.array(char, {maxLength: 12}).map((chars) => chars.join(''))
    const texts = (literals: string[]) =>
      fc.oneof(
        fc.array(char, {maxLength: 80}).map((chars) => chars.join('')),
        fc.array(fc.oneof(piece, fc.constantFrom(...literals, 'x')), {maxLength: 8}).map((pieces) => pieces.join('')),
      )
    fc.assert(
      fc.property(
        fc
          .array(piece, {minLength: 1, maxLength: 10})
          .chain((literals) => fc.tuple(fc.constant(literals), fc.array(texts(literals), {minLength: 1, maxLength: 5}))),
        ([literals, samples]) => {
          const set = new LiteralSet(literals)
          for (const text of samples) assert.deepEqual(found(set, text), naive(literals, text), JSON.stringify(text))
        },
      ),
      {numRuns: 2000},
    )
  })
})
