import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import type {MigrationRow, PolicyProblem} from '../../src/policy/migration-row.js'
import {MigrationLedger, type MigrationPolicyOptions} from '../../src/policy/migration.js'
import type {StderrDiagnosis} from '../../src/policy/stderr.js'
import {OracleLedger} from './migration-ledger-oracle.js'

// Few of each, so that rows meet: the same user, attempt, time, input or result again.
const USERS = [
  'alice@example.com',
  'Alice@Example.com',
  'bob',
  'carol@example.org',
  'dave',
  'ÉRIC@example.com',
  'a-rather-long-user-name@mail.example.com',
]
const CODES = [0, 0, 2, 75, 67, 73, 65, 77, 78, 1003, 235, 137, 99, 4242, 1]
const API_ERRORS = ['unAuthorized', 'internalError', 'unknownMethod', 'invalidRequest', 'noSuchThing', 'constructor']
const TIMES = [null, null, 0, 1_700_000_000_000, 1_700_000_060_000, 1_700_000_060_000.5, -86_400_000, Number.POSITIVE_INFINITY]
const SOURCES = ['wave.csv', 'wave.jsonl', 'api.json']
const HOSTS = [null, 'mig-01', 'mig-02', ':']
const CAPTURES = [
  null,
  '',
  'dsync-local(alice)<Jk3>: Error: Timeout (180s) while waiting for lock for transaction log file /x/dovecot.index.log',
  'dsync-local(bob): Warning: Mailbox changes caused a desync\n',
  "doveadm(carol): Error: User doesn't exist\n",
  'dsync-local(dave)<a>: Fatal: pool_system_malloc(1073741824): Out of memory\nMailbox INBOX: sync failed',
  '   \n\tdsync-remote(x): Error: imapc(old:993): Authentication failed\r\n',
  'only warnings here\nand a second line',
  // Longer than the ledger keeps as it is (KEPT_CAPTURE_CHARS): read when its attempt becomes the latest.
  `${'dsync-local(alice)<Jk3>: Warning: slow\n'.repeat(14)}dsync-local(alice)<Jk3>: Error: Timeout (180s) while waiting for lock`,
  `${'dsync-local(bob): Warning: Mailbox changes caused a desync\n'.repeat(10)}doveadm(bob): Error: disk gone`,
]

/** A diagnosis stub: one shared object per rule, as the catalog gives. */
const LOCK: StderrDiagnosis = {rule: 'lock-timeout', title: 'Lock wait timed out'}
const MEMORY: StderrDiagnosis = {rule: 'out-of-memory', title: 'Out of memory'}
const diagnose = (stderr: string): StderrDiagnosis | null =>
  stderr.includes('Timeout (') ? LOCK : stderr.includes('Out of memory') ? MEMORY : null

const rowArbitrary = fc.record({
  user: fc.constantFrom(...USERS),
  code: fc.constantFrom(...CODES),
  api: fc.option(fc.constantFrom(...API_ERRORS), {freq: 6}),
  signal: fc.option(fc.constantFrom(9, 15), {freq: 8}),
  attempt: fc.option(fc.constantFrom(0, 1, 2, 3, 7), {freq: 3}),
  started: fc.constantFrom(...TIMES),
  finished: fc.constantFrom(...TIMES),
  source: fc.constantFrom(...SOURCES),
  line: fc.nat(40),
  host: fc.constantFrom(...HOSTS),
  stderr: fc.constantFrom(...CAPTURES),
  unmappedTag: fc.boolean(),
  // The readers number rows in reading order; the ledger takes them in any order.
  order: fc.nat(100),
})

const optionsArbitrary = fc.record({
  phase: fc.constantFrom('intermediate' as const, 'final' as const),
  maxRetries: fc.constantFrom(null, 1, 2, 3),
  strict: fc.boolean(),
  foldCase: fc.boolean(),
})

type Drawn = typeof rowArbitrary extends fc.Arbitrary<infer T> ? T : never

function rowsOf(drawn: Drawn[]): MigrationRow[] {
  return drawn.map((each) => ({
    user: each.user,
    // An HTTP API error row has no code, or the one its error type gave (as the readers make them).
    code: each.api === null ? each.code : each.code === 0 ? null : each.code,
    signal: each.api === null ? each.signal : null,
    apiError: each.api,
    attempt: each.attempt,
    started: each.started,
    finished: each.finished,
    host: each.host,
    stderr: each.stderr,
    source: each.source,
    line: each.line,
    unmappedTag: each.unmappedTag,
    order: each.order,
  }))
}

