import {asciiAt, isWordByte, MATCHES, NO_MATCH} from '../counted-form.js'
import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'logout',
  kind: 'fact',
  title: 'Logouts',
  literal: 'Logged out',
  // 2.2 "Logged out in=...", 2.3+ "Disconnected: Logged out in=..." (imap), "... top=..." (pop3).
  patterns: [/^(?:Disconnected: )?Logged out\b/],
  // The pattern's test on bytes (counted-form.ts): either opening, then the end or a character \b ends a word at.
  countedForm: (bytes, start, end) => {
    let at = -1
    if (asciiAt(bytes, start, end, 'Logged out')) at = start + 10
    else if (asciiAt(bytes, start, end, 'Disconnected: Logged out')) at = start + 24
    return at !== -1 && (at === end || !isWordByte(bytes[at])) ? MATCHES : NO_MATCH
  },
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
