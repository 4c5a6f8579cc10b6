/**
 * Names that identify Dovecot's lines and the few other programs dovediag keeps: data, one home.
 */

/**
 * Dovecot's processes, as they appear as the first word of a log line's process prefix (2.2 to 2.4).
 * Used to recognize Dovecot lines in a shared syslog when `instance_name` changed the syslog ident,
 * and lines with no timestamp (docker logs, `dovecot -F`).
 */
export const DOVECOT_SERVICES: ReadonlySet<string> = new Set([
  'master', 'config', 'log', 'anvil', 'stats', 'old-stats', 'ssl-params', 'dict', 'dict-async', 'dict-expire',
  'auth', 'auth-worker', 'director', 'replicator', 'aggregator', 'indexer', 'indexer-worker', 'health-check',
  'imap', 'imap-login', 'imap-hibernate', 'imap-urlauth', 'imap-urlauth-login', 'imap-urlauth-worker',
  'pop3', 'pop3-login', 'submission', 'submission-login', 'managesieve', 'managesieve-login',
  'lmtp', 'lda', 'deliver', 'dovecot-lda', 'quota-status', 'quota-warning', 'doveadm', 'doveadm-server',
  'dsync-local', 'dsync-remote', 'dsync-server', 'dovecot', 'doveconf', 'sieve', 'sievec', 'fts', 'lazy_expunge',
])

/** Processes that take part in dsync: their prefix carries `<session>` only, no `<pid>`. */
export const isDsyncService = (service: string): boolean => service.startsWith('dsync-')

/**
 * Other programs kept (not skipped) because a diagnosis rule needs them as corroboration: a clock step
 * by a time daemon explains "Time moved backwards"; the kernel's OOM killer and SELinux denials explain
 * killed or refused Dovecot processes.
 */
export const TIME_DAEMONS: ReadonlySet<string> = new Set(['ntpd', 'ntpdate', 'openntpd', 'chronyd', 'systemd-timesyncd'])

/** Kernel lines worth keeping: the OOM killer and SELinux AVC denials. Everything else the kernel says is skipped. */
export function isCorroboratingKernelMessage(message: string): boolean {
  return message.includes('Killed process') || message.includes('Out of memory') || message.includes('oom-kill') || message.includes('oom_reaper') || message.includes('avc:  denied')
}

/** A syslog ident that is Dovecot's: `dovecot` (2.2, and 2.3+ by default) or an `instance_name` starting with it. */
export const isDovecotIdent = (program: string): boolean => program.startsWith('dovecot')
