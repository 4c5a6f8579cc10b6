import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'maildir-filename-changing',
  kind: 'problem',
  title: 'A Maildir file kept being renamed while Dovecot tried to open it',
  severity: 'medium',
  // src/lib-storage/index/maildir/maildir-util.c:139 (2.2, 2.3, 2.4): "maildir_file_do(%s): Filename keeps changing for UID=%u"
  // (mail_storage_set_critical, so Error with the "Mailbox %s: " prefix where the mailbox is known).
  literal: 'Filename keeps changing',
  patterns: [/maildir_file_do\((?<path>[^()]+)\): Filename keeps changing for UID=(?<uid>\d+)/],
  conditions: {levels: ['error']},
  facts: {path: 'The mail directory.', uid: 'The message whose file kept moving.'},
  summary: {by: ['path'], format: (f, n) => `${f.path}: ${n} time(s)`},
  explanation:
    "Dovecot looked up a message's file and found it renamed again on each of several tries. Something else renames " +
    'Maildir files under Dovecot: another IMAP server or MDA on the same Maildir, a sync or backup tool (rsync, ' +
    'offlineimap, mbsync), two Dovecot servers on shared storage without director/proxy, or NFS attribute caching. ' +
    "The client's command fails for that message.",
  remedy: [
    'Find what else writes to this Maildir and stop it, or make it go through Dovecot (LMTP/LDA for delivery, IMAP for clients and sync tools).',
    "On NFS or shared storage: send each user to one server at a time (director or proxy) and follow the NFS page's settings.",
    'If it persists for one mailbox with nothing else writing, rebuild its index: `doveadm force-resync -u <user> <mailbox>`.',
  ],
  docs: DOCS.maildir,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Error: maildir_file_do(/home/jdoe/Maildir/.Sent): Filename keeps changing for UID=1234',
        version: '2.2',
        facts: {path: '/home/jdoe/Maildir/.Sent', uid: '1234'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox Sent: maildir_file_do(/var/vmail/jdoe/Maildir/.Sent): Filename keeps changing for UID=88',
        version: '2.3',
        facts: {uid: '88'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: maildir_file_do(/var/vmail/jdoe/Maildir): Filename keeps changing for UID=7',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Debug: Mailbox INBOX: maildir_file_do(/var/vmail/jdoe/Maildir): Filename keeps changing for UID=7',
        why: 'Debug',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: Filename keeps changing, retrying',
        why: 'not the maildir_file_do message',
      },
    ],
  },
})
