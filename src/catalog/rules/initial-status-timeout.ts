import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'initial-status-timeout',
  kind: 'problem',
  title: 'A service did not finish starting and was killed',
  severity: 'high',
  // src/master/service-process.c:271 (2.2), :294 (2.3), :357 (2.4): "Initial status notification not received in %d
  // seconds, killing the process" (SERVICE_FIRST_STATUS_TIMEOUT_SECS = 30), with the "service(%s): " prefix; the
  // master then logs the child "killed with signal 9".
  literal: 'Initial status notification not received',
  patterns: [/^service\((?<service>[\w-]+)\): Initial status notification not received in (?<seconds>\d+) seconds, killing the process/],
  conditions: {levels: ['error']},
  facts: {service: 'The service whose process hung while starting.', seconds: 'How long the master waited.'},
  summary: {by: ['service'], format: (f, n) => `${f.service}: ${n} time(s)`},
  correlations: [
    {
      rule: 'child-killed-signal',
      note: 'Some of the children "killed with signal 9" were killed by the master because they hung at start (initial-status-timeout), not by the kernel.',
    },
  ],
  explanation:
    'A new process of the service did not report itself ready within 30 seconds, so the master killed it (SIGKILL). ' +
    'The process hangs while starting: usually reading its configuration or opening files on slow or hung storage, ' +
    'DNS lookups that time out, or a host so overloaded (CPU, swap) that nothing runs in time.',
  remedy: [
    "Check the host's load and memory at that time (`uptime`, `vmstat`, `dmesg` for hung tasks and OOM kills).",
    'Check what the service opens at start: its config socket, SSL certificates, the mail or index storage (NFS mounts), and that name resolution answers quickly.',
    'If the host is only briefly overloaded, lower the number of processes started at once (`process_min_avail`, `process_limit`) or add capacity.',
  ],
  docs: DOCS.services,
  examples: {
    match: [
      {
        line: 'Apr  9 22:57:38 mail dovecot: master: Error: service(imap-login): Initial status notification not received in 30 seconds, killing the process',
        version: '2.2',
        facts: {service: 'imap-login', seconds: '30'},
      },
      {
        line: 'Dec 11 16:21:35 mx dovecot: master: Error: service(auth): Initial status notification not received in 30 seconds, killing the process',
        version: '2.3',
        facts: {service: 'auth'},
      },
      {
        line: 'Nov 23 10:00:00 master: Error: service(pop3-login): Initial status notification not received in 30 seconds, killing the process',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 master: Warning: service(imap-login): Initial status notification not received in 30 seconds, killing the process',
        why: 'not at Error level',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: Initial status notification not received in folder',
        why: 'not the master message',
      },
    ],
  },
})
