import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'disk-full',
  kind: 'problem',
  title: 'The mail storage is out of space',
  severity: 'critical',
  literal: 'No space left on device',
  // The optional "func(path) failed: " is read backwards from the literal (a lookbehind), so a match is tried only
  // where the literal is: tried forwards from every letter, `[^)]*` made crafted lines quadratic.
  patterns: [/(?:(?<=(?<func>[a-z_]+)\((?<path>[^)]*)\) failed: )|)No space left on device/],
  conditions: {levels: ['warning', 'error', 'fatal']},
  facts: {func: 'The operation that failed.', path: 'The file it was writing.'},
  summary: {by: ['func'], format: (f, n) => `${f.func ?? 'a write'} failed ${n} time(s)`},
  explanation:
    'A write failed because the file system is full (or out of inodes). Deliveries fail, mails cannot be moved or ' +
    'flagged, and index updates are silently dropped (Dovecot does not log those), so more users are affected than ' +
    'this count shows.',
  remedy: [
    'Check space and inodes on the mail storage: `df -h` and `df -i` on the file systems in the paths shown.',
    'Free space (expire Trash/Junk with `doveadm expunge`, purge mdbox with `doveadm purge`, remove old logs) or grow the volume.',
    'Add monitoring on free space and inodes so it is caught before it is full.',
  ],
  // What the client was told, logged by the same process right after: the same failure, not another one.
  companions: [{literal: 'Internal error occurred'}],
  docs: DOCS.quota,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lmtp(jdoe): Error: write(/var/vmail/jdoe/Maildir/tmp/1700000000.M1P2.mail1) failed: No space left on device',
        version: '2.2',
        facts: {func: 'write', path: '/var/vmail/jdoe/Maildir/tmp/1700000000.M1P2.mail1'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: write(/var/vmail/jdoe/mdbox/storage/m.12) failed: No space left on device',
        version: '2.3',
      },
      {
        line: 'Nov 23 10:00:00 master: Error: service(log): write(/var/log/dovecot.log) failed: No space left on device',
        version: '2.4',
        facts: {func: 'write'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=9, msgid=<a9@example.com>, size=200, subject=No space left on device',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
