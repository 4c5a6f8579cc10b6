import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'auth-handshake-timeout',
  kind: 'problem',
  title: 'Login processes got no answer from the auth service',
  severity: 'high',
  // src/lib-auth/auth-server-connection.c:415 (2.2), src/lib-auth/auth-client-connection.c:471 (2.3),
  // src/lib-auth-client/auth-client-connection.c:527 (2.4): "Timeout waiting for handshake from auth server. my pid=%u, input bytes=%"PRIuUOFF_T.
  // 2.3+ put the connection's event prefix first ("auth-client: conn unix:login (pid=112,uid=0): ").
  literal: 'Timeout waiting for handshake from auth server',
  patterns: [/Timeout waiting for handshake from auth server\. my pid=(?<pid>\d+), input bytes=(?<bytes>\d+)/],
  conditions: {levels: ['error']},
  facts: {pid: 'The login process that waited.', bytes: 'Bytes it had received from auth (0: auth never answered at all).'},
  summary: {by: ['bytes'], format: (f, n) => `${n} time(s) with ${f.bytes} byte(s) received from auth`},
  correlations: [
    {
      rule: 'auth-process-broken',
      note: 'auth-handshake-timeout and auth-process-broken happened together: one cause. The auth service does not answer, so logins wait and are then dropped.',
    },
  ],
  explanation:
    'A login process (imap-login, pop3-login, submission-login, managesieve-login) connected to the auth service ' +
    'but auth never completed its handshake. While this lasts nobody can log in. Auth is hung or busy: usually its ' +
    'passdb/userdb backend (SQL, LDAP, a remote API) does not answer, or auth is being killed and restarted.',
  remedy: [
    'Look just before these lines for the auth service\'s own errors (passdb/userdb connection failures, "Initial status notification not received", auth Fatal or killed lines) and fix that first.',
    'Check that the backend answers from this host (`mysql`/`psql`/`ldapsearch` with the credentials in the passdb config) and that DNS for it resolves quickly.',
    'Then check `doveadm auth test <user>`: it must answer within a second or two.',
  ],
  docs: DOCS.auth,
  examples: {
    match: [
      {
        line: 'Aug 22 23:11:54 00d7ef713a86 dovecot: imap-login: Error: Timeout waiting for handshake from auth server. my pid=393, input bytes=0',
        version: '2.2',
        facts: {pid: '393', bytes: '0'},
      },
      {
        line: 'Dec 11 16:21:05 mx dovecot: managesieve-login: Error: auth-client: conn unix:login (pid=112,uid=0): Timeout waiting for handshake from auth server. my pid=122, input bytes=0',
        version: '2.3',
        facts: {pid: '122'},
      },
      {
        line: 'Nov 23 10:00:00 imap-login: Error: auth-client: conn unix:auth-client (pid=812,uid=0): Timeout waiting for handshake from auth server. my pid=2345, input bytes=0',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap-login: Info: Timeout waiting for handshake from auth server. my pid=2345, input bytes=0',
        why: 'Info: quoted by a debug line, not the error',
      },
      {
        line: 'Nov 23 10:00:00 imap-login: Error: Timeout waiting for handshake from auth server was logged earlier',
        why: 'not the handshake message with pid and bytes',
      },
    ],
  },
})
