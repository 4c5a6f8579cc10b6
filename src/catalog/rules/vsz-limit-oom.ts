import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

const MB = 1024 * 1024
/** mail_cache_max_size's default (and maximum): caches are cut down at this size. */
const DEFAULT_CACHE_MAX_MB = 1024

/**
 * A vsz_limit that fits the largest cache file with room to spare, as the docs advise ("somewhat higher than
 * the maximum cache file size ... for example 1500M"): the larger of that cache and 1 GB, plus 512 MB, rounded
 * up to 256 MB, and always above the current limit.
 */
export function suggestVszLimitMb(currentMb: number | undefined, largestCacheBytes: number | undefined): number {
  const cacheMb = Math.max(DEFAULT_CACHE_MAX_MB, Math.ceil((largestCacheBytes ?? 0) / MB))
  let suggestion = Math.ceil((cacheMb + 512) / 256) * 256
  if (currentMb !== undefined && suggestion <= currentMb) suggestion = Math.ceil((currentMb * 1.5) / 256) * 256
  return suggestion
}

export default defineRule({
  id: 'vsz-limit-oom',
  kind: 'problem',
  title: 'A Dovecot process ran out of memory (vsz_limit)',
  severity: 'high',
  literal: 'Out of memory',
  patterns: [
    // The log process writes it as "master: service(imap): ..." under the child's own prefix or under "master: ".
    /service\((?<service>[^()]+)\): child (?<pid>\d+) returned error 83 \(Out of memory(?: \(service [^ ]+ \{ vsz_limit=(?<limitMb>\d+) MB \})?/,
    /^(?<allocator>pool_system_(?:m|re)alloc|block_alloc)\((?<bytes>\d+)\): Out of memory/,
    /^(?<allocator>data stack): Out of memory when allocating (?<bytes>\d+) bytes/,
  ],
  conditions: {levels: ['error', 'fatal', 'panic']},
  facts: {
    service: 'The service whose process died.',
    pid: 'The dead process.',
    limitMb: 'Its vsz_limit in MB (absent when the service has no limit).',
    allocator: 'Which allocation failed, in the dying process itself.',
    bytes: 'The size of the failed allocation.',
  },
  summary: {
    by: ['service', 'limitMb', 'allocator'],
    format: (f, n) =>
      f.service
        ? f.limitMb
          ? `${f.service} hit vsz_limit=${f.limitMb} MB ${n} time(s)`
          : `${f.service} ran out of memory ${n} time(s)`
        : `${f.allocator} failed ${n} time(s)`,
    max: [
      {fact: 'limitMb', label: 'vsz_limit', unit: 'MB'},
      {fact: 'bytes', label: 'largest failed allocation', unit: 'bytes'},
    ],
  },
  explanation:
    'A process exceeded its address-space limit (`vsz_limit`, 256 MB by default) and died with exit status 83; ' +
    'its users were disconnected or the delivery was retried. The usual reason is a large dovecot.index.cache ' +
    '(up to 1 GB) that no longer fits, or a big search, FTS or message operation.',
  remedy: [
    'Raise the limit of the service named in the finding, above the largest cache file: `service imap { vsz_limit = 1536M }` (the docs suggest 1500M), or `default_vsz_limit` for all services.',
    'Or keep caches below the limit with `mail_cache_max_size`.',
    'If no cache file is that large, suspect a leak: set `CORE_OUTOFMEM=1` in the environment of Dovecot to get a core dump and report it.',
  ],
  correlations: [
    {
      rule: 'index-cache-mmap-enomem',
      note: 'index-cache-mmap-enomem and vsz-limit-oom happened together: one cause, cache files larger than the processes may map.',
    },
  ],
  advice: (own, other) => {
    const currentMb = own.max('limitMb')
    const largestCache = other('index-cache-mmap-enomem')?.max('size')
    const services = own.values('service')
    const suggestion = suggestVszLimitMb(currentMb, largestCache)
    const where =
      services.length > 0
        ? services.map((service) => `service ${service} { vsz_limit = ${suggestion}M }`).join(', ')
        : `default_vsz_limit = ${suggestion}M`
    return (
      `Suggested: ${where}` +
      (currentMb === undefined ? '' : ` (now ${currentMb} MB)`) +
      (largestCache === undefined ? '' : `; the largest cache file mapped was ${Math.ceil(largestCache / MB)} MB`) +
      '. Or set `default_vsz_limit` to apply it to every service.'
    )
  },
  docs: DOCS.errors('dovecot-index-cache-is-too-large'),
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Fatal: service(imap): child 1234 returned error 83 (Out of memory (service imap { vsz_limit=256 MB }, you may need to increase it) - set CORE_OUTOFMEM=1 environment to get core dump)',
        version: '2.2',
        facts: {service: 'imap', limitMb: '256'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Fatal: master: service(imap): child 1234 returned error 83 (Out of memory (service imap { vsz_limit=256 MB }, you may need to increase it) - set CORE_OUTOFMEM=1 environment to get core dump)',
        version: '2.3',
        facts: {service: 'imap', pid: '1234', limitMb: '256'},
      },
      {
        line: 'Nov 23 10:00:00 lmtp: Fatal: master: service(lmtp): child 2345 returned error 83 (Out of memory (service lmtp { vsz_limit=512 MB }, you may need to increase it) - set CORE_OUTOFMEM=1 environment to get core dump) [last ip=192.0.2.25]',
        version: '2.4',
        facts: {service: 'lmtp', limitMb: '512'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Fatal: pool_system_malloc(268435456): Out of memory',
        version: '2.3',
        facts: {allocator: 'pool_system_malloc', bytes: '268435456'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Fatal: pool_system_realloc(134217728): Out of memory',
        version: '2.2',
        facts: {allocator: 'pool_system_realloc'},
      },
      {
        line: 'Nov 23 10:00:00 indexer-worker(jdoe)<1234><AbCdEf12>: Panic: data stack: Out of memory when allocating 268435456 bytes',
        version: '2.3',
        facts: {allocator: 'data stack'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 mail1 kernel: [12345.678901] Out of memory: Killed process 2345 (imap) total-vm:1024000kB, anon-rss:512000kB, file-rss:0kB',
        why: "the kernel's OOM killer, not Dovecot's own limit",
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: delete: box=INBOX, uid=4, msgid=<a4@example.com>, size=700, subject=Out of memory',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
