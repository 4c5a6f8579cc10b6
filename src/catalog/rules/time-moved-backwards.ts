import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'time-moved-backwards',
  kind: 'problem',
  title: 'The system clock moved backwards',
  severity: 'high',
  literal: 'moved backwards by',
  patterns: [
    // Every producer: any process's Warning, the master's throttling Warning (2.2 "secs", 2.3.8+ "seconds"),
    // and the mail processes' Error (sleeps) or Fatal (kills itself). 2.2 and 2.3.0-2.3.7 print whole seconds.
    /^Time (?<just>just )?moved backwards by (?<seconds>\d+(?:\.\d+)?) seconds(?:(?<waiting>, waiting for) (?<waitSeconds>\d+(?:\.\d+)?) (?:secs|seconds) until new services are launched again|\. This might cause a lot of problems, (?<killed>so I'll just kill myself now)|\. (?<slept>I'll sleep now) until we're back in present)?/,
  ],
  conditions: {levels: ['warning', 'error', 'fatal']},
  facts: {
    just: 'Present in the mail processes\' form ("Time just moved backwards").',
    seconds: 'How far the clock jumped back, in seconds.',
    waiting: 'Present when the master stopped launching new processes for a while.',
    waitSeconds: 'How long the master waits before launching processes again.',
    killed: 'Present when a mail process (imap, pop3, lmtp, ...) killed itself: its users were disconnected.',
    slept: 'Present when a mail process paused until the clock caught up (jumps of 5 seconds or less).',
  },
  summary: {
    by: ['killed', 'slept', 'waiting'],
    format: (f, n) =>
      f.killed
        ? `a mail process killed itself ${n} time(s)`
        : f.slept
          ? `a mail process paused until the clock caught up ${n} time(s)`
          : f.waiting
            ? `the master stopped launching new processes ${n} time(s)`
            : `a process noticed the jump ${n} time(s)`,
    max: [{fact: 'seconds', label: 'largest jump', unit: 'seconds'}],
  },
  explanation:
    'The clock was set back. Dovecot relies on time only growing (unique Maildir file names, dbox ids, dotlock ' +
    'staleness, timestamps in index files), so mail processes sleep or kill themselves and the master stops ' +
    'starting new processes for up to 3 minutes: users see disconnects and refused logins. Usual causes: ntpdate ' +
    'run periodically, ntpd or chrony stepping the clock, a virtual machine whose clock is badly synced, or Dovecot ' +
    'started before the clock was synchronized at boot.',
  remedy: [
    "Find what steps the clock: a cron job running `ntpdate`, `ntpd`/`chronyd` log lines such as `time reset -2.07 s`, or the hypervisor's guest time sync.",
    'Keep the clock in sync by slewing, not stepping: run ntpd (with `-x`, or `tinker step 0` in /etc/ntp.conf) or chrony, and stop periodic `ntpdate`.',
    'Start Dovecot only after the clock is synchronized: with systemd add `After=time-sync.target` and `Wants=time-sync.target` to a dovecot drop-in (`systemctl edit dovecot`) and enable `systemd-time-wait-sync.service`; without systemd run `ntp-wait` before starting Dovecot.',
    "On a virtual machine, fix the guest clock source or the hypervisor's time synchronization so it stops jumping.",
  ],
  harmless:
    'A single warning of a fraction of a second from a login or auth process, with no mail process killed: ' +
    'Dovecot adjusts its timeouts and carries on. Repeated jumps, or any Fatal, are not harmless.',
  // A clock step this close to the jump Dovecot noticed is taken as its cause.
  correlations: [
    {
      rule: 'ntpd-time-reset',
      withinSeconds: 600,
      note: 'Corroborated: {event}, within minutes of the jump. The time daemon is stepping the clock: make it slew instead.',
    },
    {
      rule: 'chronyd-clock-stepped',
      withinSeconds: 600,
      note: 'Corroborated: {event}, within minutes of the jump. The time daemon is stepping the clock: make it slew instead.',
    },
  ],
  docs: DOCS.errors('time-moved-backwards-error'),
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Warning: Time moved backwards by 18 seconds, waiting for 18 secs until new services are launched again.',
        version: '2.2',
        facts: {seconds: '18', waiting: ', waiting for'},
      },
      {
        line: 'Nov 23 10:00:00 master: Warning: Time moved backwards by 2.500000 seconds, waiting for 3.500 seconds until new services are launched again.',
        version: '2.3',
        facts: {seconds: '2.500000', waitSeconds: '3.500'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Warning: Time moved backwards by 2.500000 seconds.',
        version: '2.3',
        facts: {seconds: '2.500000'},
      },
      {line: 'Nov 23 10:00:00 auth: Warning: Time moved backwards by 18 seconds.', version: '2.2'},
      {
        line: "Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Fatal: Time just moved backwards by 7 seconds. This might cause a lot of problems, so I'll just kill myself now. http://wiki2.dovecot.org/TimeMovedBackwards",
        version: '2.2',
        facts: {seconds: '7', killed: "so I'll just kill myself now"},
      },
      {
        line: "Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Time just moved backwards by 2.500000 seconds. I'll sleep now until we're back in present. http://wiki2.dovecot.org/TimeMovedBackwards",
        version: '2.3',
        facts: {slept: "I'll sleep now"},
      },
      {
        line: "2026-11-23T10:00:00.123456+00:00 mail1 dovecot: pop3(jdoe)<1234><AbCdEf12>: Fatal: Time just moved backwards by 7.250000 seconds. This might cause a lot of problems, so I'll just kill myself now. https://doc.dovecot.org/latest/core/admin/errors.html#time-moved-backwards-error",
        version: '2.4',
        facts: {seconds: '7.250000'},
      },
      {
        line: 'Nov 23 10:00:00 master: Warning: Time moved backwards by 1.000250 seconds, waiting for 1.000 seconds until new services are launched again.',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: copy from INBOX: box=Archive, uid=12, msgid=<a1@example.com>, size=1234, subject=Time moved backwards by 5 seconds',
        why: 'a mail_log line whose subject quotes the message',
      },
    ],
  },
})
