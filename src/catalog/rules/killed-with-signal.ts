import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'killed-with-signal',
  kind: 'problem',
  title: 'The Dovecot master was stopped by a signal',
  severity: 'low',
  literal: 'Killed with signal',
  patterns: [/^Killed with signal (?<signal>\d+) \(by pid=(?<byPid>\d+) uid=(?<byUid>\d+) code=(?<code>\w+)\)/],
  conditions: {services: ['master']},
  facts: {
    signal: 'The signal number (15 = SIGTERM: a stop or restart).',
    byPid: 'Who sent it.',
    byUid: 'Its user id.',
    code: 'How (kill, ...).',
  },
  summary: {by: ['signal', 'byUid'], format: (f, n) => `signal ${f.signal} from uid ${f.byUid}: ${n} time(s)`},
  explanation:
    'The master process received a signal and shut Dovecot down, disconnecting every user. A planned stop, restart ' +
    'or package upgrade does exactly this; unplanned ones come from watchdogs, scripts or an admin.',
  remedy: [
    'Match the times with planned restarts and package upgrades.',
    'If unplanned, find the sender from the pid and uid in the line (systemd is pid 1; look for cron jobs, monitoring and config-management runs).',
  ],
  harmless: 'Planned stops, restarts and upgrades.',
  docs: DOCS.running,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Warning: Killed with signal 15 (by pid=1 uid=0 code=kill)',
        version: '2.2',
        facts: {signal: '15', byPid: '1', byUid: '0', code: 'kill'},
      },
      {line: 'Nov 23 10:00:00 master: Warning: Killed with signal 15 (by pid=48213 uid=0 code=kill)', version: '2.3'},
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Warning: Killed with signal 2 (by pid=0 uid=0 code=kernel)',
        version: '2.4',
        facts: {signal: '2'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 doveadm(jdoe): Warning: Killed with signal 15 (by pid=4242 uid=0 code=kill)',
        why: 'a doveadm run stopped by an admin, not the master',
      },
    ],
  },
})
