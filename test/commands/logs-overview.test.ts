import assert from 'node:assert/strict'
import {copyFileSync, mkdtempSync, utimesSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, it} from 'node:test'

import {root, run, spawnCli} from '../helpers/run.js'

// A copy of the sample with the mtime of the day it was written: year-less stamps resolve to 2026.
const sample = join(mkdtempSync(join(tmpdir(), 'dovediag-overview-')), 'sample.log')
copyFileSync(resolve(root, 'fixtures/sample.log'), sample)
utimesSync(sample, new Date('2026-11-22T23:00:00Z'), new Date('2026-11-22T23:00:00Z'))

describe('dovediag logs: the first screen', () => {
  it('starts with the overview, then the details and the inputs, and ends with a one-line verdict', async () => {
    const {stdout, status} = await spawnCli(['logs', sample], {env: {TZ: 'UTC', COLUMNS: '80', LANG: 'C.UTF-8'}})
    assert.equal(status, 0)
    const lines = stdout.trimEnd().split('\n')
    assert.equal(lines[0], '11 problems found')
    assert.match(lines[2], /^severity +rule +count +first +last +users +06:25 → 08:12$/)
    assert.match(lines[3], /^CRITICAL +panic +1 +08:00 +08:00 +1 +█$/)
    assert.match(
      stdout,
      /\nhour +errors +failed logins +logins\n06:00 +█+▌? 3 +█+ 9 +█+▋? 25\n07:00 .* 8 .* 10 .* 52\n08:00 .* 2 +0 .* 6\n/,
    )
    // The first screen (24 rows) holds every finding's row and the histogram.
    const firstScreen = lines.slice(0, 24).join('\n')
    assert.match(firstScreen, /^LOW +tls-handshake-failed +22 /m)
    assert.match(firstScreen, /^08:00 /m)
    const order = ['hour  ', 'Details', 'CRITICAL panic  Dovecot crashed', 'For more information:', 'format     dovecot-file'].map((text) =>
      stdout.indexOf(text),
    )
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      `in this order: ${order.join(', ')}`,
    )
    assert.equal(
      lines.at(-1),
      'Verdict: 11 problems (1 critical, 7 high, 2 medium, 1 low); start with panic: Dovecot crashed: Panic or failed assertion.',
    )
  })

  it('--brief prints the overview alone', async () => {
    const {stdout, status} = await run(['logs', sample, '--brief'])
    assert.equal(status, 0)
    assert.match(stdout, /^11 problems found\n\nseverity/)
    assert.match(stdout, /\n08:00 [^\n]*\n$/)
    assert.doesNotMatch(stdout, /Details|what to do|For more information|format {5}|Verdict/)
  })

  it('plain characters where block glyphs cannot be shown, and no escape codes without a terminal', async () => {
    const {stdout} = await spawnCli(['logs', sample, '--brief'], {env: {TZ: 'UTC', LANG: 'C', LC_ALL: ''}})
    assert.doesNotMatch(stdout, /[█▁▂▃▄▅▆▇▏▎▍▌▋▊▉]|\x1b/)
    assert.match(stdout, /^CRITICAL +panic +1 +08:00 +08:00 +1 +@$/m)
    assert.match(stdout, /^07:00 +#+ 8 +#+ 10 +#+ 52$/m)
  })

  it('CRITICAL and HIGH look different in colour', async () => {
    const {stdout} = await spawnCli(['logs', sample, '--brief'], {env: {TZ: 'UTC', FORCE_COLOR: '1'}})
    const critical = stdout.split('\n').find((line) => line.includes('CRITICAL'))!
    const high = stdout.split('\n').find((line) => line.includes('HIGH'))!
    const style = (line: string, word: string) => line.slice(0, line.indexOf(word))
    assert.notEqual(style(critical, 'CRITICAL'), style(high, 'HIGH'))
    assert.match(style(critical, 'CRITICAL'), /\x1b\[41m/, 'critical on a red background')
    const {stdout: plain} = await spawnCli(['logs', sample, '--brief'], {env: {TZ: 'UTC', FORCE_COLOR: '1', NO_COLOR: '1'}})
    assert.doesNotMatch(plain, /\x1b/)
  })

  it('--json holds none of the pictures', async () => {
    const {stdout} = await run(['logs', sample, '--json'])
    const report = JSON.parse(stdout)
    assert.doesNotMatch(stdout, /[█▁▂▃▄▅▆▇]|timeline|sparkline|histogram/)
    // The finding the text overview draws a bar for, as data.
    assert.deepEqual(
      [report.findings[0].rule, report.findings[0].count, report.findings[0].firstSeen, report.findings[0].lastSeen],
      ['panic', 1, '2026-11-22T08:00:08.000Z', '2026-11-22T08:00:08.000Z'],
    )
    assert.deepEqual(Object.keys(report.findings[0]).sort(), [
      'affected',
      'count',
      'docs',
      'evidence',
      'explanation',
      'facts',
      'firstSeen',
      'harmless',
      'lastSeen',
      'maxima',
      'notes',
      'related',
      'remedy',
      'rule',
      'severity',
      'title',
      'variants',
    ])
  })
})

describe('dovediag logs --fail-on', () => {
  it('judges every finding, also those --min-severity and --rule hide, and the report says they are hidden', async () => {
    const hidden = await run(['logs', sample, '--min-severity', 'critical', '--fail-on', 'high'])
    assert.equal(hidden.status, 1)
    assert.match(hidden.stdout, /10 more findings \(7 high, 2 medium, 1 low\) hidden by --min-severity\/--rule/)
    const ruled = await run(['logs', sample, '--rule', 'tls-handshake-failed', '--fail-on', 'critical'])
    assert.equal(ruled.status, 1)
    const none = await run(['logs', resolve(root, 'fixtures/logs/syslog-rfc3339.log'), '--fail-on', 'high'])
    assert.equal(none.status, 0)
  })
})
