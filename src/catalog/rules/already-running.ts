import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'already-running',
  kind: 'problem',
  title: 'A second Dovecot was started while one is running',
  severity: 'medium',
  literal: 'Dovecot is already running',
  patterns: [
    // src/master/main.c (2.2-2.4): "Dovecot is already running with PID %s (read from %s)"; master-settings.c: "Dovecot is
    // already running? Socket already exists: %s". Lines quoted in support threads, or cut by a log shipper, lose the
    // "(read from ...)" part: the PID alone still says it.
    /Dovecot is already running(?: with PID (?<pid>\d+)(?: \(read from (?<pidFile>[^()]+)\))?|\? Socket already exists: (?<socket>\S+))/,
  ],
  // The master says it with Fatal (an Error at most): an Info line holding the words is a mail_log subject= or similar.
  conditions: {levels: ['fatal', 'error']},
  facts: {pid: 'The PID in the pid file.', pidFile: 'The pid file.', socket: 'The socket that already exists.'},
  summary: {
    by: ['pidFile', 'socket', 'pid'],
    format: (f, n) => `${f.pidFile ?? f.socket ?? 'start refused'}${f.pid ? ` (PID ${f.pid})` : ''}: ${n} time(s)`,
  },
  explanation:
    'dovecot refused to start because a master already runs (or left its pid file or sockets behind). Usually two ' +
    'things start Dovecot (an init script and systemd, or a watchdog), or a restart raced with the old master.',
  remedy: [
    'Check what runs: `doveadm process status` or `ps -C dovecot`, and `systemctl status dovecot`; stop starting it from more than one place.',
    'If no master runs, the pid file or socket is stale after a crash: remove the `master.pid` or socket named in the message and start once.',
    'In a container (docker-mailserver, mailcow, iRedMail) a small PID such as 32 after a restart usually belongs to another process of the new container, not to Dovecot: the pid file survived an unclean stop. Remove `/run/dovecot/master.pid` in the container (or recreate the container) before Dovecot starts; a supervisor that restarts it in a loop (`exited: dovecot (exit status 89; not expected)`) stops once the file is gone.',
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
        line: '2017-07-26 15:45:01 master: Fatal: Dovecot is already running with PID 32',
        version: '2.2',
        facts: {pid: '32'},
      },
      {
        line: '2024-08-02T00:14:06.432847+00:00 mail dovecot: master: Fatal: Dovecot is already running with PID 133 (read from /run/dovecot/master.pid)',
        version: '2.3',
        facts: {pid: '133', pidFile: '/run/dovecot/master.pid'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Fatal: Dovecot is already running? Socket already exists: /run/dovecot/login/imap',
        version: '2.4',
        facts: {socket: '/run/dovecot/login/imap'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=15, msgid=<a15@example.com>, size=900, subject=Dovecot is already running with PID 812 (read from /run/dovecot/master.pid)',
        why: 'a mail_log line (Info) whose subject is a monitoring alert quoting the whole message',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=7, msgid=<a7@example.com>, size=300, subject=Re: Dovecot is already running?',
        why: 'a mail_log line quoting the words, with no PID or socket after them',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: copy from INBOX: box=Trash, uid=9, msgid=<a9@example.com>, size=812, subject=Dovecot is already running with PID',
        why: 'a mail_log line quoting the text (Info, and no PID number)',
      },
      {
        line: 'Nov 23 10:00:00 master: Error: Dovecot is already running with PID file /run/dovecot/master.pid missing',
        why: 'no PID number after "with PID"',
      },
    ],
  },
})
