import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'stats-writer-unavailable',
  kind: 'problem',
  title: 'The stats service does not answer on its stats-writer socket',
  severity: 'medium',
  versions: ['2.3', '2.4'],
  // src/lib-master/stats-client.c: "net_connect_unix(%s) failed: %m" (2.3 :345) and the handshake timeout
  // "Timeout waiting for handshake response" (2.3 :300; 2.4 :326 adds "(waited %lld.%03lld secs...)"), with the
  // connection prefix "conn unix:<path> (pid=..,uid=..): ". Permission denied is stats-writer-eacces.
  literal: 'stats-writer',
  patterns: [
    /net_connect_unix\((?<socket>[^\s()]*stats-writer)\) failed: (?<error>Connection refused|No such file or directory|Resource temporarily unavailable)/,
    /conn unix:(?<socket>[^\s()]*stats-writer) \([^()]*\): (?<error>Timeout waiting for handshake response)/,
  ],
  conditions: {levels: ['error', 'warning']},
  facts: {socket: 'The stats-writer socket path.', error: 'Why the connection failed.'},
  summary: {by: ['error'], format: (f, n) => `${f.error}: ${n} time(s)`},
  explanation:
    'Processes could reach no stats service behind the stats-writer socket: the stats process is not running, ' +
    'hangs, or this process uses another base_dir than the running Dovecot (a doveadm or dovecot-lda run with ' +
    'another configuration, or while Dovecot is stopped). Statistics are lost and, while the connect waits, the ' +
    'process (an IMAP session, a delivery) is slowed down.',
  remedy: [
    'Check that Dovecot and its stats service run: `doveadm service status stats` (2.4) or `ps -C stats` / `doveadm process status`, and look for stats Fatal or killed lines.',
    '"No such file or directory": the process reads another configuration (`-c`) or base_dir than the running Dovecot, or Dovecot was stopped: run it with the same configuration.',
    '"Timeout waiting for handshake": the stats process is overloaded or hung (too many metrics or exporters): restart Dovecot and review `metric` and `event_exporter` settings.',
  ],
  docs: DOCS.lda,
  examples: {
    match: [
      {
        line: 'Nov 30 00:58:30 doveadm: Error: conn unix:/tmp/catalog-lab/run/stats-writer (pid=17398,uid=0): Timeout waiting for handshake response',
        version: '2.3',
        facts: {socket: '/tmp/catalog-lab/run/stats-writer', error: 'Timeout waiting for handshake response'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Error: net_connect_unix(/run/dovecot/stats-writer) failed: Connection refused',
        version: '2.3',
        facts: {error: 'Connection refused'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lda(jdoe)<3456><AbCdEf12>: Error: net_connect_unix(/run/dovecot/stats-writer) failed: No such file or directory',
        version: '2.4',
        facts: {error: 'No such file or directory'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: conn unix:/run/dovecot/stats-writer (pid=812,uid=0): Timeout waiting for handshake response (waited 5.001 secs)',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lda(jdoe)<3456><AbCdEf12>: Error: net_connect_unix(/var/run/dovecot/stats-writer) failed: Permission denied',
        why: 'permission denied is stats-writer-eacces (another cause and remedy)',
        otherRule: 'stats-writer-eacces',
      },
      {line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: stats-writer connection established', why: 'not an error'},
    ],
  },
})
