import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {diagnose} from '../../src/diagnosis/diagnose.js'
import {FilterError, parseFilters, parseInstant} from '../../src/diagnosis/filters.js'
import {records} from './records.js'

// Tests run with TZ=UTC: day words and times of day are in the local zone.
const NOW = Date.parse('2026-11-23T15:30:00Z')
const at = (iso: string) => Date.parse(iso)

describe('--since/--until values', () => {
  const cases: [string, boolean, string][] = [
    ['2h', false, '2026-11-23T13:30:00Z'],
    ['30m', false, '2026-11-23T15:00:00Z'],
    ['7d', false, '2026-11-16T15:30:00Z'],
    ['today', false, '2026-11-23T00:00:00Z'],
    ['yesterday', false, '2026-11-22T00:00:00Z'],
    ['yesterday', true, '2026-11-23T00:00:00Z'],
    ['10:30', false, '2026-11-23T10:30:00Z'],
    ['2026-11-20', false, '2026-11-20T00:00:00Z'],
    ['2026-11-20', true, '2026-11-21T00:00:00Z'],
    ['2026-11-20 08:15', false, '2026-11-20T08:15:00Z'],
    ['2026-11-20T08:15:00+02:00', false, '2026-11-20T06:15:00Z'],
  ]
  for (const [text, end, expected] of cases) {
    it(`${end ? 'until' : 'since'} ${text}`, () => assert.equal(parseInstant(text, NOW, end), at(expected)))
  }

  it('rejects what is not a time, and --since after --until, naming the flag', () => {
    assert.equal(parseInstant('soon', NOW), undefined)
    assert.throws(
      () => parseFilters({since: 'soon'}, [], NOW),
      (error: Error) => error instanceof FilterError && /--since 'soon' is not a time/.test(error.message),
    )
    assert.throws(() => parseFilters({since: 'today', until: 'yesterday'}, [], NOW), /is not before/)
    assert.throws(() => parseFilters({rule: ['no-such-rule']}, ['panic'], NOW), /--rule 'no-such-rule' is not a rule id/)
  })
})

describe('filters narrow the report', () => {
  const lines = [
    'Nov 23 09:00:00 mail1 dovecot: imap(jdoe)<1><S1>: Error: Mailbox INBOX: Deleting corrupted cache: Cache file too large',
    'Nov 23 12:00:00 mail1 dovecot: imap(alice)<2><S2>: Error: Mailbox INBOX: Deleting corrupted cache: Cache file too large',
    'Nov 23 12:30:00 mail1 dovecot: lmtp(alice)<3><S3>: Error: Mailbox INBOX: Deleting corrupted cache: Cache file too large',
    'Nov 23 13:00:00 mail1 dovecot: master: Warning: Time moved forward by 0.150321 seconds - adjusting timeouts.',
    'Nov 23 13:00:01 mail1 dovecot: imap(bob)<4><S4>: Error: something nobody knows',
  ]
  const run = async (flags: Parameters<typeof parseFilters>[0]) =>
    diagnose(records(lines), parseFilters(flags, ['index-cache-too-large', 'time-moved-forwards'], NOW))

  it('--since/--until keep lines in the window', async () => {
    const diagnosis = await run({since: '11:00', until: '12:45'})
    assert.deepEqual(
      diagnosis.findings.map((f) => [f.rule, f.count]),
      [['index-cache-too-large', 2]],
    )
    assert.equal(diagnosis.records, 2)
  })

  it("--user and --service keep that user's or service's lines", async () => {
    assert.deepEqual(
      (await run({user: ['alice']})).findings.map((f) => [f.rule, f.count]),
      [['index-cache-too-large', 2]],
    )
    assert.deepEqual(
      (await run({service: ['lmtp', 'master']})).findings.map((f) => [f.rule, f.count]),
      [
        ['index-cache-too-large', 1],
        ['time-moved-forwards', 1],
      ],
    )
  })

  it('--min-severity and --rule keep those findings (and --rule hides the unrecognized)', async () => {
    const medium = await run({minSeverity: 'medium'})
    assert.deepEqual(
      medium.findings.map((f) => f.rule),
      ['index-cache-too-large'],
    )
    assert.equal(medium.unrecognized.length, 1)
    const rule = await run({rule: ['time-moved-forwards']})
    assert.deepEqual(
      rule.findings.map((f) => f.rule),
      ['time-moved-forwards'],
    )
    assert.deepEqual(rule.unrecognized, [])
  })
})
