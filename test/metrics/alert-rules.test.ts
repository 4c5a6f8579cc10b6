import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {parse, stringify} from 'yaml'

import {RULES} from '../../src/catalog/index.js'
import {alertName} from '../../src/metrics/alert-rules.js'
import {run} from '../helpers/run.js'
import {skipWithout} from '../helpers/tools.js'

interface AlertRule {
  alert: string
  expr: string
  labels: Record<string, string>
  annotations: Record<string, string>
}

async function exported(): Promise<{text: string; rules: AlertRule[]}> {
  const {stdout, status} = await run(['rules', '--export', 'prometheus'])
  assert.equal(status, 0)
  return {text: stdout, rules: (parse(stdout) as {groups: {rules: AlertRule[]}[]}).groups[0].rules}
}

describe('rules --export prometheus', () => {
  it('one alert per problem rule: severity label, summary, first remedy step, doc page as runbook', async () => {
    const {rules} = await exported()
    const problems = RULES.filter((rule) => rule.kind === 'problem')
    assert.equal(rules.filter((rule) => rule.labels.rule !== undefined).length, problems.length)
    for (const rule of problems) {
      const alert = rules.find((candidate) => candidate.alert === alertName(rule.id))!
      assert.equal(alert.labels.severity, rule.severity, rule.id)
      assert.ok(alert.annotations.summary.startsWith(rule.title.replaceAll('{{', '{ {')), rule.id)
      assert.ok(
        alert.annotations.description.includes(`What to do first: ${rule.remedy![0].replaceAll('{{', '{ {').replaceAll('}}', '} }')}`),
        rule.id,
      )
      assert.equal(alert.annotations.runbook_url, rule.docs)
      assert.ok(alert.expr.includes(`dovediag_findings_total{rule="${rule.id}"}`))
    }
    assert.deepEqual(new Set(rules.map((rule) => rule.alert)).size, rules.length, 'alert names are unique')
  })

  it("disk-full's alert, written out as a Prometheus admin reads it (not rebuilt from the catalog)", async () => {
    const {text} = await exported()
    const lines = text.split('\n')
    const start = lines.indexOf('      - alert: DovediagDiskFull')
    const end = lines.findIndex((line, i) => i > start && line.startsWith('      - alert: '))
    assert.deepEqual(lines.slice(start, end), [
      '      - alert: DovediagDiskFull',
      '        expr: increase(dovediag_findings_total{rule="disk-full"}[15m]) > 0 or ((dovediag_findings_total{rule="disk-full"} unless dovediag_findings_total{rule="disk-full"} offset 15m) and on(instance) (dovediag_run_timestamp_seconds offset 15m))',
      '        labels:',
      '          severity: critical',
      '          rule: disk-full',
      '        annotations:',
      '          summary: The mail storage is out of space on {{ $labels.host }}',
      '          description: "dovediag rule disk-full (critical): A write failed because the file system is full (or out of inodes). Deliveries fail, mails cannot be moved or flagged, and index updates are silently dropped (Dovecot does not log those), so more users are affected than this count shows. What to do first: Check space and inodes on the mail storage: `df -h` and `df -i` on the file systems in the paths shown. Details: dovediag explain disk-full"',
      '          runbook_url: https://doc.dovecot.org/latest/core/plugins/quota.html',
    ])
  })

  it('rejects a window that is not a Prometheus duration', async () => {
    const {status, stderr} = await run(['rules', '--export', 'prometheus', '--window', 'soon'])
    assert.equal(status, 64)
    assert.match(stderr, /not a Prometheus duration/)
  })
})

describe('rules --export prometheus under the real promtool', {skip: skipWithout('promtool', ['--version'], 'prometheus')}, () => {
  it('promtool check rules, and promtool test rules: a critical, a high and a low rule fire when their counter appears or grows, and only then', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovediag-alerts-'))
    const {text, rules} = await exported()
    writeFileSync(join(dir, 'dovediag.yml'), text)
    assert.match(execFileSync('promtool', ['check', 'rules', join(dir, 'dovediag.yml')], {encoding: 'utf8'}), /SUCCESS: \d+ rules found/)

    const instance = {instance: 'mail1:9100', job: 'node'}
    const series = (labels: Record<string, string>) =>
      `dovediag_findings_total{${Object.entries({...labels, ...instance})
        .map(([k, v]) => `${k}="${v}"`)
        .join(',')}}`
    const expected = (rule: string, severity: string) => {
      const alert = rules.find((candidate) => candidate.labels.rule === rule)!
      return [
        {
          exp_labels: {rule, severity, host: 'mail1', ...instance},
          exp_annotations: {...alert.annotations, summary: alert.annotations.summary.replace('{{ $labels.host }}', 'mail1')},
        },
      ]
    }
    const at = (minutes: number, rule: string, severity: string, fires: boolean) => ({
      eval_time: `${minutes}m`,
      alertname: alertName(rule),
      exp_alerts: fires ? expected(rule, severity) : [],
    })
    // One sample every 5 minutes, as a timer would refresh the textfile; the window is 15 minutes.
    const tests = {
      rule_files: ['dovediag.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '5m',
          input_series: [
            {
              series: `dovediag_run_timestamp_seconds{${Object.entries(instance)
                .map(([k, v]) => `${k}="${v}"`)
                .join(',')}}`,
              values: '0+300x12',
            },
            // critical: appears at 30m (dovediag ran for a while already), then stays
            {series: series({rule: 'panic', severity: 'critical', host: 'mail1'}), values: '_ _ _ _ _ _ 1 1 1 1 1 1 1'},
            // high: counted since the first run (the backlog: no alert), grows at 20m
            {series: series({rule: 'vsz-limit-oom', severity: 'high', host: 'mail1'}), values: '2 2 2 2 5 5 5 5 5 5 5 5 5'},
            // low: steady, then grows at 50m
            {series: series({rule: 'quota-exceeded', severity: 'low', host: 'mail1'}), values: '4 4 4 4 4 4 4 4 4 4 7 7 7'},
          ],
          alert_rule_test: [
            at(5, 'panic', 'critical', false),
            at(30, 'panic', 'critical', true),
            at(40, 'panic', 'critical', true),
            at(50, 'panic', 'critical', false),
            at(5, 'vsz-limit-oom', 'high', false),
            at(15, 'vsz-limit-oom', 'high', false),
            at(20, 'vsz-limit-oom', 'high', true),
            at(40, 'vsz-limit-oom', 'high', false),
            at(10, 'quota-exceeded', 'low', false),
            at(45, 'quota-exceeded', 'low', false),
            at(50, 'quota-exceeded', 'low', true),
          ],
        },
      ],
    }
    writeFileSync(join(dir, 'tests.yml'), stringify(tests, {lineWidth: 0}))
    const out = execFileSync('promtool', ['test', 'rules', join(dir, 'tests.yml')], {encoding: 'utf8', cwd: dir})
    assert.match(out, /SUCCESS/)
  })
})
