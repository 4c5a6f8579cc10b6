import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'index-cache-mmap-enomem',
  kind: 'problem',
  title: 'A dovecot.index.cache file does not fit in the process memory limit',
  severity: 'high',
  literal: 'Cannot allocate memory',
  patterns: [
    /^(?:Mailbox (?<mailbox>.+?): )?mmap\(size=(?<size>\d+)\) failed with file (?<path>\S*dovecot\.index\.cache): Cannot allocate memory/,
  ],
  conditions: {levels: ['error']},
  facts: {
    mailbox: 'The mailbox (2.3 and later).',
    size: 'Bytes Dovecot tried to map: about the size of the cache file.',
    path: 'The cache file.',
  },
  summary: {by: ['path'], format: (f, n) => `${f.path}: ${n} time(s)`, max: [{fact: 'size', label: 'largest cache mapped', unit: 'bytes'}]},
  explanation:
    "The process could not map the mailbox's dovecot.index.cache into memory: the file is larger than what is left " +
    "under the service's `vsz_limit`. The mailbox is slow or fails to open, and the process may die with " +
    '"returned error 83 (Out of memory ...)" right after.',
  remedy: [
    "Raise the service's `vsz_limit` (`service imap { vsz_limit = 1536M }`), or `default_vsz_limit` for every service, to somewhat above the largest cache file (1 GB at most by default), for example 1500M.",
    "Or lower `mail_cache_max_size` to somewhat below the service's `vsz_limit` so caches are cut down before they stop fitting.",
    'Check the host has the RAM for the new limit times the number of processes.',
  ],
  correlations: [
    {
      rule: 'vsz-limit-oom',
      note: 'index-cache-mmap-enomem and vsz-limit-oom happened together: one cause, cache files larger than the processes may map.',
    },
  ],
  docs: DOCS.errors('dovecot-index-cache-is-too-large'),
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Error: mmap(size=1073741824) failed with file /home/jdoe/Maildir/dovecot.index.cache: Cannot allocate memory',
        version: '2.2',
        facts: {size: '1073741824'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: mmap(size=1073741824) failed with file /home/jdoe/Maildir/dovecot.index.cache: Cannot allocate memory',
        version: '2.3',
        facts: {mailbox: 'INBOX', path: '/home/jdoe/Maildir/dovecot.index.cache'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Error: Mailbox Archive: mmap(size=734003200) failed with file /srv/mail/jdoe/.Archive/dovecot.index.cache: Cannot allocate memory',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: copy from INBOX: box=Junk, uid=3, msgid=<a3@example.com>, size=800, subject=mmap failed: Cannot allocate memory',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
