import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'time-moved-forwards',
  kind: 'problem',
  title: 'The system clock jumped forwards',
  severity: 'low',
  literal: 'forward',
  patterns: [
    // 2.2-2.3 mail processes "jumped forwards"; master 2.3.17+ "moved forwards by"; 2.4.0/2.4.1 "moved forward";
    // 2.4 master and 2.4.2+ mail processes "moved forward by".
    /^Time (?:jumped forwards|moved forwards? by|moved forward) (?<seconds>\d+(?:\.\d+)?) seconds/,
  ],
  conditions: {levels: ['warning']},
  facts: {seconds: 'How far the clock jumped forwards, in seconds.'},
  summary: {
    by: [],
    format: (_f, n) => `the clock jumped forwards ${n} time(s)`,
    max: [{fact: 'seconds', label: 'largest jump', unit: 'seconds'}],
  },
  explanation:
    'The clock jumped ahead, or the process was frozen for a while (a suspended VM, a long stall). Dovecot ' +
    'adjusts its timeouts and goes on; mail processes only warn about jumps over 10 seconds. It is often the ' +
    'other half of a clock being stepped back and forth.',
  remedy: [
    'Check whether the clock is being stepped (ntpdate, ntpd/chronyd stepping, hypervisor time sync) and keep it in sync by slewing instead.',
    'If the host or VM was paused or overloaded at that moment, look at the host first: the clock may be fine.',
  ],
  harmless: 'Sub-second master warnings after a busy moment, or a single jump after a VM was resumed.',
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
      {line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Warning: Time jumped forwards 15 seconds', version: '2.2', facts: {seconds: '15'}},
      {line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Warning: Time jumped forwards 12.000312 seconds', version: '2.3'},
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Warning: Time moved forwards by 0.150321 seconds - adjusting timeouts.',
        version: '2.3',
        facts: {seconds: '0.150321'},
      },
      {line: 'Nov 23 10:00:00 master: Warning: Time moved forward by 0.150321 seconds - adjusting timeouts.', version: '2.4'},
      {line: 'Nov 23 10:00:00 lmtp(jdoe)<1234><AbCdEf12>: Warning: Time moved forward 11.000123 seconds', version: '2.4'},
      {line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Warning: Time moved forward by 11.000123 seconds', version: '2.4'},
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<1234><AbCdEf12>: Info: sieve: msgid=<a1@example.com>: forwarded to <jdoe@example.net>',
        why: 'a Sieve redirect, not a clock jump',
      },
    ],
  },
})
