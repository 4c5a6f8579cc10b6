import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {defineRule} from '../../src/catalog/rule.js'
import {isRecord, parseLine} from '../../src/ingest/parse-line.js'
import {matchRule} from '../../src/match/matcher.js'
import {PatternError} from '../../src/catalog/pattern.js'
import {compileSafePattern} from '../../src/catalog/safe-pattern.js'

describe('user patterns (re2js)', () => {
  it('extracts named groups in JavaScript and RE2 syntax, undefined when a group did not take part', () => {
    const js = compileSafePattern('quota (?<what>[a-z]+) exceeded(?: by (?<by>\\d+))?')
    assert.deepEqual({...js.exec('Error: quota storage exceeded')?.groups}, {what: 'storage', by: undefined})
    assert.equal(js.exec('quota fine'), null)
    const re2 = compileSafePattern('user=<(?P<user>[^>]+)>')
    assert.equal(re2.exec('Login: user=<jdoe>, method=PLAIN')?.groups?.user, 'jdoe')
    assert.equal(re2.source, 'user=<(?P<user>[^>]+)>')
  })

  it('rejects what has no linear-time match (backreferences, lookaround) and bad syntax, saying why', () => {
    assert.throws(
      () => compileSafePattern('(a)\\1'),
      (error: Error) => error instanceof PatternError && /invalid escape sequence/.test(error.message),
    )
    assert.throws(
      () => compileSafePattern('foo(?=bar)'),
      (error: Error) => error instanceof PatternError && /unsupported Perl syntax/.test(error.message),
    )
    assert.throws(
      () => compileSafePattern('[a-z'),
      (error: Error) => error instanceof PatternError && /missing closing \]/.test(error.message),
    )
  })

  it('matches a pattern that backtracks catastrophically in RegExp without blowing up', () => {
    // (a+)+$ on 40 a's and a '!' takes 2^40 steps in a backtracking engine; re2js answers at once.
    assert.equal(compileSafePattern('(a+)+$').exec(`${'a'.repeat(40)}!`), null)
  })

  it('works in the matcher like a built-in rule: literal, pattern, conditions, facts', () => {
    const rule = defineRule({
      id: 'site-backup-lock',
      kind: 'problem',
      title: 'Backup held a mailbox lock',
      severity: 'low',
      literal: 'backup lock',
      patterns: [compileSafePattern('backup lock held by (?<host>\\S+)')],
      explanation: 'x',
      docs: 'https://example.com/runbook',
      examples: {match: [], nearMiss: []},
    })
    const record = parseLine('Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: backup lock held by nas1', {timeZone: 'UTC'})
    assert.ok(isRecord(record))
    assert.deepEqual(matchRule(rule, record)?.facts, {host: 'nas1'})
  })
})
