import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'auth-process-broken',
  kind: 'problem',
  title: 'Clients were disconnected because the auth process never became ready',
  severity: 'high',
  // src/login-common/main.c:300 (2.3), :220 (2.4): clients_destroy_all_reason("Auth process broken") when auth
  // disconnects before ever answering; the login line reads "Disconnected: Auth process broken (disconnected before
  // auth was ready, waited N secs)" (2.4: "Login aborted: ..."). Clients are told "* BYE Auth process broken".
  literal: 'Auth process broken',
  // Only as the login's reason for dropping the client: the same words elsewhere (a mail_log subject=) are not it.
  patterns: [/(?:Disconnected|Login aborted): Auth process broken(?: \(disconnected before auth was ready, waited (?<waited>\d+) secs\))?/],
  conditions: {levels: ['info', 'error']},
  facts: {waited: 'How long the client had waited, in seconds.'},
  summary: {by: [], format: (_f, n) => `${n} client(s) dropped`, max: [{fact: 'waited', label: 'longest wait', unit: 'seconds'}]},
  correlations: [
    {
      rule: 'auth-handshake-timeout',
      note: 'auth-handshake-timeout and auth-process-broken happened together: one cause. The auth service does not answer, so logins wait and are then dropped.',
    },
  ],
  explanation:
    'The auth service disconnected from the login processes before it had ever answered, so Dovecot dropped every ' +
    'waiting client. Auth is crashing or failing at start: a broken passdb/userdb configuration, a backend it cannot ' +
    'reach, or a crash (look for auth Fatal/Panic lines).',
  remedy: [
    'Find why auth stops: earlier auth lines (Fatal, Panic, "killed with signal", passdb/userdb errors) and `doveconf -n` for the passdb and userdb sections.',
    'Test it directly: `doveadm auth test <user>` must answer; fix the backend or configuration it complains about and reload.',
  ],
  docs: DOCS.auth,
  examples: {
    match: [
      {
        line: 'Aug 22 23:11:54 00d7ef713a86 dovecot: imap-login: Disconnected: Auth process broken (disconnected before auth was ready, waited 144 secs): user=<>, rip=10.10.10.10, lip=10.42.68.75, TLS handshaking, session=<3fdfg34g3gde2>',
        version: '2.2',
        facts: {waited: '144'},
      },
      {
        line: 'Oct  2 13:58:00 dovecot dovecot: imap-login: Disconnected: Auth process broken (disconnected before auth was ready, waited 1 secs)',
        version: '2.3',
        facts: {waited: '1'},
      },
      {
        line: 'Nov 23 10:00:00 imap-login: Info: Login aborted: Auth process broken (disconnected before auth was ready, waited 0 secs): user=<>, rip=203.0.113.5, lip=192.0.2.10, session=<AbCdEf12>',
        version: '2.4',
      },
    ],
    nearMiss: [
      {line: 'Nov 23 10:00:00 imap-login: Debug: Auth process broken (disconnected before auth was ready, waited 0 secs)', why: 'Debug'},
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=5, msgid=<a1@example.com>, size=1234, subject=Auth process broken',
        why: "a mail_log line whose message subject holds the words: not the login's reason",
      },
    ],
  },
})
