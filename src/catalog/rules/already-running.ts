import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'already-running',
  kind: 'problem',
  title: 'A second Dovecot was started while one is running',
  severity: 'medium',
  literal: 'Dovecot is already running',
  patterns: [
    /Dovecot is already running(?: with PID (?<pid>\d+) \(read from (?<pidFile>[^()]+)\)|\? Socket already exists: (?<socket>\S+))/,
  ],
  facts: {pid: 'The PID in the pid file.', pidFile: 'The pid file.', socket: 'The socket that already exists.'},
  summary: {by: ['pidFile', 'socket'], format: (f, n) => `${f.pidFile ?? f.socket ?? 'start refused'}: ${n} time(s)`},
  explanation:
    'dovecot refused to start because a master already runs (or left its pid file or sockets behind). Usually two ' +
    'things start Dovecot (an init script and systemd, or a watchdog), or a restart raced with the old master.',
  remedy: [
    'Check what runs: `doveadm process status` or `ps -C dovecot`, and `systemctl status dovecot`; stop starting it from more than one place.',
    'If no master runs, the pid file or socket is stale after a crash: remove the `master.pid` or socket named in the message and start once.',
  ],
  docs: DOCS.running,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Fatal: Dovecot is already running with PID 812 (read from /var/run/dovecot/master.pid)',
        version: '2.2',
        facts: {pid: '812', pidFile: '/var/run/dovecot/master.pid'},
      },
      {line: 'Nov 23 10:00:00 master: Fatal: Dovecot is already running with PID 812 (read from /run/dovecot/master.pid)', version: '2.3'},
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Fatal: Dovecot is already running? Socket already exists: /run/dovecot/login/imap',
        version: '2.4',
        facts: {socket: '/run/dovecot/login/imap'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=7, msgid=<a7@example.com>, size=300, subject=Re: Dovecot is already running?',
        why: 'a mail_log line quoting the words, with no PID or socket after them',
      },
    ],
  },
})
