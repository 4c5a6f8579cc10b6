import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'dsync-desync',
  kind: 'problem',
  title: 'dsync finished with changes left to sync (exit code 2)',
  severity: 'low',
  literal: 'You may want to run dsync again',
  patterns: [/(?:Mailbox changes caused a desync\. )?You may want to run dsync again(?:: (?<reason>[\s\S]+))?$/],
  // dsync logs it as a Warning (dsync-brain.c); an Info line holding the words is someone else's text (a mail_log
  // subject=), and ended with them it was flagged.
  conditions: {levels: ['warning']},
  facts: {reason: 'What changed during the sync.'},
  summary: {by: [], format: (_f, n) => `${n} sync(s) ended with changes left`},
  explanation:
    'Mailboxes changed while dsync ran, so the sync ended incomplete with exit code 2. During a migration this is ' +
    'expected for busy users; at the final cut-over it means the user is not done.',
  remedy: [
    'Run the sync again for the affected users (`doveadm sync`/`backup -u <user> ...`); `dovediag exit 2` explains the code for each migration phase.',
    'If the same user never converges, sync when the user is inactive, or stop deliveries for the final pass.',
  ],
  harmless: 'In intermediate migration passes: the next pass picks the changes up.',
  docs: DOCS.sync,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 dsync-local(jdoe): Warning: Mailbox changes caused a desync. You may want to run dsync again: Remote lost mailbox GUID 1234abcd (maybe it was just deleted?)',
        version: '2.2',
      },
      {
        line: "Nov 23 10:00:00 mail1 dovecot: dsync-local(jdoe)<AbCdEf12>: Warning: Mailbox changes caused a desync. You may want to run dsync again: Couldn't find mailbox INBOX",
        version: '2.3',
        facts: {reason: "Couldn't find mailbox INBOX"},
      },
      {
        line: 'Nov 23 10:00:00 doveadm(jdoe)<AbCdEf12>: Warning: Mailbox changes caused a desync. You may want to run dsync again: Mailbox INBOX changed its GUID',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=5, msgid=<a5@example.com>, size=100, subject=You may want to run dsync again?',
        why: 'a mail_log line quoting the words as a question',
      },
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: save: box=INBOX, uid=7, msgid=<a6@example.com>, size=100, subject=Re: You may want to run dsync again',
        why: "a mail_log line (Info) whose subject ends with the words: dsync's own line is a Warning",
      },
    ],
  },
})
