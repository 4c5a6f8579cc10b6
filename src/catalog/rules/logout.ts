import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'logout',
  kind: 'fact',
  title: 'Logouts',
  literal: 'Logged out',
  // 2.2 "Logged out in=...", 2.3+ "Disconnected: Logged out in=..." (imap), "... top=..." (pop3).
  patterns: [/^(?:Disconnected: )?Logged out\b/],
  conditions: {levels: ['info']},
  explanation: 'A client logged out of its mail session.',
  activity: 'logouts',
  docs: DOCS.logging,
  examples: {
    match: [
      {line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Logged out in=512 out=20480', version: '2.2'},
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: Disconnected: Logged out in=512 out=20480 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=1 body_bytes=18000',
        version: '2.3',
      },
      {
        line: 'Nov 23 10:00:00 pop3(jdoe)<1234><AbCdEf12>: Info: Disconnected: Logged out top=0/0, retr=2/4096, del=2/2, size=4096',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=8, msgid=<a8@example.com>, size=100, subject=Why am I Logged out every hour?',
        why: 'a mail_log line quoting the words, not a logout',
      },
    ],
  },
})
