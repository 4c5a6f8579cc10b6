import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'index-cache-too-large',
  kind: 'problem',
  title: 'A dovecot.index.cache file grew too large',
  severity: 'medium',
  literal: 'Cache file too large',
  patterns: [
    // <=2.3.10 "Corrupted index cache file <path>: ..."; 2.3.11 "Deleting corrupted file: ..."; 2.3.13+ "Deleting
    // corrupted cache: ..." with only the "Mailbox <name>: " event prefix for context.
    /^(?:Mailbox (?<mailbox>.+?): )?(?:Corrupted index cache file (?<path>\S+)|Deleting corrupted (?:cache|file)): Cache file too large/,
  ],
  conditions: {levels: ['error', 'warning']},
  facts: {mailbox: 'The mailbox (2.3.11 and later).', path: 'The cache file (2.3.10 and earlier).'},
  summary: {by: ['mailbox', 'path'], format: (f, n) => `${f.mailbox ? `mailbox ${f.mailbox}` : f.path || 'a mailbox'}: ${n} time(s)`},
  explanation:
    'A folder with a very large number of messages made its dovecot.index.cache hit the size limit (about 4 GB ' +
    'before 2.3.11, `mail_cache_max_size`, 1 GB by default, since). Before 2.3.11 the folder keeps failing until ' +
    'the file is deleted; since 2.3.11 Dovecot deletes and rebuilds it itself, at the cost of extra disk I/O.',
  remedy: [
    'Dovecot 2.3.10 or older: delete the named dovecot.index.cache file (Dovecot rebuilds it; nothing is lost), or upgrade.',
    'Find the huge folder (usually a system or archive account that collects mail) and expire or split it: the cache rarely helps such folders.',
    'If the same folder keeps coming back, keep its cache smaller with `mail_cache_max_size` or fewer cached fields.',
  ],
  harmless: 'On 2.3.11 and later an occasional occurrence: the file was already deleted and is being rebuilt.',
  docs: DOCS.errors('dovecot-index-cache-is-too-large'),
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Error: Corrupted index cache file /home/jdoe/mail/.imap/INBOX/dovecot.index.cache: Cache file too large',
        version: '2.2',
        facts: {path: '/home/jdoe/mail/.imap/INBOX/dovecot.index.cache'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Corrupted index cache file /var/vmail/jdoe/Maildir/dovecot.index.cache: Cache file too large',
        version: '2.3',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: Deleting corrupted file: Cache file too large',
        version: '2.3',
        facts: {mailbox: 'INBOX'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: Deleting corrupted cache: Cache file too large',
        version: '2.3',
        facts: {mailbox: 'INBOX'},
      },
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<1234><AbCdEf12>: Error: Mailbox Archive/2024: Deleting corrupted cache: Cache file too large',
        version: '2.4',
        facts: {mailbox: 'Archive/2024'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: expunge: box=INBOX, uid=7, msgid=<a1@example.com>, size=1200, subject=Re: Cache file too large',
        why: 'a mail_log line quoting the text in a subject',
      },
    ],
  },
})
