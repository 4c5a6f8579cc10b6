import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'uidvalidity-changed',
  kind: 'problem',
  title: "A mailbox's UIDVALIDITY changed: clients will download it again",
  severity: 'medium',
  literal: 'UIDVALIDITY changed',
  patterns: [
    // Maildir: 2.2/2.3 "Maildir <path>: UIDVALIDITY changed (a -> b)", 2.4 with "Mailbox <name>: "; mbox: "... in mbox file <path>".
    /UIDVALIDITY changed \((?<old>\d+) -> (?<new>\d+)\)(?: in mbox file (?<path>\S+))?/,
    // dsync
    /UIDVALIDITY changed(?:: (?<old>\d+) -> (?<new>\d+)| during a stateful sync, need to restart)/,
  ],
  // Maildir and mbox warn, dsync errs: an Info line holding the words is a mail_log subject= or similar.
  conditions: {levels: ['warning', 'error']},
  facts: {old: 'The previous UIDVALIDITY.', new: 'The new one.', path: 'The mbox file.'},
  summary: {by: [], format: (_f, n) => `${n} mailbox(es) changed UIDVALIDITY`},
  explanation:
    "The mailbox's UID list was recreated or replaced (dovecot-uidlist deleted or restored, X-IMAPbase header " +
    'changed, a migration or restore, another server writing the mailbox). Every client must drop its cache and ' +
    'download the whole folder again; during dsync it forces a full resync.',
  remedy: [
    'Find what replaced the UID data at that time: a restore, rsync or migration job, a script deleting dovecot-uidlist, or a second server writing the same storage.',
    'For migrations, keep UIDs with `doveadm backup`/`sync` (dsync preserves UIDVALIDITY and UIDs) instead of copying files.',
  ],
  harmless: 'Once per mailbox right after a planned migration or restore.',
  docs: DOCS.maildir,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Warning: Maildir /var/vmail/jdoe/Maildir: UIDVALIDITY changed (1600000000 -> 1700000000)',
        version: '2.2',
        facts: {old: '1600000000', new: '1700000000'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Warning: UIDVALIDITY changed (1600000000 -> 1700000000) in mbox file /var/mail/jdoe',
        version: '2.3',
        facts: {path: '/var/mail/jdoe'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Warning: Mailbox INBOX: UIDVALIDITY changed (1600000000 -> 1700000000)',
        version: '2.4',
      },
      {
        line: 'Nov 23 10:00:00 dsync-local(jdoe)<AbCdEf12>: Error: Mailbox INBOX: UIDVALIDITY changed during a stateful sync, need to restart',
        version: '2.3',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=16, msgid=<b6@example.com>, size=100, subject=Maildir /var/vmail/jdoe/Maildir: UIDVALIDITY changed (1600000000 -> 1700000000)',
        why: 'a mail_log line (Info) whose subject quotes the whole warning',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=14, msgid=<b5@example.com>, size=100, subject=why UIDVALIDITY changed',
        why: 'a mail_log line quoting the words, with no old and new value',
      },
    ],
  },
})
