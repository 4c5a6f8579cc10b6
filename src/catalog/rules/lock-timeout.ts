import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'lock-timeout',
  kind: 'problem',
  title: 'Timed out waiting for a mailbox lock',
  severity: 'medium',
  literal: 'Timeout',
  patterns: [
    /Timeout \((?<seconds>\d+)s\) while waiting for lock for transaction log file (?<path>\S+)/,
    /^Mailbox (?<mailbox>.+?): Timeout while waiting for lock/,
    /Timeout while waiting for lock/,
  ],
  conditions: {levels: ['warning', 'error']},
  facts: {seconds: 'How long it waited.', path: 'The locked transaction log.', mailbox: 'The mailbox.'},
  summary: {by: ['path', 'mailbox'], format: (f, n) => `${f.path ?? (f.mailbox ? `mailbox ${f.mailbox}` : 'a mailbox')}: ${n} time(s)`},
  explanation:
    'Another process held the mailbox lock for too long: a hung or very slow process (huge mailbox, slow or stuck ' +
    'storage, NFS trouble), or a lock left behind. The waiting operation failed and the client or delivery retries.',
  remedy: [
    "Look for the process holding the lock: `doveadm who <user>`, `doveadm process status`, `ps` for the user's imap/lmtp/indexer processes; kill a hung one.",
    'Check storage latency and NFS health at those times.',
    'If it is always the same big mailbox, split or expire it.',
  ],
  docs: DOCS.nfs,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lmtp(jdoe): Error: Timeout (180s) while waiting for lock for transaction log file /var/vmail/jdoe/Maildir/dovecot.index.log',
        version: '2.2',
        facts: {seconds: '180'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Timeout (180s) while waiting for lock for transaction log file /var/vmail/jdoe/Maildir/.Sent/dovecot.index.log',
        version: '2.3',
        facts: {path: '/var/vmail/jdoe/Maildir/.Sent/dovecot.index.log'},
      },
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Error: Mailbox INBOX: Timeout while waiting for lock',
        version: '2.4',
        facts: {mailbox: 'INBOX'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 dsync-remote(jdoe)<AbCdEf12>: Error: Timeout during state=sync_mails (send=mails recv=recv_last_common)',
        why: 'a dsync timeout, not a lock wait',
      },
    ],
  },
})
