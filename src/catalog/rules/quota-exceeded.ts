import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'quota-exceeded',
  kind: 'problem',
  title: 'Mail could not be saved: quota exceeded',
  severity: 'low',
  // "Quota exceeded", "Not enough disk quota", "Disk quota exceeded".
  literal: 'uota',
  patterns: [
    // Anchored on the failure around the reason: a folder or subject called "Quota exceeded" is not one.
    // The mailbox name never runs past another "save failed to ": each start scans only up to the next one (linear).
    /save failed to (?<mailbox>(?:(?!save failed to ).)+?): (?<reason>Quota exceeded|Not enough disk quota|Disk quota exceeded)/,
    /failed to store into mailbox '(?<sieveMailbox>[^']*)': (?<reason>Quota exceeded|Not enough disk quota|Disk quota exceeded)/,
    /\) failed: (?<reason>Disk quota exceeded|Not enough disk quota)/,
  ],
  conditions: {levels: ['info', 'warning', 'error']},
  facts: {
    mailbox: 'The mailbox a delivery was saving to.',
    sieveMailbox: 'The mailbox a Sieve fileinto was storing to.',
    reason: "Dovecot's quota message (`quota_exceeded_message` can change it).",
  },
  summary: {by: ['reason'], format: (f, n) => `${f.reason}: ${n} time(s)`},
  explanation:
    "A user's mailbox is full (the quota plugin refused the save) or the file system quota ran out. Deliveries " +
    'bounce or are retried by the MTA, and IMAP APPEND/COPY fail.',
  remedy: [
    "Check the affected users' usage: `doveadm quota get -u <user>`, and raise their quota or ask them to clean up (Trash, Junk, Sent).",
    'If many users are affected at once, check the file system quota and free space of the mail storage instead.',
    'Consider quota warnings (`quota_warning`) so users hear about it before mail bounces.',
  ],
  harmless: 'A few users over quota is ordinary operation; it only needs action if they are important or the count grows.',
  docs: DOCS.quota,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lda(jdoe): msgid=<q1@example.com>: save failed to INBOX: Quota exceeded (mailbox for user is full)',
        version: '2.2',
        facts: {mailbox: 'INBOX', reason: 'Quota exceeded'},
      },
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: msgid=<q2@example.com>: save failed to INBOX: Quota exceeded (mailbox for user is full)',
        version: '2.3',
      },
      {
        line: "Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: sieve: msgid=<q3@example.com>: failed to store into mailbox 'INBOX': Quota exceeded (mailbox for user is full)",
        version: '2.4',
        facts: {sieveMailbox: 'INBOX'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lmtp(jdoe)<2345><AbCdEf12>: Info: msgid=<q5@example.com>: save failed to INBOX: Not enough disk quota',
        version: '2.3',
        facts: {reason: 'Not enough disk quota'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: write(/var/vmail/jdoe/Maildir/tmp/1700000000.M1P2.mail1) failed: Disk quota exceeded',
        version: '2.3',
        facts: {reason: 'Disk quota exceeded'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: msgid=<q4@example.com>: saved mail to Quota Reports',
        why: 'a successful delivery to a folder named Quota Reports',
      },
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCd>: Info: msgid=<x@example.com>: saved mail to Quota exceeded',
        why: 'a successful delivery to a folder named Quota exceeded',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=7, msgid=<s7@example.com>, size=900, subject=Re: Quota exceeded',
        why: 'a mail_log line whose subject mentions it',
      },
    ],
  },
})
