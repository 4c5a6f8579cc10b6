import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'mail-max-userip-connections',
  kind: 'problem',
  title: 'Users hit the per-user+IP connection limit',
  severity: 'low',
  literal: 'mail_max_userip_connections',
  patterns: [/Maximum number of connections from user\+IP exceeded \(mail_max_userip_connections=(?<limit>\d+)\)/],
  // Only the login processes refuse a login for it: the same words in a mail process's line are someone's text.
  conditions: {services: ['imap-login', 'pop3-login', 'submission-login', 'managesieve-login']},
  facts: {limit: 'The configured mail_max_userip_connections.'},
  summary: {by: ['limit'], format: (f, n) => `limit ${f.limit} exceeded ${n} time(s)`},
  explanation:
    'A user already had `mail_max_userip_connections` (default 10) IMAP or POP3 sessions open from the same IP, so ' +
    'the next login was refused. Typical causes: a client that opens one connection per folder, several devices ' +
    'behind one NAT address, or a client that never closes its connections.',
  remedy: [
    'Look at the affected users: one user many times points at a client setting (e.g. Thunderbird\'s "maximum number of server connections to cache"); many users from one IP point at NAT or a webmail host.',
    'Raise the limit where needed: `protocol imap { mail_max_userip_connections = 20 }` (also settable per user from the userdb).',
  ],
  harmless: 'Occasional hits by one user: the client retries with the connections it already has.',
  docs: DOCS.settings('mail_max_userip_connections'),
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10): user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, TLS, session=<AbCdEf12>',
        version: '2.2',
        facts: {limit: '10'},
      },
      {
        line: 'Nov 23 10:00:00 imap-login: Info: Disconnected: Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10): user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=0, TLS, session=<AbCdEf12>',
        version: '2.3',
      },
      {
        line: 'Nov 23 10:00:00 pop3-login: Info: Login aborted: Maximum number of connections from user+IP exceeded (mail_max_userip_connections=20) (connection_limit): user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, TLS, session=<AbCdEf12>',
        version: '2.4',
        facts: {limit: '20'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: save: box=INBOX, uid=17, msgid=<b7@example.com>, size=100, subject=Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)',
        why: "a mail_log line in lmtp whose subject quotes the login's reason",
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=Drafts, uid=8, msgid=<a8@example.com>, size=300, subject=raise mail_max_userip_connections?',
        why: 'a mail_log line mentioning the setting',
      },
    ],
  },
})
