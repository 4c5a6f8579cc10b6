import assert from 'node:assert/strict'
import {appendFileSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {XMLParser} from 'fast-xml-parser'

import {run} from '../helpers/run.js'

const scratch = () => mkdtempSync(join(tmpdir(), 'dovediag-formats-'))

// Real Dovecot wordings (the catalog's samples): a critical, a high, a medium finding, and ordinary lines.
const PANIC =
  'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Panic: file mail-transaction-log-file.c: line 105 (mail_transaction_log_file_free): assertion failed: (!file->locked)'
const OOM =
  'Nov 23 10:00:01 master: Fatal: service(imap): child 1234 returned error 83 (Out of memory (service imap { vsz_limit=256 MB }, you may need to increase it) - set CORE_OUTOFMEM=1 environment to get core dump)'
const CACHE =
  'Nov 23 10:00:02 imap(jdoe)<1234><AbCdEf12>: Error: Corrupted index cache file /var/vmail/jdoe/Maildir/dovecot.index.cache: Cache file too large'
const LOGIN =
  'Nov 23 10:00:03 imap-login: Info: Login: user=<alice@example.com>, method=PLAIN, rip=192.0.2.10, lip=192.0.2.1, mpid=1234, TLS, session=<abcDEF123>'

function log(dir: string, ...lines: string[]): string {
  const path = join(dir, 'dovecot.log')
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

describe('logs --format nagios: a monitoring plugin', () => {
  it('CRITICAL (2) with the counts per severity, the rules, and perfdata', async () => {
    const path = log(scratch(), PANIC, OOM, OOM, CACHE, LOGIN)
    const {stdout, status} = await run(['logs', path, '--format', 'nagios'])
    const [first, ...rest] = stdout.trimEnd().split('\n')
    assert.match(
      first,
      /^DOVEDIAG CRITICAL - 1 critical, 2 high: panic, vsz-limit-oom \| critical=1 high=2 medium=1 low=0 unrecognized=0 records=5$/,
    )
    assert.equal(status, 2)
    assert.ok(rest.some((line) => line.startsWith('medium index-cache-too-large: 1×')))
  })

  it('WARNING (1) at the warning threshold, OK (0) below it, thresholds by severity', async () => {
    const path = log(scratch(), CACHE, LOGIN)
    const warning = await run(['logs', path, '--format', 'nagios'])
    assert.match(warning.stdout, /^DOVEDIAG WARNING - 1 medium: index-cache-too-large \|/)
    assert.equal(warning.status, 1)
    const ok = await run(['logs', path, '--format', 'nagios', '--warning-on', 'high'])
    assert.match(ok.stdout, /^DOVEDIAG OK - 1 finding\(s\) below the warning threshold \(high\) \| /)
    assert.equal(ok.status, 0)
    const critical = await run(['logs', path, '--format', 'nagios', '--critical-on', 'medium'])
    assert.equal(critical.status, 2)
  })

  it('UNKNOWN (3) when an input cannot be read and nothing alerts, or the state file is unusable', async () => {
    const dir = scratch()
    const missing = await run(['logs', join(dir, 'nope.log'), '--format', 'nagios'])
    assert.match(missing.stdout, /^DOVEDIAG UNKNOWN - 1 input\(s\) could not be read: .*nope\.log: not found \|/)
    assert.equal(missing.status, 3)
    const state = join(dir, 'state')
    writeFileSync(state, 'garbage')
    const corrupt = await run(['logs', log(dir, LOGIN), '--format', 'nagios', '--state', state])
    assert.match(corrupt.stdout, /^DOVEDIAG UNKNOWN - state file .* is corrupt/)
    assert.equal(corrupt.status, 3)
  })

  it('with --state, reports only what is new: the next run without new lines is OK', async () => {
    const dir = scratch()
    const path = log(dir, PANIC, LOGIN)
    const state = join(dir, 'state')
    assert.equal((await run(['logs', path, '--format', 'nagios', '--state', state])).status, 2)
    const quiet = await run(['logs', path, '--format', 'nagios', '--state', state])
    assert.match(quiet.stdout, /^DOVEDIAG OK - no known problems in 0 record\(s\) \| .*records=0$/m)
    assert.equal(quiet.status, 0)
    appendFileSync(path, PANIC.replace('10:00:00', '11:00:00') + '\n')
    const again = await run(['logs', path, '--format', 'nagios', '--state', state])
    assert.match(again.stdout, /critical panic: 1× .*\(still happening\)/)
  })
})

describe('logs --format junit and github: CI that replays a log fails on findings', () => {
  it('junit: one failing testcase per finding, input problems as errors, valid XML', async () => {
    const dir = scratch()
    const path = log(dir, PANIC, OOM, OOM, LOGIN)
    const {stdout, status} = await run(['logs', path, join(dir, 'missing.log'), '--format', 'junit', '--fail-on', 'high'])
    assert.equal(status, 1, 'a finding at --fail-on outranks the missing input (docs: the status order)')
    const xml = new XMLParser({ignoreAttributes: false}).parse(stdout)
    const suite = xml.testsuites.testsuite
    assert.equal(suite['@_failures'], '2')
    assert.equal(suite['@_errors'], '1')
    const cases = suite.testcase as {'@_name': string; failure?: {'@_type': string; '@_message': string}}[]
    assert.deepEqual(
      cases.map((c) => c['@_name']),
      ['panic', 'vsz-limit-oom', `input problem 1: ${join(dir, 'missing.log')}`],
    )
    assert.equal(cases[1].failure!['@_message'], 'high: 2× A Dovecot process ran out of memory (vsz_limit)')
  })

  it('junit: a clean log is one passing testcase', async () => {
    const {stdout, status} = await run(['logs', log(scratch(), LOGIN), '--format', 'junit'])
    assert.equal(status, 0)
    assert.match(stdout, /tests="1" failures="0" errors="0"/)
    assert.match(stdout, /<testcase classname="dovediag.logs" name="no known problems">/)
  })

  it('github: one annotation per rule on its evidence line, levels by severity, capped per level, step summary', async () => {
    const dir = scratch()
    const path = log(dir, PANIC, OOM, OOM, CACHE)
    const summary = join(dir, 'summary.md')
    process.env.GITHUB_STEP_SUMMARY = summary
    try {
      const {stdout} = await run(['logs', path, '--format', 'github'])
      const lines = stdout.trimEnd().split('\n')
      assert.equal(lines.length, 3)
      assert.ok(lines[0].startsWith(`::error file=${path},line=1,title=critical%3A panic`))
      assert.ok(lines[1].startsWith(`::error file=${path},line=2,title=high%3A vsz-limit-oom`))
      assert.ok(lines[2].startsWith(`::warning file=${path},line=4,title=medium%3A index-cache-too-large`))
      assert.match(lines[1], /::2× .*%0AWhat to do: /)
      assert.match(readFileSync(summary, 'utf8'), /vsz-limit-oom/)
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY
    }
  })
})
