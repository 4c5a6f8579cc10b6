import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'service-socket-refused',
  kind: 'problem',
  title: 'The auth or anvil service could not be reached',
  severity: 'high',
  literal: ') failed: ',
  patterns: [
    // net_connect_unix() for anvil, auth-master/userdb, auth-worker; the login processes' "connect(<path>)" to auth
    // ("auth: " prefix in 2.2, "auth-client" event prefix in 2.3+), with an EACCES explanation on Permission denied.
    /(?:net_connect_unix|connect)\((?=[^()]*(?:auth|anvil))(?<socket>[^()]*)\) failed: (?<error>Connection refused|No such file or directory|Permission denied)/,
  ],
  conditions: {levels: ['error', 'fatal']},
  facts: {socket: 'The socket.', error: 'Why the connection failed.'},
  summary: {by: ['socket', 'error'], format: (f, n) => `${f.socket}: ${f.error} ${n} time(s)`},
  explanation:
    "A process could not connect to Dovecot's authentication (auth, auth-userdb, auth-master, auth-worker) or anvil " +
    'socket. Without auth nobody can log in or receive mail; without anvil connection limits and penalties stop ' +
    'working. The service is down or crashing, the socket is in another base_dir, or its permissions keep this ' +
    "process's user out.",
  remedy: [
    'Check that the service runs and is not crashing: look earlier in the log for auth or anvil Fatal/Panic lines, and run `doveadm service status`.',
    '"Permission denied": give the process\'s user access in the listener, e.g. `service auth { unix_listener auth-userdb { user = vmail  mode = 0660 } }`.',
    '"No such file or directory": the client uses another base_dir or configuration than the running Dovecot (e.g. dovecot-lda with `-c`), or Dovecot is not running.',
  ],
  docs: DOCS.auth,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Error: auth: connect(auth-client) failed: Connection refused',
        version: '2.2',
        facts: {socket: 'auth-client', error: 'Connection refused'},
      },
      {
        line: 'Nov 23 10:00:00 lda(jdoe): Error: net_connect_unix(/var/run/dovecot/auth-userdb) failed: Permission denied',
        version: '2.2',
        facts: {error: 'Permission denied'},
      },
      {
        line: 'Nov 23 10:00:00 imap-login: Error: net_connect_unix(anvil) failed: No such file or directory',
        version: '2.3',
        facts: {socket: 'anvil'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: auth: Error: Unable to connect worker: net_connect_unix(auth-worker) failed: Connection refused',
        version: '2.4',
        facts: {socket: 'auth-worker'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: net_connect_unix(/run/dovecot/dict) failed: Connection refused',
        why: 'the dict service, not auth or anvil',
      },
    ],
  },
})
