import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'index-cache-corrupted',
  kind: 'problem',
  title: 'A dovecot.index.cache file was corrupted and rebuilt',
  severity: 'low',
  // "Corrupted" (2.2-2.3.10) and "corrupted" (2.3.11+) share this.
  literal: 'orrupted',
  patterns: [
    /^(?:Mailbox (?<mailbox>.+?): )?(?:Corrupted index cache file (?<path>\S+)|(?:UID \d+: )?Deleting corrupted (?:cache record(?: uid=\d+)?|cache|file)): (?<reason>(?!Cache file too large)[\s\S]+)$/,
  ],
  conditions: {levels: ['error', 'warning']},
  facts: {
    mailbox: 'The mailbox (2.3.11 and later).',
    path: 'The cache file (2.3.10 and earlier).',
    reason: 'What was wrong with the file.',
  },
  summary: {by: ['reason'], format: (f, n) => `${f.reason}: ${n} time(s)`},
  explanation:
    'Dovecot found an inconsistent cache file (or cache record), threw it away and rebuilds it from the mails. ' +
    'The cache is only a copy of data in the mails, so nothing is lost; repeated corruption points at concurrent ' +
    'access from several servers, crashes, or storage problems.',
  remedy: [
    'If it happens once, nothing to do: the cache was rebuilt.',
    'If the same users or mailboxes repeat, run `doveadm force-resync -u <user> <mailbox>`, and check that a user is only ever served by one server at a time (NFS without director/proxy affinity corrupts indexes).',
    'Look for crashes (Panic, `killed with signal`) and filesystem errors around the first occurrence.',
  ],
  harmless: 'Isolated occurrences: Dovecot already repaired it.',
  docs: DOCS.mailCache,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Error: Corrupted index cache file /home/jdoe/Maildir/dovecot.index.cache: invalid record size',
        version: '2.2',
        facts: {reason: 'invalid record size'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: Deleting corrupted cache: reset_id mismatch during sync',
        version: '2.3',
        facts: {mailbox: 'INBOX', reason: 'reset_id mismatch during sync'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox Sent: Deleting corrupted cache record uid=1234: record points outside file',
        version: '2.3',
        facts: {reason: 'record points outside file'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: UID 77: Deleting corrupted cache record: field index too large (40 >= 32)',
        version: '2.4',
        facts: {reason: 'field index too large (40 >= 32)'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: delete: box=INBOX, uid=9, msgid=<a2@example.com>, size=900, subject=Corrupted index cache file?',
        why: 'a mail_log line quoting the text in a subject',
      },
    ],
  },
})
