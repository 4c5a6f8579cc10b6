import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'transaction-log-corrupted',
  kind: 'problem',
  title: 'A mailbox transaction log (dovecot.index.log) is corrupted',
  severity: 'medium',
  literal: 'Corrupted transaction log file',
  // The reason never runs past another "Corrupted transaction log file ": each start scans only up to the next one.
  patterns: [
    /Corrupted transaction log file (?<path>\S+) seq (?<seq>\d+): (?<reason>(?:(?!Corrupted transaction log file ).)+?) \(sync_offset=(?<offset>\d+)\)/,
  ],
  conditions: {levels: ['error', 'warning']},
  facts: {path: 'The log file.', seq: 'Its sequence number.', offset: 'The sync offset.', reason: 'What was wrong.'},
  summary: {by: ['reason'], format: (f, n) => `${f.reason}: ${n} time(s)`},
  explanation:
    'dovecot.index.log, the journal of changes to a mailbox index, is damaged. Dovecot resets or rebuilds it, ' +
    'which can lose recent flag changes and make clients resync. The usual causes are crashes, storage errors, or ' +
    'the same mailbox written by two servers at once (NFS without director/proxy affinity).',
  remedy: [
    "Let Dovecot rebuild the mailbox's indexes: `doveadm force-resync -u <user> <mailbox>` (or `'*'` for all of the user's folders).",
    'If it repeats, make sure each user is served by one backend at a time and look for crashes and I/O errors around the first occurrence.',
  ],
  // What the client was told, logged by the same process right after: the same failure, not another one.
  companions: [{literal: 'Failed to map transaction log'}, {literal: 'Internal error occurred'}],
  docs: DOCS.forceResync,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Error: Corrupted transaction log file /var/vmail/jdoe/Maildir/dovecot.index.log seq 14: log file shrank (1234 < 4567) (sync_offset=4567)',
        version: '2.2',
        facts: {seq: '14', reason: 'log file shrank (1234 < 4567)'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Corrupted transaction log file /var/vmail/jdoe/Maildir/.Sent/dovecot.index.log seq 3: Unexpected garbage at EOF (sync_offset=8812)',
        version: '2.3',
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lmtp(jdoe)<2345><AbCdEf12>: Error: Corrupted transaction log file /var/vmail/jdoe/mdbox/mailboxes/INBOX/dbox-Mails/dovecot.index.log seq 2: indexid changed (sync_offset=0)',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=10, msgid=<b1@example.com>, size=100, subject=Corrupted transaction log file?',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
