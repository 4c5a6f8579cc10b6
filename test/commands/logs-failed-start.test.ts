import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {LogsReport} from '../../src/diagnosis/report.js'
import {spawnCli} from '../helpers/run.js'

// Lines Dovecot 2.3.19 (Debian bookworm) wrote when started with a port already taken (captured in a lab).
const failedStart = 'fixtures/logs/failed-start-2.3.log'

describe('a Dovecot that failed to start', () => {
  it('makes `logs --fail-on high` exit 1, the reason and remedy first', async () => {
    const {stdout, status} = await spawnCli(['logs', failedStart, '--fail-on', 'high'], {env: {NO_COLOR: '1'}})
    assert.equal(status, 1)
    assert.doesNotMatch(stdout, /No known problems/)
    const blocks = stdout.split('\n\n')
    assert.match(blocks[1].split('\n')[1], /^HIGH +fatal-unrecognized /, 'first row of the overview')
    const first = blocks[blocks.indexOf('Details') + 1]
    assert.match(first, /^HIGH/)
    assert.match(first, /Failed to start listeners/)
    assert.match(first, /what to do:/)
  })

  it('counts severe lines no rule knows in the headline: never "No known problems" above them', async () => {
    const {stdout, status} = await spawnCli(['logs', '-', '--fail-on', 'high'], {
      env: {NO_COLOR: '1'},
      input: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: open(/var/vmail/jdoe/x) failed: Input/output error\n',
    })
    assert.equal(status, 0, 'an Error alone is not a finding')
    assert.match(stdout.split('\n')[0], /^No known problems found, but 1 severe line no rule recognizes \(below\)\.$/)
  })

  it('lists the unrecognized Fatal in --json as a finding', async () => {
    const {stdout} = await spawnCli(['logs', failedStart, '--json'])
    const report = JSON.parse(stdout) as LogsReport
    assert.equal(report.findings[0].severity, 'high')
    assert.ok(report.findings[0].evidence.some((e) => e.text.includes('Failed to start listeners')))
  })
})
