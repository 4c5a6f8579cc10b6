import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'index-fixed',
  kind: 'problem',
  title: 'Dovecot repaired an inconsistent mailbox index',
  severity: 'low',
  literal: 'Fixed index file',
  patterns: [/Fixed index file (?<path>\S+): (?<reason>[\s\S]+)$/],
  conditions: {levels: ['error', 'warning']},
  facts: {path: 'The dovecot.index file.', reason: 'The header field that was wrong, old -> new.'},
  summary: {by: ['path'], format: (f, n) => `${f.path}: ${n} time(s)`},
  explanation:
    'The dovecot.index header did not agree with its records and Dovecot fixed it on the spot. One-off fixes follow ' +
    'a crash or an interrupted write; the same file being fixed again and again points at concurrent access or a bug.',
  remedy: [
    'Nothing to do for a single occurrence.',
    "If the same mailbox repeats: `doveadm force-resync -u <user> <mailbox>`, and make sure only one server writes the user's indexes.",
  ],
  harmless: 'A single fix after a crash or restart.',
  docs: DOCS.forceResync,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Error: Fixed index file /var/vmail/jdoe/Maildir/dovecot.index: messages_count 120 -> 119',
        version: '2.2',
        facts: {reason: 'messages_count 120 -> 119'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Fixed index file /var/vmail/jdoe/Maildir/.Sent/dovecot.index: first_recent_uid 15 -> 14',
        version: '2.3',
        facts: {path: '/var/vmail/jdoe/Maildir/.Sent/dovecot.index'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Error: Fixed index file /var/vmail/jdoe/Maildir/dovecot.index: seen_messages_count 40 -> 39',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=11, msgid=<b2@example.com>, size=100, subject=Fixed index file issue',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
