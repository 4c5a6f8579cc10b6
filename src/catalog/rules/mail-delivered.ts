import {asciiAt, MATCHES, NO_MATCH, UNSURE} from '../counted-form.js'
import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'mail-delivered',
  kind: 'fact',
  title: 'Deliveries',
  literal: 'saved mail to ',
  // The delivery agent's own line: deliver_log_format ("msgid=%m: %$" by default, all versions) with %$ =
  // "saved mail to <mailbox>" (src/lib-lda/mail-deliver.c). Only lda/lmtp (1.x: deliver) print it, and never as a
  // mail_log plugin line ("save: box=..., subject=..."), whose subject= may hold the same words: the message must not
  // open with a mail_log event and its fields, and the words must start it or follow ": " or ", " (a custom
  // deliver_log_format such as "from=%f, subject=%s, msgid=%m, size=%p, delivery_time=%{delivery_time}ms, %$").
  patterns: [/^(?![a-z_]+(?: [^:]*)?: [a-z]+=)(?:[\s\S]*[:,] )?saved mail to (?<mailbox>[\s\S]+)$/],
  // The pattern's test on bytes (counted-form.ts). A message that opens with a lower-case word and ' ' or ':'
  // may be what the lookahead refuses, or a mail_log line that rules read only in part: the pattern decides
  // those. Any other holds no match of the lookahead: it is a delivery when some "saved mail to " opens it or
  // follows ": " or ", ", with a mailbox after it.
  countedForm: (bytes, start, end) => {
    let word = start
    while (word < end && ((bytes[word] >= 97 && bytes[word] <= 122) || bytes[word] === 95)) word++
    if (word > start && word < end && (bytes[word] === 32 || bytes[word] === 58)) return UNSURE
    for (let at = end - 15; at >= start; at--) {
      if (bytes[at] !== 115 || !asciiAt(bytes, at, end, 'saved mail to ')) continue
      if (at === start || (at - 2 >= start && bytes[at - 1] === 32 && (bytes[at - 2] === 58 || bytes[at - 2] === 44))) return MATCHES
    }
    return NO_MATCH
  },
  conditions: {levels: ['info'], services: ['lda', 'lmtp', 'deliver']},
  facts: {mailbox: 'Where the mail was saved.'},
  explanation: 'LMTP or dovecot-lda delivered a message.',
  activity: 'deliveries',
  docs: DOCS.lda,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lda(jdoe): msgid=<d1@example.com>: saved mail to INBOX',
        version: '2.2',
        facts: {mailbox: 'INBOX'},
      },
      {line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: msgid=<d2@example.com>: saved mail to INBOX', version: '2.3'},
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lmtp(jdoe)<2345><AbCdEf12>: msgid=<d3@example.com>: saved mail to Junk',
        version: '2.4',
        facts: {mailbox: 'Junk'},
      },
      {
        // Dovecot 1.x's LDA, named deliver.
        line: 'Nov 23 10:00:00 mail1 dovecot: deliver(jdoe): msgid=<d5@example.com>: saved mail to INBOX',
        facts: {mailbox: 'INBOX'},
      },
      {
        // A custom deliver_log_format (the comment above): %$ after ", ", the subject before it.
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: from=<a@example.net>, subject=Re: hello, msgid=<d6@example.com>, size=2048, delivery_time=12ms, saved mail to INBOX',
        version: '2.3',
        facts: {mailbox: 'INBOX'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Debug: msgid=<d4@example.com>: saved mail to INBOX',
        why: 'Debug: the Info line of the same delivery is the one counted',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=5, msgid=<a@b>, size=100, subject=saved mail to Junk',
        why: 'a mail_log plugin line of an IMAP APPEND whose subject holds the words: imap delivers nothing',
      },
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: save: box=INBOX, uid=5, msgid=<a@b>, size=100, subject=saved mail to Junk',
        why: "mail_log in lmtp logs the save too: its subject= is the mail's, not the delivery agent's line",
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lda(jdoe): save: box=INBOX, uid=5, msgid=<a@b>, size=100, subject=Re: saved mail to Junk',
        why: 'mail_log in dovecot-lda, a subject with ": " before the words',
      },
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: copy from INBOX: box=Junk, uid=9, msgid=<a@b>, subject=saved mail to Junk',
        why: 'a mail_log copy event',
      },
    ],
  },
})
