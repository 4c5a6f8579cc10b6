import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'process-limit-reached',
  kind: 'problem',
  title: 'A service reached its process, client or file-descriptor limit',
  severity: 'high',
  literal: '_limit',
  patterns: [
    // 2.2/2.3 "service(imap): ..." in the text; 2.4 the same prefix comes from the service's event.
    /^(?:service\((?<service>[^)]+)\): )?(?<limit>process_limit|client_limit\/service_count|client_limit\/restart_request_count|client_limit) \((?<value>\d+)\) reached, client connections are being dropped/,
    // A login process handing a client to a mail process that closed the socket: what users hit when the
    // mail service is full (2.2.36+/2.3 through conn_error, 2.4 with the same text and prefix).
    /^master\((?<service>[^)]+)\): read\(\) failed: (?<closed>Remote closed connection) \(destination service \{ (?<limit>process_limit) \} reached\?\)/,
  ],
  conditions: {levels: ['warning', 'error']},
  facts: {
    service: 'The service that is full.',
    limit: 'Which limit: process_limit, client_limit, client_limit/service_count (client_limit/restart_request_count in 2.4).',
    value: 'The configured limit.',
    closed: "A login process found the mail service's socket closed on it (the limit is Dovecot's guess).",
  },
  summary: {
    by: ['service', 'limit', 'value'],
    format: (f, n) =>
      f.closed
        ? `${f.service} closed connections handed over by login processes (process_limit reached?) ${n} time(s)`
        : `${f.service ?? 'a service'} reached ${f.limit} (${f.value}) ${n} time(s)`,
  },
  variants: [
    {
      id: 'login-handoff-closed',
      whenFact: 'closed',
      explanation:
        'Login processes passed authenticated clients to the mail service, which closed the connection: the client was dropped. ' +
        'Dovecot suspects the service\'s process_limit; look for the matching "process_limit (N) reached" warning.',
      remedy: [
        'Raise `process_limit` of the named service (`service imap { process_limit = ... }`) if the host has the memory for it.',
        'If the limit was not reached, look for mail processes dying at start (Fatal lines, vsz_limit, permissions) at the same times.',
      ],
    },
  ],
  explanation:
    'The master refused to start more processes (or the processes took no more clients), so new connections were ' +
    'dropped: users saw refused or hanging logins. When it shows up together with net_connect_unix EAGAIN errors ' +
    'it is the same cause. It is logged at most once a second, so the real number of dropped connections is higher.',
  remedy: [
    'Raise the limit of the named service (`service imap { process_limit = ... }`), checking that the host has memory for that many processes.',
    'If processes pile up, find out why they are slow: storage latency, lock waits (see lock-timeout), authentication backends.',
    'Keep `client_limit = 1` for mail services (imap, pop3, lmtp); for login services in high-performance mode raise `client_limit` and `process_min_avail` instead.',
  ],
  correlations: [
    {
      rule: 'net-connect-unix-eagain',
      note: 'net-connect-unix-eagain and process-limit-reached happened together: one cause. The service hit its limit, new connections queued on its socket until the kernel refused them. Fix the limit first.',
    },
  ],
  docs: DOCS.errors('unix-socket-resource-temporarily-unavailable'),
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Warning: service(imap): process_limit (100) reached, client connections are being dropped',
        version: '2.2',
        facts: {service: 'imap', limit: 'process_limit', value: '100'},
      },
      {
        line: 'Nov 23 10:00:00 master: Warning: service(imap-login): client_limit/service_count (1) reached, client connections are being dropped',
        version: '2.3',
        facts: {limit: 'client_limit/service_count'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Warning: service(pop3): client_limit (1000) reached, client connections are being dropped',
        version: '2.3',
      },
      {
        line: 'Nov 23 10:00:00 master: Warning: service(imap): process_limit (1024) reached, client connections are being dropped',
        version: '2.4',
        facts: {value: '1024'},
      },
      {
        line: 'Nov 23 10:00:00 master: Warning: service(imap-login): client_limit/restart_request_count (1) reached, client connections are being dropped',
        version: '2.4',
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Error: master(imap): read() failed: Remote closed connection (destination service { process_limit } reached?) (client-pid=27191, client-id=4, rip=198.51.100.8, created 3 msecs ago, received 0/24 bytes)',
        version: '2.3',
        facts: {service: 'imap', limit: 'process_limit', closed: 'Remote closed connection'},
        variant: 'login-handoff-closed',
      },
      {
        line: 'Nov 23 10:00:00 imap-login: Error: master(pop3): read() failed: Remote closed connection (destination service { process_limit } reached?) (client-pid=27191, client-id=4, rip=2001:db8::8, created 3 msecs ago, received 0/24 bytes)',
        version: '2.4',
        facts: {service: 'pop3'},
        variant: 'login-handoff-closed',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=5, msgid=<a5@example.com>, size=600, subject=process_limit (100) reached, client connections are being dropped',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
