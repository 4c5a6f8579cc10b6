import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {appendFileSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {run} from '../helpers/run.js'
import {skipWithout} from '../helpers/tools.js'

const scratch = () => mkdtempSync(join(tmpdir(), 'dovediag-metrics-'))
const PANIC = (time: string) =>
  `Nov 23 ${time} imap(jdoe)<1234><AbCdEf12>: Panic: file mail-transaction-log-file.c: line 105 (mail_transaction_log_file_free): assertion failed: (!file->locked)`
const SYSLOG_OOM =
  'Nov 23 10:00:01 mail1 dovecot: master: Fatal: service(imap): child 1234 returned error 83 (Out of memory (service imap { vsz_limit=256 MB }, you may need to increase it) - set CORE_OUTOFMEM=1 environment to get core dump)'
const LOGIN = (user: string) =>
  `Nov 23 10:00:03 imap-login: Info: Login: user=<${user}>, method=PLAIN, rip=192.0.2.10, lip=192.0.2.1, mpid=1234, TLS, session=<abcDEF123>`
const AUTH_FAILED = (ip: string) =>
  `Nov 23 10:00:04 imap-login: Info: Disconnected: Connection closed (auth failed, 3 attempts in 12 secs): user=<admin>, method=PLAIN, rip=${ip}, lip=192.0.2.10, TLS, session=<N2WTqyI4bC6dnk/1>`

/** A log with every kind of series: findings on two hosts, lines, logins, failed logins by source, a help-worthy odd line. */
const MIXED = [
  PANIC('10:00:00'),
  SYSLOG_OOM,
  LOGIN('x'),
  ...Array.from({length: 10}, () => AUTH_FAILED('198.51.100.7')),
  'Nov 23 10:00:09 imap(x): Error: something "quoted" \\ odd',
]

/** The samples of an exposition text: series key → value. */
function samples(text: string): Map<string, number> {
  const map = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const at = line.lastIndexOf(' ')
    map.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  return map
}

describe('logs --format prometheus', () => {
  it('counts findings by rule, severity and host, lines by level, service and host, and activity; no user names', async () => {
    const dir = scratch()
    const log = join(dir, 'dovecot.log')
    writeFileSync(
      log,
      [PANIC('10:00:00'), SYSLOG_OOM, LOGIN('alice@example.com'), ...Array.from({length: 12}, () => AUTH_FAILED('198.51.100.7'))].join(
        '\n',
      ) + '\n',
    )
    const {stdout, status} = await run(['logs', log, '--format', 'prometheus'])
    assert.equal(status, 0)
    const s = samples(stdout)
    const host = hostname()
    assert.equal(s.get(`dovediag_findings_total{rule="panic",severity="critical",host="${host}"}`), 1)
    assert.equal(s.get('dovediag_findings_total{rule="vsz-limit-oom",severity="high",host="mail1"}'), 1)
    assert.equal(s.get(`dovediag_log_lines_total{level="panic",service="imap",host="${host}"}`), 1)
    assert.equal(s.get('dovediag_log_lines_total{level="fatal",service="master",host="mail1"}'), 1)
    assert.equal(s.get('dovediag_logins_total'), 1)
    assert.equal(s.get('dovediag_auth_failures_total'), 12)
    assert.equal(s.get('dovediag_auth_failures_by_source_total{source="198.51.100.7"}'), 12)
    assert.equal(s.get('dovediag_deliveries_total'), 0)
    assert.equal(s.get(`dovediag_input_readable{input="${log}"}`), 1)
    assert.equal(
      s.get('dovediag_rule_last_seen_timestamp_seconds{rule="panic",severity="critical"}'),
      Date.UTC(new Date().getUTCFullYear() - (new Date().getUTCMonth() < 10 ? 1 : 0), 10, 23, 10) / 1000,
    )
    assert.ok(s.has('dovediag_run_duration_seconds'))
    assert.doesNotMatch(stdout, /alice|jdoe|admin/)
  })

  it('with --state, counters add up across runs and never go backwards, also over a rotation; --output is atomic', async () => {
    const dir = scratch()
    const log = join(dir, 'dovecot.log')
    const state = join(dir, 'state.json')
    const prom = join(dir, 'textfile', 'dovediag.prom')
    execFileSync('mkdir', ['-p', join(dir, 'textfile')])
    writeFileSync(log, `${PANIC('10:00:00')}\n${LOGIN('a')}\n`)
    const scrape = async () => {
      const {status, stdout} = await run(['logs', log, '--state', state, '--format', 'prometheus', '--output', prom])
      assert.equal(status, 0)
      assert.equal(stdout, '')
      assert.deepEqual(readdirSync(join(dir, 'textfile')), ['dovediag.prom'], 'no temporary file left behind')
      return samples(readFileSync(prom, 'utf8'))
    }
    const panics = (s: Map<string, number>) => s.get(`dovediag_findings_total{rule="panic",severity="critical",host="${hostname()}"}`)
    const one = await scrape()
    assert.deepEqual([panics(one), one.get('dovediag_logins_total')], [1, 1])
    const two = await scrape() // nothing new: the same totals, not zero
    assert.deepEqual([panics(two), two.get('dovediag_logins_total')], [1, 1])
    appendFileSync(log, `${PANIC('11:00:00')}\n`)
    renameSync(log, `${log}.1`)
    writeFileSync(log, `${PANIC('12:00:00')}\n${LOGIN('b')}\n`)
    const three = await scrape()
    assert.deepEqual([panics(three), three.get('dovediag_logins_total')], [3, 2])
    assert.equal(
      three.get('dovediag_rule_last_seen_timestamp_seconds{rule="panic",severity="critical"}')! -
        one.get('dovediag_rule_last_seen_timestamp_seconds{rule="panic",severity="critical"}')!,
      7200,
    )
    assert.equal(three.get('dovediag_counters_since_timestamp_seconds'), one.get('dovediag_counters_since_timestamp_seconds'))
  })
})

describe('logs --format prometheus under the real promtool', {skip: skipWithout('promtool', ['--version'], 'prometheus')}, () => {
  it('passes promtool check metrics (the Prometheus text format node_exporter reads), lint included', async () => {
    const dir = scratch()
    const log = join(dir, 'dovecot.log')
    writeFileSync(log, MIXED.join('\n') + '\n')
    const {stdout} = await run(['logs', log, join(dir, 'missing.log'), '--format', 'prometheus'])
    const out = execFileSync('promtool', ['check', 'metrics'], {input: stdout, encoding: 'utf8'})
    assert.equal(out.trim(), '')
  })
})

/** Gauges of the run itself, which differ between two runs. */
const RUN_GAUGES = /^dovediag_(run_timestamp_seconds|run_duration_seconds|counters_since_timestamp_seconds)$/

describe('logs --format openmetrics', () => {
  it('has the same series and values as --format prometheus, in OpenMetrics 1.0 form: counter families without _total, units, # EOF', async () => {
    const dir = scratch()
    const log = join(dir, 'dovecot.log')
    writeFileSync(log, MIXED.join('\n') + '\n')
    const openmetrics = (await run(['logs', log, '--format', 'openmetrics'])).stdout
    const prometheus = (await run(['logs', log, '--format', 'prometheus'])).stdout
    const steady = (text: string) => [...samples(text)].filter(([key]) => !RUN_GAUGES.test(key))
    assert.ok(steady(openmetrics).length > 10)
    assert.deepEqual(steady(openmetrics), steady(prometheus))

    const lines = openmetrics.trimEnd().split('\n')
    assert.equal(lines.at(-1), '# EOF')
    assert.ok(lines.includes('# TYPE dovediag_findings counter'))
    assert.ok(lines.includes('# TYPE dovediag_auth_failures_by_source counter'))
    assert.ok(lines.includes('# UNIT dovediag_run_duration_seconds seconds'))
    assert.ok(!lines.some((line) => /^# TYPE \S+_total /.test(line)), 'no counter family named with _total')
    assert.ok(prometheus.includes('# TYPE dovediag_findings_total counter'))
    assert.ok(!prometheus.includes('# EOF') && !prometheus.includes('# UNIT'))
  })
})

// Debian's python3-prometheus-client holds a strict OpenMetrics parser (it rejects a missing # EOF, a counter
// family named with _total, a unit its name does not end with...).
const PYTHON = '/usr/bin/python3'
const OPENMETRICS_PARSER = `
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        print(family.type, sample.name, sample.value)
`

describe(
  'logs --format openmetrics under a strict OpenMetrics parser',
  {skip: skipWithout(PYTHON, ['-c', 'import prometheus_client'], 'python3-prometheus-client')},
  () => {
    it('parses whole, counters typed as counters', async () => {
      const dir = scratch()
      const log = join(dir, 'dovecot.log')
      writeFileSync(log, MIXED.join('\n') + '\n')
      const {stdout} = await run(['logs', log, join(dir, 'missing.log'), '--format', 'openmetrics'])
      const parsed = execFileSync(PYTHON, ['-c', OPENMETRICS_PARSER], {input: stdout, encoding: 'utf8'})
      assert.match(parsed, /^counter dovediag_findings_total 1$/m)
      assert.match(parsed, /^counter dovediag_auth_failures_total 10$/m)
      assert.match(parsed, /^gauge dovediag_input_readable 0$/m)
      // The parser really is strict: the same text without its last line is refused.
      assert.throws(() =>
        execFileSync(PYTHON, ['-c', OPENMETRICS_PARSER], {input: stdout.replace('# EOF\n', ''), encoding: 'utf8', stdio: 'pipe'}),
      )
    })
  },
)
