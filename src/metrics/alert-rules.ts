import {stringify} from 'yaml'

import type {Rule} from '../catalog/rule.js'
import {METRICS} from './log-metrics.js'

/** How far back an alert looks for new findings: wider than a few runs of the timer (docs/monitoring.md). */
export const DEFAULT_WINDOW = '15m'

/** Prometheus alert names are identifiers: `DovediagVszLimitOom` for vsz-limit-oom. */
export const alertName = (ruleId: string): string =>
  'Dovediag' +
  ruleId
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('')

// Annotations are Go templates: text from the catalog must not open one.
const literal = (text: string): string => text.replaceAll('{{', '{ {').replaceAll('}}', '} }')

/**
 * Alerting rules for every problem rule of the catalog (and the user's rules): an alert when the rule's
 * findings counter grew within the window, or first appeared in it (a series that did not exist before has
 * no increase() to see) on a host dovediag already ran on a window ago (so that neither the first run's
 * backlog nor a Prometheus that just started scraping alerts on every finding ever counted). Labels: the catalog's severity and the rule id; annotations:
 * the title, the remedy's first step, and the rule's documentation page as the runbook. Two more alerts
 * watch dovediag itself: an input it could not read, and a textfile that stopped being refreshed.
 */
export function prometheusAlertRules(rules: readonly Rule[], window = DEFAULT_WINDOW): string {
  const findings = METRICS.findings.name
  const alerts: Record<string, unknown>[] = rules
    .filter((rule) => rule.kind === 'problem' && rule.severity !== undefined)
    .map((rule) => {
      const series = `${findings}{rule="${rule.id}"}`
      return {
        alert: alertName(rule.id),
        expr: `increase(${series}[${window}]) > 0 or ((${series} unless ${series} offset ${window}) and on(instance) (${METRICS.runTime.name} offset ${window}))`,
        labels: {severity: rule.severity, rule: rule.id},
        annotations: {
          summary: `${literal(rule.title)} on {{ $labels.host }}`,
          description: `dovediag rule ${rule.id} (${rule.severity}): ${literal(rule.explanation)} What to do first: ${literal(rule.remedy?.[0] ?? 'see the runbook.')} Details: dovediag explain ${rule.id}`,
          runbook_url: rule.docs,
        },
      }
    })
  alerts.push(
    {
      alert: 'DovediagInputUnreadable',
      expr: `${METRICS.readable.name} == 0`,
      labels: {severity: 'high'},
      annotations: {
        summary: 'dovediag could not read {{ $labels.input }} on {{ $labels.instance }}',
        description: 'Findings in that log are not being reported. Run dovediag logs by hand on that host to see why.',
      },
    },
    {
      alert: 'DovediagNotRunning',
      expr: `time() - ${METRICS.runTime.name} > 3 * 15 * 60`,
      labels: {severity: 'medium'},
      annotations: {
        summary: "dovediag's textfile on {{ $labels.instance }} was not refreshed for 45 minutes",
        description: 'Check the dovediag timer (systemctl status dovediag.timer) or its cron job.',
      },
    },
  )
  return stringify({groups: [{name: 'dovediag', rules: alerts}]}, {lineWidth: 0})
}
