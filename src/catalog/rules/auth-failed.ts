import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'auth-failed',
  kind: 'fact',
  title: 'Failed logins',
  literal: 'auth failed, ',
  // 2.2 "Disconnected (auth failed, ...)", 2.3 "Disconnected: <reason> (auth failed, ...)", 2.4 "Login aborted: ...".
  patterns: [
    // The user name never runs past another "(auth failed, ": each start scans only up to the next one (linear).
    /\(auth failed, (?<attempts>\d+) attempts? in \d+ secs\)(?: \([a-z_]+\))?: user=<(?<user>(?:(?!\(auth failed, )[^>])*)>(?:[^<]*?, rip=(?<ip>[0-9A-Fa-f:.]+))?/,
  ],
  conditions: {levels: ['info']},
  facts: {attempts: 'Password attempts on this connection.', user: 'The user name tried.', ip: 'The client address.'},
  explanation: 'A client gave up or was disconnected after failed password attempts: a typo, a stale saved password, or password guessing.',
  activity: 'authFailures',
  countByIp: true,
  docs: DOCS.auth,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, TLS, session=<AbCdEf12>',
        version: '2.2',
        facts: {attempts: '3', user: 'jdoe', ip: '203.0.113.5'},
      },
      {
        line: 'Nov 23 10:00:00 imap-login: Info: Disconnected: Connection closed (auth failed, 1 attempts in 2 secs): user=<mallory>, method=PLAIN, rip=198.51.100.7, lip=192.0.2.10, TLS, session=<AbCdEf12>',
        version: '2.3',
        facts: {ip: '198.51.100.7'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: pop3-login: Login aborted: Connection closed (auth failed, 3 attempts in 12 secs) (auth_failed): user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, TLS, session=<AbCdEf12>',
        version: '2.4',
        facts: {attempts: '3'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=3, msgid=<a3@example.com>, size=100, subject=(auth failed, 3 attempts in 12 secs)',
        why: 'a mail_log line quoting the words: no user=<> follows, not a login process',
      },
    ],
  },
})
