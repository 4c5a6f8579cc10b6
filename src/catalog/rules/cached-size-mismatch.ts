import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'cached-size-mismatch',
  kind: 'problem',
  title: 'A message file is not the size Dovecot has cached for it',
  severity: 'medium',
  // src/lib-storage/index/istream-mail.c (2.2 :90, 2.3 :94, 2.4 :101): "Cached message size %s than expected (%llu %c %llu,
  // box=%s, UID=%u%s)", reported as a read() error ("read(<file>) failed: ...") and in the client's disconnect reason.
  // When Dovecot also drops the cache record the line says "Deleting corrupted cache record": index-cache-corrupted.
  literal: 'Cached message size',
  patterns: [
    /^(?![^\n]*Deleting corrupted)[^\n]*?read\((?<path>[^()]+)\) failed: Cached message size (?<direction>larger|smaller) than expected \((?<expected>\d+) [<>] (?<actual>\d+), box=(?<box>[^,]+), UID=(?<uid>\d+)/,
  ],
  conditions: {levels: ['error', 'info']},
  facts: {
    path: 'The message file.',
    direction: 'larger or smaller.',
    expected: 'The size Dovecot had cached.',
    actual: 'What it read.',
    box: 'The mailbox.',
    uid: 'The message.',
  },
  summary: {by: ['box', 'direction'], format: (f, n) => `${f.box}: file ${f.direction} than cached ${n} time(s)`},
  explanation:
    'The message file no longer has the size Dovecot recorded (in its cache or the Maildir S= name): the file was ' +
    'changed or replaced outside Dovecot, S= in the filename is wrong (a migration or copy tool wrote it), or mail ' +
    "is compressed without the zlib/mail_compress plugin reading it. The client's FETCH fails and it may disconnect.",
  remedy: [
    'Do not edit or recompress mail files outside Dovecot; if a tool did, restore the files or fix their S=/W= sizes.',
    'If mail is stored compressed, enable the plugin that reads it (2.3: `mail_plugins = $mail_plugins zlib`; 2.4: `mail_compress`).',
    'Then let Dovecot rebuild what it cached: `doveadm force-resync -u <user> <mailbox>` (the mailbox in the line).',
  ],
  docs: DOCS.maildir,
  examples: {
    match: [
      {
        line: 'Jun  2 20:01:15 mail dovecot: imap(user4@maildomain.com)<791373><gnlzAOwZKOR/AAAB>: Disconnected: FETCH failed: Mailbox INBOX: UID=13: read(/srv/vmail/maildomain.com/user4/Maildir/cur/1708450224.M924417P472542.mail.maildomain.com,S=1749,W=1787:2,) failed: Cached message size larger than expected (1749 > 1744, box=INBOX, UID=13) (read reason=) in=816 out=28076 deleted=0 expunged=0 trashed=0 hdr_count=40 hdr_bytes=7926 body_count=0 body_bytes=0',
        version: '2.3',
        facts: {box: 'INBOX', uid: '13', direction: 'larger'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Error: read(/home/jdoe/Maildir/cur/1700000000.M1P2.mail,S=1000:2,S) failed: Cached message size smaller than expected (1000 < 1200, box=INBOX, UID=5)',
        version: '2.2',
        facts: {direction: 'smaller'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox Archive: UID=9: read(/var/vmail/jdoe/mdbox/storage/m.3) failed: Cached message size larger than expected (5120 > 4096, box=Archive, UID=9, cached Message-ID=<a@example.com>) (read reason=fetch)',
        version: '2.4',
        facts: {box: 'Archive'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: Disconnected: FETCH failed: Cached message size larger than expected in=816 out=28076',
        why: 'no file and sizes: not the storage message',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Debug: Cached message size larger than expected is checked on read',
        why: 'Debug',
      },
    ],
  },
})
