import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'mdbox-map-inconsistent',
  kind: 'problem',
  title: 'The mdbox map index is out of sync with the mailboxes',
  severity: 'medium',
  literal: 'Inconsistency in map index',
  patterns: [/(?:mdbox (?<path>\S+): )?Inconsistency in map index \((?<detail>[^()]*)\)/],
  conditions: {levels: ['warning', 'error']},
  facts: {path: 'The mdbox storage (2.2/2.3).', detail: 'The disagreeing file id and offset pairs.'},
  summary: {by: ['path'], format: (f, n) => `${f.path ?? 'an mdbox storage'}: ${n} time(s)`},
  explanation:
    'A mailbox index points at a message in the mdbox storage files that the map index places elsewhere. Dovecot ' +
    'schedules a storage rebuild; until then messages can be missing or fail to open. It follows crashes or files ' +
    'changed outside Dovecot.',
  remedy: [
    "Rebuild the user's storage: `doveadm force-resync -u <user> '*'` (for mdbox this also rebuilds the map).",
    'If several users are affected, check the storage for I/O errors and for processes that copy or restore mdbox files while Dovecot runs.',
  ],
  docs: DOCS.forceResync,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Warning: mdbox /var/vmail/jdoe/mdbox/storage: Inconsistency in map index (3,4567 != 3,4600)',
        version: '2.2',
        facts: {path: '/var/vmail/jdoe/mdbox/storage', detail: '3,4567 != 3,4600'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Warning: mdbox /var/vmail/jdoe/mdbox/storage: Inconsistency in map index (12,88012 != 12,88100)',
        version: '2.3',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: Inconsistency in map index (12,88012 != 12,88100)',
        version: '2.4',
        facts: {detail: '12,88012 != 12,88100'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=13, msgid=<b4@example.com>, size=100, subject=Inconsistency in map index?',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
