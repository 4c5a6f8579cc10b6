import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {LogsReport} from '../../src/diagnosis/report.js'
import {spawnCli} from '../helpers/run.js'

// Lines Dovecot 2.3.19 (Debian bookworm) wrote when started with a port already taken (captured in a lab).
const failedStart = 'fixtures/logs/failed-start-2.3.log'

describe('a Dovecot that failed to start', () => {
  it("makes `logs --fail-on high` exit 1, the reason and remedy first, the master's Fatal attached to its cause", async () => {
    const {stdout, status} = await spawnCli(['logs', failedStart, '--fail-on', 'high'], {env: {NO_COLOR: '1'}})
    assert.equal(status, 1)
    assert.doesNotMatch(stdout, /No known problems|unrecognized/)
    const blocks = stdout.split('\n\n')
    assert.match(blocks[1].split('\n')[1], /^CRITICAL +listen-failed /, 'first row of the overview')
    const first = blocks[blocks.indexOf('Details') + 1]
    assert.match(first, /^CRITICAL listen-failed/)
    assert.match(first, /imap-login: 127\.0\.0\.1:14143: Address already in use: 2 time\(s\)/)
    assert.match(first, /followed by \(2 lines from the same process\):\n.*failed-start-2\.3\.log:4 .*Failed to start listeners/)
    assert.match(first, /what to do \(in-use, 2×\).*\n.*ss -ltnp/)
  })

  it("reads a start that doveconf refused, and systemd's exit status 89, from syslog", async () => {
    const {stdout, status} = await spawnCli(['logs', 'fixtures/logs/failed-start-syslog.log', '--fail-on', 'high', '--json'])
    assert.equal(status, 1)
    const report = JSON.parse(stdout) as LogsReport
    assert.deepEqual(
      report.findings.map((f) => [f.rule, f.severity, f.count]),
      [
        ['config-error', 'critical', 2],
        ['dovecot-exit-status', 'critical', 2],
      ],
    )
    assert.deepEqual(report.findings[0].variants.map((v) => v.id).sort(), ['missing-file', 'unknown-setting'])
    assert.match(report.findings[1].notes.join(' '), /config-error/)
    assert.deepEqual(report.unrecognized, [])
  })

  it('counts severe lines no rule knows in the headline: never "No known problems" above them', async () => {
    const {stdout, status} = await spawnCli(['logs', '-', '--fail-on', 'high'], {
      env: {NO_COLOR: '1'},
      input: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: open(/var/vmail/jdoe/x) failed: Input/output error\n',
    })
    assert.equal(status, 0, 'an Error alone is not a finding')
    assert.match(stdout.split('\n')[0], /^No known problems found, but 1 severe line no rule recognizes \(below\)\.$/)
  })

  it('makes a Fatal no rule knows a high finding in --json', async () => {
    const {stdout, status} = await spawnCli(['logs', '-', '--json', '--fail-on', 'high'], {
      input: "Nov 23 10:00:00 mail1 dovecot: auth: Fatal: Unknown passdb driver 'sqll'\n",
    })
    assert.equal(status, 1)
    const report = JSON.parse(stdout) as LogsReport
    assert.deepEqual(
      report.findings.map((f) => [f.rule, f.severity]),
      [['fatal-unrecognized', 'high']],
    )
    assert.deepEqual(report.findings[0].facts, ["auth: Fatal: Unknown passdb driver '*': 1 time(s)"])
  })
})
