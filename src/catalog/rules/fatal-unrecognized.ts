import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'fatal-unrecognized',
  kind: 'problem',
  title: 'A Dovecot process stopped with a Fatal or Panic no rule explains',
  severity: 'high',
  // A Fatal ends the process (exit status 89 for a plain i_fatal(), src/lib/failures.h); a Panic aborts it.
  // Either way something stopped working: it must never pass unseen because no rule knows its wording.
  fallback: true,
  literal: '',
  patterns: [],
  conditions: {levels: ['fatal', 'panic']},
  facts: {
    level: 'fatal or panic.',
    service: 'The Dovecot process that stopped (master, doveconf, imap, auth, ...).',
    template: 'The message with its variable parts (users, paths, numbers) masked: one group per kind of failure.',
  },
  summary: {
    by: ['level', 'service', 'template'],
    format: (f, n) => `${f.service ?? '?'}: ${f.level === 'panic' ? 'Panic' : 'Fatal'}: ${f.template}: ${n} time(s)`,
  },
  explanation:
    'A Dovecot process logged a Fatal or Panic that no rule in the catalog recognizes, and exited. When the process ' +
    'is the master, doveconf or a service starting up, Dovecot (or that service) is not running; when it is a mail ' +
    'or login process, the client it served was disconnected. The message itself says what failed.',
  remedy: [
    'Read the Fatal line and the lines just before it from the same process (same service and pid): the cause is usually logged right there.',
    'For configuration or startup failures run `doveconf -n` (it prints the same error with file and line) and `dovecot -n`, fix the setting, then start Dovecot again.',
    'Turn on more logging to see what led up to it (`log_debug = category=...` in 2.4, `mail_debug = yes` / `auth_debug = yes` in 2.3), and follow the debugging page to get a backtrace for a Panic.',
  ],
  docs: DOCS.debug,
  examples: {
    match: [
      {line: "Nov 23 10:00:00 mail1 dovecot: auth: Fatal: Unknown passdb driver 'sqll'", version: '2.2', facts: {service: 'auth'}},
      {
        line: "Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Fatal: Couldn't drop privileges: User is missing UID (see mail_uid setting)",
        version: '2.3',
        facts: {template: "Couldn't drop privileges: User is missing UID (see mail_uid setting)"},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Panic: kevent(): Bad file descriptor',
        version: '2.4',
        facts: {service: 'master', template: 'kevent(): Bad file descriptor'},
      },
    ],
    nearMiss: [
      {
        line: "Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Couldn't drop privileges: User is missing UID (see mail_uid setting)",
        why: 'an Error, not a Fatal: listed under "severe but unrecognized"',
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Fatal: Dovecot is already running with PID 812 (read from /run/dovecot/master.pid)',
        why: 'a Fatal another rule recognizes (already-running)',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: Disconnected: Logged out in=120 out=4812 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0',
        why: 'ordinary activity',
      },
    ],
  },
})
