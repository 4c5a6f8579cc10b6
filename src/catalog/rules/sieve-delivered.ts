import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'sieve-delivered',
  kind: 'fact',
  title: 'Deliveries filed by Sieve',
  literal: 'stored mail into mailbox ',
  // With Sieve (Pigeonhole) the delivery agent does not print "saved mail to": Sieve stores the mail and logs
  // "sieve: msgid=<...>: stored mail into mailbox 'INBOX'" (later 2.3 releases name the action first: "fileinto
  // action: stored mail into mailbox 'Junk'", and a SPECIAL-USE target unquoted: "mailbox [SPECIAL-USE \Junk]").
  // Only lda/lmtp (1.x: deliver) run Sieve at delivery, and the line opens with "sieve: ", so a mail_log
  // subject= holding the words is not one.
  patterns: [
    /^sieve: (?:msgid=\S*: )?(?:\w+ action: )?stored mail into mailbox (?:'(?<mailbox>[^']*)'|\[SPECIAL-USE (?<specialUse>[^\]]*)\])/,
  ],
  conditions: {levels: ['info'], services: ['lda', 'lmtp', 'deliver']},
  facts: {mailbox: 'Where Sieve stored the mail.', specialUse: 'The SPECIAL-USE flag the mailbox was chosen by (`\\Junk`).'},
  explanation: 'LMTP or dovecot-lda delivered a message through a Sieve script, which stored it (one line per mailbox stored into).',
  activity: 'deliveries',
  docs: DOCS.lda,
  examples: {
    match: [
      {
        line: "Dec 19 17:58:04 mail1 dovecot: lda(jdoe@example.com): sieve: msgid=<70.B1.4795@example.com>: stored mail into mailbox 'INBOX'",
        version: '2.2',
        facts: {mailbox: 'INBOX'},
      },
      {
        line: "Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: sieve: msgid=<s2@example.com>: stored mail into mailbox 'Junk'",
        version: '2.3',
        facts: {mailbox: 'Junk'},
      },
      {
        line: "Nov 23 10:00:00 mail1 dovecot: lmtp(jdoe)<2345><AbCdEf12>: sieve: msgid=<s3@example.com>: fileinto action: stored mail into mailbox 'Lists/dovecot'",
        version: '2.3',
        facts: {mailbox: 'Lists/dovecot'},
      },
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: sieve: msgid=<s5@example.com>: fileinto action: stored mail into mailbox [SPECIAL-USE \\Junk]',
        version: '2.3',
        facts: {specialUse: '\\Junk'},
      },
    ],
    nearMiss: [
      {
        line: "Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Debug: sieve: msgid=<s4@example.com>: stored mail into mailbox 'INBOX'",
        why: 'Debug: the Info line of the same delivery is the one counted',
      },
      {
        line: "Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=5, msgid=<a@b>, size=100, subject=sieve: stored mail into mailbox 'Junk'",
        why: 'a mail_log plugin line of an IMAP APPEND whose subject holds the words',
      },
      {
        line: "Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: save: box=INBOX, uid=5, msgid=<a@b>, size=100, subject=Re: stored mail into mailbox 'Junk'",
        why: "mail_log in lmtp: the subject is the mail's, not Sieve's line",
      },
    ],
  },
})
