import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'startup-limits-low',
  kind: 'problem',
  title: 'At start, Dovecot found limits too low for its full load',
  severity: 'low',
  // src/master/master-settings.c (2.2 :604, 2.3 :632, 2.4 :863), checked when the configuration is read (so also printed
  // by doveconf and the config process): "fd limit (ulimit -n) is lower than required under max. load (%u < %u), because
  // of %s"; "service auth { client_limit=%u } is lower than required under max. load (%u)" (2.3+ adds ". Counted for
  // protocol services with service_count != 1: ..."), and the same for anvil ("Counted with: ...").
  literal: 'is lower than required under max. load',
  patterns: [
    /^fd limit \(ulimit -n\) is lower than required under max\. load \((?<fdLimit>\d+) < (?<required>\d+)\), because of (?<source>[^\n]+)$/,
    /^service (?<service>auth|anvil) \{ client_limit=(?<value>\d+) \} is lower than required under max\. load \((?<required>\d+)\)/,
  ],
  conditions: {levels: ['warning']},
  facts: {
    fdLimit: "The master's file descriptor limit (ulimit -n) at startup.",
    service: 'The service whose client_limit is too low (auth or anvil).',
    value: 'Its client_limit.',
    required: 'What the configuration may need at full load.',
    source: 'The setting that needs that many descriptors.',
  },
  summary: {
    by: ['fdLimit', 'service', 'value', 'required'],
    format: (f, n) =>
      f.fdLimit
        ? `fd limit ${f.fdLimit} < ${f.required} needed: ${n} time(s)`
        : `service ${f.service} { client_limit=${f.value} } < ${f.required} needed: ${n} time(s)`,
  },
  variants: [
    {
      id: 'fd-limit',
      whenFact: 'fdLimit',
      explanation: 'The master started with fewer file descriptors than the configuration needs at full load.',
      remedy: [
        "Raise the master's descriptor limit: `LimitNOFILE=` in a dovecot systemd drop-in (`systemctl edit dovecot`), or `ulimit -n` in the init script; Dovecot does not use the dovecot user's or PAM's limits.",
        'Check the running value with `cat /proc/$(pidof dovecot)/limits`.',
      ],
    },
  ],
  explanation:
    'When it reads its configuration Dovecot adds up how many connections the login and mail services may open at ' +
    'once and warns that a limit is below that sum. Nothing has been refused yet: it is a sizing warning, printed at ' +
    'every start and reload (and by doveconf). If the load ever reaches the sum, auth or anvil will refuse connections ' +
    '(see process-limit-reached).',
  remedy: [
    'Raise the named limit to the number in parentheses: `service auth { client_limit = <n> }` or `service anvil { client_limit = <n> }`.',
    'Or lower what it is counted from (the services\' process_limit listed after "Counted ..."), if that many logins at once are not expected.',
  ],
  harmless: 'On a server that never comes near the configured process limits: it only says what full load would need.',
  docs: DOCS.services,
  examples: {
    match: [
      {
        line: 'Nov 30 00:57:53 master: Warning: service auth { client_limit=10 } is lower than required under max. load (200). Counted for protocol services with service_count != 1: service imap-urlauth-login { process_limit=100 } + service imap-login { process_limit=100 }',
        version: '2.3',
        facts: {service: 'auth', value: '10', required: '200'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Warning: fd limit (ulimit -n) is lower than required under max. load (1024 < 10000), because of service imap-login { client_limit }',
        version: '2.3',
        facts: {fdLimit: '1024', required: '10000'},
        variant: 'fd-limit',
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Warning: service auth { client_limit=1000 } is lower than required under max. load (1280)',
        version: '2.2',
        facts: {required: '1280'},
      },
      {
        line: 'Nov 23 10:00:00 config: Warning: service anvil { client_limit=1000 } is lower than required under max. load (1127). Counted with: service imap-login { process_limit=512 } + service pop3-login { process_limit=512 }',
        version: '2.4',
        facts: {service: 'anvil'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 master: Info: service auth { client_limit=1000 } is lower than required under max. load (1280)',
        why: 'not a warning (quoted)',
      },
      {
        line: 'Nov 23 10:00:00 master: Warning: service imap { process_limit=100 } is lower than required under max. load soon',
        why: 'not one of the startup checks',
      },
    ],
  },
})
