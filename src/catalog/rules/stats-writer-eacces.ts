import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'stats-writer-eacces',
  kind: 'problem',
  title: 'A process may not connect to the stats-writer socket',
  severity: 'low',
  versions: ['2.3', '2.4'],
  literal: 'stats-writer',
  patterns: [/net_connect_unix\((?<socket>[^\s()]*stats-writer)\) failed: (?<error>Permission denied)/],
  conditions: {levels: ['error', 'warning']},
  facts: {socket: 'The stats-writer socket path.', error: 'Why the connection failed.'},
  summary: {by: ['error'], format: (f, n) => `${f.error}: ${n} time(s)`},
  explanation:
    "A process running as another user than Dovecot's own (dovecot-lda started by the MTA, doveadm or a script " +
    'run as a normal user) cannot open the stats-writer socket. Its statistics are lost; mail is still delivered.',
  remedy: [
    'Let that user reach the socket: `service stats { unix_listener stats-writer { user = vmail  group = vmail  mode = 0660 } }` (use the user or group the process runs as).',
    'Or run the process as the Dovecot mail user, e.g. deliver with LMTP instead of dovecot-lda.',
  ],
  harmless: "When you do not use Dovecot's statistics: nothing but these lines is affected.",
  docs: DOCS.lda,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lda(jdoe)<3456><AbCdEf12>: Error: net_connect_unix(/var/run/dovecot/stats-writer) failed: Permission denied',
        version: '2.3',
        facts: {socket: '/var/run/dovecot/stats-writer', error: 'Permission denied'},
      },
      {line: 'Nov 23 10:00:00 doveadm(jdoe): Error: net_connect_unix(/run/dovecot/stats-writer) failed: Permission denied', version: '2.3'},
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lda(jdoe)<3456><AbCdEf12>: Error: net_connect_unix(/run/dovecot/stats-writer) failed: Permission denied',
        version: '2.4',
        facts: {error: 'Permission denied'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: net_connect_unix(/run/dovecot/stats-writer) failed: Connection refused',
        why: 'the stats service is down, not a permission problem',
        otherRule: 'stats-writer-unavailable',
      },
    ],
  },
})
