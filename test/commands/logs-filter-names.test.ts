import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {nearestUsers, unmatchedFilterNote} from '../../src/cli/suggest.js'
import {userMatches} from '../../src/diagnosis/filters.js'
import type {LogsReport} from '../../src/diagnosis/report.js'
import {run, spawnCli} from '../helpers/run.js'

const sample = 'fixtures/sample.log'

describe('--user matches as an admin types it', () => {
  it('case-insensitively, and a bare local part matches that user at any domain', () => {
    assert.equal(userMatches('Bob@Example.com', ['bob@example.com']), true)
    assert.equal(userMatches('bob@example.com', ['bob']), true)
    assert.equal(userMatches('bob@example.org', ['bob']), true)
    assert.equal(userMatches('bobby@example.com', ['bob']), false)
    assert.equal(userMatches('bob@example.com', ['bob@example.org']), false)
    assert.equal(userMatches('bob', ['bob@example.com']), false)
  })

  it('logs --user bob reports bob@example.com, and --user BOB the same', async () => {
    const bare = await run<LogsReport>(['logs', sample, '--user', 'bob', '--json'])
    const upper = await run<LogsReport>(['logs', sample, '--user', 'BOB@EXAMPLE.COM', '--json'])
    // sample.log has 547 records; 27 are bob@example.com's (grep -ci bob: 28 lines, one a backtrace continuation).
    assert.equal(bare.result!.records, 27)
    assert.deepEqual(
      bare.result!.findings.map((f) => [f.rule, f.count, f.affected.users]),
      [['vsz-limit-oom', 2, [{name: 'bob@example.com', count: 2}]]],
    )
    assert.equal(upper.result!.records, 27)
    assert.equal(bare.stderr, '')
  })
})

describe('a filter that matches nothing says so, with the names the log has', () => {
  it('--user and --service values that match no line get did-you-mean on stderr; the others are quiet', async () => {
    const {stderr} = await run(['logs', sample, '--user', 'alcie', '--user', 'bob', '--service', 'imapd', '--json'])
    assert.match(stderr, /--user 'alcie' matched no line: did you mean alice@example\.com\?/)
    assert.match(stderr, /--service 'imapd' matched no line: did you mean imap\?/)
    assert.doesNotMatch(stderr, /'bob'/)
  })

  it('the same with --records', async () => {
    const records = await spawnCli(['logs', sample, '--service', 'imapd', '--records'])
    assert.equal(records.stdout, '')
    assert.match(records.stderr, /--service 'imapd' matched no line: did you mean imap\?/)
  })

  it('with nothing near, some of the names the log has; with no names at all, that', () => {
    assert.equal(
      unmatchedFilterNote({flag: 'user', value: 'zed', seen: ['b@x', 'a@x']}),
      "--user 'zed' matched no line; the log's users include a@x, b@x",
    )
    assert.equal(
      unmatchedFilterNote({flag: 'service', value: 'imap', seen: []}),
      "--service 'imap' matched no line: no line read names any service",
    )
    assert.deepEqual(nearestUsers('jdeo', ['jdoe@a.example', 'jdoe@b.example', 'alice@a.example']), ['jdoe@a.example', 'jdoe@b.example'])
  })

  it('--rule with a typo suggests the nearest rule id', async () => {
    const {stderr, status} = await run(['logs', sample, '--rule', 'panik'])
    assert.equal(status, 64)
    assert.match(stderr, /--rule 'panik' is not a rule id: did you mean panic\?/)
  })
})
