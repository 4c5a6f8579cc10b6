import {signalName} from '../../signals.js'
import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'child-killed-signal',
  kind: 'problem',
  title: 'Dovecot processes were killed by a signal (crash or OOM killer)',
  severity: 'high',
  literal: 'killed with signal',
  patterns: [/service\((?<service>[^()]+)\): child (?<pid>\d+) killed with signal (?<signal>\d+)(?<core> \(core dumped\))?/],
  conditions: {levels: ['error', 'fatal']},
  facts: {
    service: 'The service whose process died.',
    pid: 'The dead process.',
    signal: 'The signal: 9 is usually the kernel OOM killer, 11 a crash, 6 a Panic.',
    core: 'Present when a core dump was written.',
  },
  summary: {by: ['service', 'signal'], format: (f, n) => `${f.service} killed by ${signalName(Number(f.signal))} ${n} time(s)`},
  explanation:
    'A Dovecot process died from a signal instead of exiting: SIGSEGV/SIGBUS is a crash (a bug, or damaged data), ' +
    'SIGABRT follows a Panic, SIGKILL usually comes from the kernel OOM killer or an admin. Its users were ' +
    'disconnected, or the delivery was retried.',
  remedy: [
    'SIGKILL (9): check the kernel log for "Out of memory: Killed process" and the host\'s memory; lower per-process memory or add RAM.',
    'SIGSEGV (11), SIGBUS (7), SIGABRT (6): find the matching Panic line, enable core dumps, and report the backtrace; try `doveadm force-resync` for users that crash repeatedly.',
  ],
  // The master logs a SIGKILLed child within moments of the kernel killing it.
  correlations: [
    {
      rule: 'kernel-oom-kill',
      withinSeconds: 120,
      whenFact: {name: 'signal', value: '9'},
      note: "Corroborated: {event}. The host (or the service's memory cgroup) ran out of memory: add RAM or swap, or lower what the mail processes may use (vsz_limit, process_limit).",
    },
  ],
  docs: DOCS.debug,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Error: service(imap): child 1234 killed with signal 11 (core dumps disabled)',
        version: '2.2',
        facts: {service: 'imap', signal: '11'},
      },
      {
        line: 'Nov 23 10:00:00 imap: Fatal: master: service(imap): child 1234 killed with signal 9 [last ip=203.0.113.5]',
        version: '2.3',
        facts: {signal: '9'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Error: service(lmtp): child 2345 killed with signal 6 (core dumped)',
        version: '2.4',
        facts: {service: 'lmtp', core: ' (core dumped)'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=16, msgid=<b7@example.com>, size=100, subject=service(imap): child 1 killed with signal 9',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
