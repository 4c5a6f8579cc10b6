import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'mail-delivered',
  kind: 'fact',
  title: 'Deliveries',
  literal: 'saved mail to ',
  patterns: [/saved mail to (?<mailbox>[\s\S]+)$/],
  conditions: {levels: ['info']},
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
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Debug: msgid=<d4@example.com>: saved mail to INBOX',
        why: 'Debug: the Info line of the same delivery is the one counted',
      },
    ],
  },
})
