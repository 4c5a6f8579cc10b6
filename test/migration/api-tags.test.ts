import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {compileSafePattern} from '../../src/catalog/safe-pattern.js'
import {compileTagPattern, DEFAULT_TAG_PATTERN, DEFAULT_TAG_READER, TagPatternError} from '../../src/migration/api-tags.js'

// A run without --tag-pattern reads tags with a native RegExp (no re2js to load); it must read every tag as
// re2js reads DEFAULT_TAG_PATTERN, the pattern the help text shows and --tag-pattern replaces.
describe('the default tag pattern', () => {
  const re2js = compileSafePattern(DEFAULT_TAG_PATTERN)
  const reading = (pattern: typeof re2js, tag: string) => {
    const match = pattern.exec(tag)
    return match === null ? null : {user: match.groups?.user, attempt: match.groups?.attempt}
  }

  it('reads users and attempts as documented', () => {
    assert.deepEqual(reading(DEFAULT_TAG_READER, 'jdoe@example.com#2'), {user: 'jdoe@example.com', attempt: '2'})
    assert.deepEqual(reading(DEFAULT_TAG_READER, 'jdoe@example.com:12'), {user: 'jdoe@example.com', attempt: '12'})
    assert.deepEqual(reading(DEFAULT_TAG_READER, 'jdoe@example.com'), {user: 'jdoe@example.com', attempt: undefined})
    assert.deepEqual(reading(DEFAULT_TAG_READER, 'a#1#2'), {user: 'a#1', attempt: '2'})
    assert.equal(reading(DEFAULT_TAG_READER, ''), null)
    assert.equal(reading(DEFAULT_TAG_READER, 'two\nlines'), null)
  })

  it('reads every tag as re2js reads DEFAULT_TAG_PATTERN', () => {
    const unit = fc.constantFrom(
      'a',
      'j',
      '@',
      '.',
      '#',
      ':',
      '0',
      '7',
      ' ',
      '\n',
      '\r',
      '\u2028',
      '\u2029',
      '\u0085',
      'é',
      '😀',
      '\ud800',
      '\udc00',
    )
    fc.assert(
      fc.property(fc.oneof(fc.string({unit, maxLength: 30}), fc.string({unit: 'binary', maxLength: 30})), (tag) => {
        assert.deepEqual(reading(DEFAULT_TAG_READER, tag), reading(re2js, tag), JSON.stringify(tag))
      }),
      {numRuns: 5000},
    )
  })

  it('is what compileTagPattern gives without --tag-pattern; a given pattern is compiled and checked', async () => {
    assert.equal(await compileTagPattern(undefined), DEFAULT_TAG_READER)
    const given = await compileTagPattern('^(?<user>[^#]+)(?:#(?<attempt>\\d+))?$')
    assert.deepEqual({...given.exec('u@x#3')?.groups}, {user: 'u@x', attempt: '3'})
    await assert.rejects(compileTagPattern('^(?=a)(?<user>.+)$'), TagPatternError)
    await assert.rejects(compileTagPattern('^(?<name>.+)$'), /needs a named group \(\?<user>/)
  })
})
