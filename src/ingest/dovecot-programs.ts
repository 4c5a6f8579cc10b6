/**
 * Names that identify Dovecot's lines and the few other programs dovediag keeps: data, one home.
 */

/**
 * Dovecot's processes, as they appear as the first word of a log line's process prefix (2.2 to 2.4).
 * Used to recognize Dovecot lines in a shared syslog when `instance_name` changed the syslog ident,
 * and lines with no timestamp (docker logs, `dovecot -F`).
 */
export const DOVECOT_SERVICES: ReadonlySet<string> = new Set([
  'master',
  'config',
  'log',
  'anvil',
  'stats',
  'old-stats',
  'ssl-params',
  'dict',
  'dict-async',
  'dict-expire',
  'auth',
  'auth-worker',
  'director',
  'replicator',
  'aggregator',
  'indexer',
  'indexer-worker',
  'health-check',
  'imap',
  'imap-login',
  'imap-hibernate',
  'imap-urlauth',
  'imap-urlauth-login',
  'imap-urlauth-worker',
  'pop3',
  'pop3-login',
  'submission',
  'submission-login',
  'managesieve',
  'managesieve-login',
  'lmtp',
  'lda',
  'deliver',
  'dovecot-lda',
  'quota-status',
  'quota-warning',
  'doveadm',
  'doveadm-server',
  'dsync-local',
  'dsync-remote',
  'dsync-server',
  'dovecot',
  'doveconf',
  'sieve',
  'sievec',
  'fts',
  'lazy_expunge',
])

/** Processes that take part in dsync: their prefix carries `<session>` only, no `<pid>`. */
export const isDsyncService = (service: string): boolean => service.startsWith('dsync-')

/**
 * Other programs kept (not skipped) because a diagnosis rule needs them as corroboration: a clock step
 * by a time daemon explains "Time moved backwards"; the kernel's OOM killer and SELinux denials explain
 * killed or refused Dovecot processes.
 */
export const TIME_DAEMONS: ReadonlySet<string> = new Set(['ntpd', 'ntpdate', 'openntpd', 'chronyd', 'systemd-timesyncd'])

/**
 * Init systems whose lines about Dovecot's unit are kept: systemd says when the master exited with a fatal
 * status ("dovecot.service: Main process exited, code=exited, status=89/n/a"), often the only trace of a
 * Dovecot that never started.
 */
export const INIT_SYSTEMS: ReadonlySet<string> = new Set(['systemd'])

/** An init system's line about a Dovecot unit (`dovecot.service: ...`, `dovecot@x.service: ...`). */
export const isAboutDovecotUnit = (text: string, at: number): boolean => text.startsWith('dovecot', at)

/**
 * supervisord's line about its program `dovecot` (docker-mailserver, mailcow, iRedMail run Dovecot under it):
 * `exited: dovecot (exit status 89; not expected)`, `spawned: 'dovecot' with pid 14665`, `gave up: dovecot entered FATAL state`.
 */
const SUPERVISOR_ABOUT_DOVECOT = /[a-z][a-z ]{0,20}: '?dovecot\b/y

export function isSupervisorLineAboutDovecot(text: string, at: number): boolean {
  SUPERVISOR_ABOUT_DOVECOT.lastIndex = at
  return SUPERVISOR_ABOUT_DOVECOT.test(text)
}

/**
 * Postfix's delivery agents reporting a delivery through Dovecot's LDA that did not succeed: pipe(8) with the usual
 * `relay=dovecot` transport, local(8) with dovecot-lda as `mailbox_command` (its `lda(user): ...` output). The
 * exit status of dovecot-lda is often only in these lines.
 */
export function isLdaDeliveryReport(program: string, text: string, at: number): boolean {
  if (program !== 'postfix/pipe' && program !== 'postfix/local') return false
  const status = text.indexOf(', status=', at)
  if (status === -1 || text.startsWith('sent', status + 9)) return false
  return text.includes('relay=dovecot', at) || text.includes('dovecot', status) || text.includes('lda(', status)
}

/** Kernel lines worth keeping: the OOM killer and SELinux AVC denials. Everything else the kernel says is skipped. */
export function isCorroboratingKernelMessage(message: string): boolean {
  return (
    message.includes('Killed process') ||
    message.includes('Out of memory') ||
    message.includes('oom-kill') ||
    message.includes('oom_reaper') ||
    message.includes('avc:  denied')
  )
}

/** A syslog ident that is Dovecot's: `dovecot` (2.2, and 2.3+ by default) or an `instance_name` starting with it. */
export const isDovecotIdent = (program: string): boolean => program.startsWith('dovecot')

/**
 * Programs that share a mail server's logs and are never Dovecot: a line tagged with one of them is
 * theirs, whatever words it contains (`postfix/smtpd[12]: fatal: ...`, `CRON[3]: ... limit`). The raw
 * fallback (src/ingest/raw-line.ts) reads no line of theirs.
 */
const OTHER_PROGRAMS: ReadonlySet<string> = new Set([
  'postfix',
  'postfix-script',
  'postqueue',
  'postdrop',
  'sendmail',
  'sm-mta',
  'exim',
  'exim4',
  'opensmtpd',
  'smtpd',
  'amavis',
  'amavisd',
  'amavisd-new',
  'spamd',
  'spamc',
  'spamassassin',
  'rspamd',
  'clamd',
  'clamav',
  'freshclam',
  'opendkim',
  'opendmarc',
  'postgrey',
  'policyd-spf',
  'policyd-weight',
  'fail2ban',
  'fail2ban-server',
  'sasl',
  'saslauthd',
  'supervisord',
  'supervisor',
  'systemd',
  'init',
  'cron',
  'CRON',
  'crond',
  'anacron',
  'kernel',
  'rsyslogd',
  'syslog-ng',
  'sshd',
  'sudo',
  'su',
  'login',
  'named',
  'unbound',
  'dhclient',
  'nginx',
  'apache2',
  'httpd',
  'php-fpm',
  'mysqld',
  'mariadbd',
  'postgres',
  'redis-server',
  'dockerd',
  'containerd',
  'kubelet',
  'logrotate',
  'acme.sh',
  'certbot',
])

/** A syslog tag's program (`postfix/smtpd`, `systemd-logind`, `CRON`) belongs to a program that is not Dovecot. */
export function isOtherProgram(program: string): boolean {
  const slash = program.indexOf('/')
  const base = slash === -1 ? program : program.slice(0, slash)
  return OTHER_PROGRAMS.has(base) || base.startsWith('systemd') || base.startsWith('postfix')
}

/**
 * A process prefix's name as Dovecot's services are named: Dovecot 1.x wrote mail processes in capitals
 * (`IMAP(jdoe): `, `POP3(jdoe): `), 2.x in lower case.
 */
export function serviceName(name: string): string {
  const c = name.charCodeAt(0)
  return c >= 65 && c <= 90 && name === name.toUpperCase() ? name.toLowerCase() : name
}
