import {asciiAt, MATCHES, NO_MATCH} from '../counted-form.js'
import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'login',
  kind: 'fact',
  title: 'Successful logins',
  // "Login: user=<" (2.2, 2.3) and "Logged in: user=<" (2.4).
  literal: 'in: user=<',
  patterns: [/^(?:Login|Logged in): user=<(?<user>[^>]*)>(?:.*?, rip=(?<ip>[0-9A-Fa-f:.]+))?/],
  // The pattern's test on bytes (counted-form.ts): one of the two openings, then the '>' that closes user=<.
  countedForm: (bytes, start, end) => {
    const at = asciiAt(bytes, start, end, 'Login: user=<') ? start + 13 : asciiAt(bytes, start, end, 'Logged in: user=<') ? start + 17 : end
    for (let i = at; i < end; i++) if (bytes[i] === 62) return MATCHES
    return NO_MATCH
  },
  conditions: {levels: ['info']},
  facts: {user: 'The user.', ip: 'The client address.'},
  explanation: 'A client logged in through a login process (imap-login, pop3-login, submission-login, ...).',
  activity: 'logins',
  docs: DOCS.logging,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Login: user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1234, TLS, session=<AbCdEf12>',
        version: '2.2',
        facts: {user: 'jdoe', ip: '203.0.113.5'},
      },
      {
        line: 'Nov 23 10:00:00 imap-login: Info: Login: user=<jdoe@example.com>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1234, TLS, session=<AbCdEf12>',
        version: '2.3',
      },
      {
        line: 'Nov 23 10:00:00 pop3-login: Info: Logged in: user=<jdoe>, method=PLAIN, rip=2001:db8::5, lip=192.0.2.10, mpid=1234, TLS, session=<AbCdEf12>',
        version: '2.4',
        facts: {ip: '2001:db8::5'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=6, msgid=<a6@example.com>, size=100, subject=Login: user=<jdoe> works again',
        why: 'a mail_log line quoting the words, not a login',
      },
    ],
  },
})
