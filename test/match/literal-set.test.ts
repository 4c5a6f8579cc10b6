import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {RULE_LITERALS} from '../../src/catalog/index.js'
import {LiteralSet} from '../../src/match/literal-set.js'

const found = (set: LiteralSet, text: string): string[] => {
  const flags = new Uint8Array(set.literals.length)
  set.find(text, flags)
  return set.literals.filter((_, index) => flags[index] === 1)
}

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
    for (const text of texts) assert.deepEqual(found(set, text), RULE_LITERALS.filter((literal) => text.includes(literal)), text)
  })

  it('finds overlapping literals, literals at both ends, and literals shorter than two characters', () => {
    const set = new LiteralSet(['abc', 'bcd', 'cd', 'a', 'd', 'xyz', ''])
    assert.deepEqual(found(set, 'abcd'), ['abc', 'bcd', 'cd', 'a', 'd', ''])
    assert.deepEqual(found(set, 'xyz'), ['xyz', ''])
  })

  it('confirms hits: characters beyond Latin-1 that share a table key do not match', () => {
    const set = new LiteralSet(['ab'])
    assert.deepEqual(found(set, String.fromCharCode(0x100 + 97, 0x100 + 98)), [])
  })
})
