import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'uidlist-broken',
  kind: 'problem',
  title: 'A Maildir dovecot-uidlist file is broken',
  severity: 'medium',
  literal: 'dovecot-uidlist',
  patterns: [
    /Broken file (?<path>\S*dovecot-uidlist) line (?<line>\d+): (?<reason>[\s\S]+)$/,
    // The path starts where its run of non-spaces starts (the same match): `\S*` tried from inside a long run was quadratic.
    /(?<path>(?<!\S)\S*dovecot-uidlist): (?<reason>Broken filename|Duplicate file entry) at line (?<line>\d+)/,
  ],
  conditions: {levels: ['error', 'warning']},
  facts: {path: 'The dovecot-uidlist file.', line: 'The broken line.', reason: 'What was wrong with it.'},
  summary: {by: ['path'], format: (f, n) => `${f.path}: ${n} time(s)`},
  explanation:
    'dovecot-uidlist maps Maildir files to IMAP UIDs. A broken or concurrently edited uidlist makes Dovecot rebuild ' +
    'it, which can give messages new UIDs, so clients download them again and may show duplicates.',
  remedy: [
    'Run `doveadm force-resync -u <user> <mailbox>` to rebuild the mailbox state.',
    'Find what else writes the Maildir: a second server without proper locking or director/proxy affinity, NFS caching, a restore or rsync running while users are active, or a hand edit.',
  ],
  docs: DOCS.maildir,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Error: Broken file /var/vmail/jdoe/Maildir/dovecot-uidlist line 3: Invalid data:',
        version: '2.2',
        facts: {line: '3'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Broken file /var/vmail/jdoe/Maildir/.Sent/dovecot-uidlist line 42: UIDs not ordered (41 >= 40)',
        version: '2.3',
        facts: {path: '/var/vmail/jdoe/Maildir/.Sent/dovecot-uidlist'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Warning: /var/vmail/jdoe/Maildir/dovecot-uidlist: Duplicate file entry at line 7: 1700000000.M1P2.mail1 (uid 6 -> 7) - retrying by re-reading from beginning',
        version: '2.3',
        facts: {reason: 'Duplicate file entry', line: '7'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: Broken file /var/vmail/jdoe/Maildir/dovecot-uidlist line 1: Invalid header version',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=12, msgid=<b3@example.com>, size=100, subject=where is dovecot-uidlist',
        why: 'a mail_log line naming the file',
      },
    ],
  },
})