/** Everything a ledger gives: verdicts, problems (returned and reported), suspend-all causes, duplicates. */
function run(
  Ledger: typeof MigrationLedger | typeof OracleLedger,
  rows: MigrationRow[],
  options: Omit<MigrationPolicyOptions, 'diagnose' | 'onProblem'>,
) {
  const reported: PolicyProblem[] = []
  const ledger = new Ledger({...options, diagnose, onProblem: (problem) => reported.push(problem)})
  // Each ledger gets its own copies: --fold-case lower-cases the row's user in place.
  for (const row of rows) ledger.add({...row})
  return {
    verdicts: ledger.verdicts(),
    problems: ledger.problems,
    reported,
    suspendAllCauses: ledger.suspendAllCauses,
    duplicateAttempts: ledger.duplicateAttempts,
  }
}

describe('MigrationLedger against the ledger it replaced (reasons shared by their facts, not their text)', () => {
  it('gives the same verdicts, problems, suspend-all causes and duplicate count for any rows and options', () => {
    fc.assert(
      fc.property(fc.array(rowArbitrary, {maxLength: 60}), optionsArbitrary, (drawn, options) => {
        const rows = rowsOf(drawn)
        assert.deepStrictEqual(run(MigrationLedger, rows, options), run(OracleLedger, rows, options))
      }),
      {numRuns: 1500},
    )
  })

  it('gives the same verdicts for users with several attempts each, rows in any order', () => {
    // Many rows per user: earlier, later, duplicate and conflicting attempts of one user meet often.
    const manyAttempts = fc.array(
      rowArbitrary.map((row) => ({...row, user: row.user.length % 2 === 0 ? 'alice@example.com' : 'bob'})),
      {
        minLength: 5,
        maxLength: 40,
      },
    )
    fc.assert(
      fc.property(manyAttempts, optionsArbitrary, (drawn, options) => {
        const rows = rowsOf(drawn)
        assert.deepStrictEqual(run(MigrationLedger, rows, options), run(OracleLedger, rows, options))
      }),
      {numRuns: 1000},
    )
  })

  /** A row of code 75 from a.csv, with `fields` set. */
  const tempfail = (fields: Partial<Drawn> & Pick<Drawn, 'user' | 'line'>): Drawn => ({
    code: 75,
    api: null,
    signal: null,
    attempt: null,
    started: null,
    finished: null,
    source: 'a.csv',
    host: null,
    stderr: null,
    unmappedTag: false,
    order: 0,
    ...fields,
  })

  it('shares the reason of a used-up retry budget only between users with as many attempts', () => {
    const retried = (user: string, attempt: 1 | 2 | 3): Drawn => tempfail({user, attempt, line: attempt})
    const rows = rowsOf([retried('u1', 2), retried('u2', 3), retried('u3', 3), retried('u4', 1)])
    const options = {phase: 'intermediate' as const, maxRetries: 2}
    const {verdicts} = run(MigrationLedger, rows, options)
    assert.deepEqual(
      verdicts.map((verdict) => [verdict.action, /\((\d) attempts/.exec(verdict.reason)?.[1] ?? null]),
      [
        ['fail', '2'],
        ['fail', '3'],
        ['fail', '3'],
        ['retry', null],
      ],
    )
    assert.deepStrictEqual(verdicts, run(OracleLedger, rows, options).verdicts)
  })

  // That such users share one string (not just equal ones) is memory, not observable here: this checks the text.
  it("gives users with the same facts the same reason, and quotes a user's stderr line in the reason", () => {
    const rows = rowsOf([
      tempfail({user: 'u1', line: 2, host: 'h'}),
      tempfail({user: 'u2', line: 3, host: 'h'}),
      tempfail({user: 'u3', line: 4, stderr: 'doveadm(u3): Error: disk gone'}),
    ])
    const {verdicts} = run(MigrationLedger, rows, {phase: 'intermediate', maxRetries: null})
    assert.equal(verdicts[0].reason, verdicts[1].reason)
    assert.match(verdicts[2].reason, /; stderr: doveadm\(u3\): Error: disk gone$/)
    assert.deepEqual(verdicts[2].source, {file: 'a.csv', line: 4})
    assert.equal(verdicts[2].host, null)
  })
})
