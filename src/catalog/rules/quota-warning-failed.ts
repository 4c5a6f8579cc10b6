import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'quota-warning-failed',
  kind: 'problem',
  title: 'Quota warnings were not sent: the quota-warning service or its script failed',
  severity: 'medium',
  // The quota plugin runs the warning through a socket, by convention named quota-warning (the documented example; a
  // socket or service named otherwise is not recognized here). Connecting: 2.2 src/plugins/quota/quota.c "quota:
  // net_connect_unix(%s) failed: %m" (or eacces_error_get's text), 2.3 lib-program-client "program unix:<socket>:
  // net_connect_unix(<socket>) failed: %m", 2.4 the same under the "execute <socket>: " prefix. The script's own
  // failure: src/master/service-process.c (2.2-2.4) "service(%s): child %s returned error %d[ (%s)]", logged under the
  // child's prefix ("quota-warning: Fatal: master: service(quota-warning): ..."), 84 "(exec() failed)" when the script
  // cannot be run.
  literal: 'quota-warning',
  patterns: [
    /net_connect_unix\((?<socket>[^\s()]*quota-warning[\w.-]{0,32})\) failed: (?<error>[A-Za-z][A-Za-z ]*[a-z])/,
    /service\((?<service>[\w-]*quota-warning[\w-]*)\): child \d+ (?:returned error (?<status>\d+)(?: \((?<statusText>[^()]*(?:\(\)[^()]*)?)\))?|killed with signal (?<signal>\d+))/,
  ],
  conditions: {levels: ['error', 'fatal']},
  facts: {
    socket: 'The quota-warning socket the mail process could not reach.',
    error: 'Why it could not (No such file or directory: no such service; Permission denied: the listener keeps the user out).',
    service: 'The warning service whose script failed.',
    status: "The script's exit status (84: it could not be executed; 75: the dovecot-lda it calls deferred).",
    statusText: "Dovecot's name for the status.",
    signal: 'The signal that killed the script.',
  },
  summary: {
    by: ['socket', 'error', 'service', 'status', 'signal'],
    format: (f, n) =>
      f.socket
        ? `${f.socket}: ${f.error}: ${n} time(s)`
        : `${f.service} script ${f.signal ? `killed with signal ${f.signal}` : `exited ${f.status}${f.statusText ? ` (${f.statusText})` : ''}`}: ${n} time(s)`,
  },
  variants: [
    {
      id: 'no-service',
      whenFact: 'socket',
      explanation: 'The mail process could not connect to the warning socket: no service listens there, or its listener refuses this user.',
      remedy: [
        "Define the service the quota_warning setting names, with a listener the mail user may use: `service quota-warning { executable = script /usr/local/bin/quota-warning.sh  user = vmail  unix_listener quota-warning { user = vmail  mode = 0600 } }` (2.4: the socket is named in the `quota_warning` filter's `execute`).",
        'The quota_warning value is a socket name, not a script path: `quota_warning = storage=95%% quota-warning 95 %u`.',
      ],
    },
  ],
  explanation:
    'When a delivery or a save crosses a quota_warning limit, the quota plugin asks the warning service to run its ' +
    'script (usually one that mails the user). Here that failed, so users get no warning before their mailbox is ' +
    'full; the mail itself is still delivered.',
  remedy: [
    'Run the script by hand as the service user with the same arguments (`sudo -u vmail /usr/local/bin/quota-warning.sh 95 user@example.com`): it must exist, be executable and exit 0.',
    'Exit 84 means the script could not be executed (path in `executable = script ...`, the #! line, permissions); 75 usually means the dovecot-lda it calls could not deliver the warning (run it as the right user, see setuid-setgid-failed).',
  ],
  docs: DOCS.quota,
  examples: {
    match: [
      {
        // Captured from Debian's Dovecot 2.3.19.1: the script exited 3.
        line: 'Nov 30 03:58:04 quota-warning: Fatal: master: service(quota-warning): child 4397 returned error 3',
        version: '2.3',
        facts: {service: 'quota-warning', status: '3'},
      },
      {
        // Captured likewise: executable = script pointing at a missing file.
        line: 'Nov 30 03:58:14 quota-warning: Fatal: master: service(quota-warning): child 4581 returned error 84 (exec() failed)',
        version: '2.3',
        facts: {status: '84', statusText: 'exec() failed'},
      },
      {
        line: 'Oct 26 10:00:00 mail dovecot: quota-warning: Fatal: master: service(quota-warning): child 4801 returned error 75',
        version: '2.3',
        facts: {status: '75'},
      },
      {
        // Captured likewise: quota_warning names a socket no service listens on.
        line: 'Nov 30 03:58:12 lda(jdoe4)<4556><jp54NFT0DGvMEQAAg+zDdQ>: Error: program unix:/run/dovecot/quota-warning: net_connect_unix(/run/dovecot/quota-warning) failed: No such file or directory',
        version: '2.3',
        facts: {socket: '/run/dovecot/quota-warning', error: 'No such file or directory'},
        variant: 'no-service',
      },
      {
        line: 'Nov 30 03:58:20 lda(jdoe6)<4721><v/wkJVz0DGtxEgAAg+zDdQ>: Error: program unix:/run/dovecot/quota-warning: net_connect_unix(/run/dovecot/quota-warning) failed: Permission denied (euid=65534(nobody) egid=65534(nogroup) missing +r perm: /run/dovecot/quota-warning, dir owned by 0:0 mode=0755)',
        version: '2.3',
        facts: {error: 'Permission denied'},
        variant: 'no-service',
      },
      {
        line: 'Oct 11 16:49:42 debian-10-amd64 dovecot: lda(test@example.com): Error: quota: net_connect_unix(/var/run/dovecot/quota-warning) failed: Connection refused',
        version: '2.2',
        facts: {error: 'Connection refused'},
      },
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Error: execute quota-warning: net_connect_unix(/run/dovecot/quota-warning) failed: No such file or directory',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Debug: quota: quota-warning: Executing because: storage=95%',
        why: 'a debug line about a warning being run',
      },
      {
        line: 'Nov 23 10:00:00 master: Info: service(quota-warning): child 4397 exited normally after sending the quota-warning',
        why: 'an Info line, no error status',
      },
    ],
  },
})
