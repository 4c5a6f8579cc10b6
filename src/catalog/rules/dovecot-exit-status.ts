import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'dovecot-exit-status',
  kind: 'problem',
  title: 'Dovecot exited with a fatal status (reported by systemd or supervisord)',
  severity: 'critical',
  // Dovecot's fatal exit statuses (src/lib/failures.h, the same in 2.2-2.4): 80 log open, 81 log write, 82 logging,
  // 83 out of memory, 84 exec() failed, 89 any other Fatal (doveconf's configuration errors, "Failed to start
  // listeners", ...). systemd reports the master's exit as "<unit>: Main process exited, code=exited, status=89/n/a"
  // (older versions: "Control process exited, code=exited status=89"). supervisord (containers: docker-mailserver,
  // mailcow, iRedMail) logs "exited: dovecot (exit status 89; not expected)" and restarts it, often in a loop.
  literal: 'exited',
  patterns: [
    /^(?<unit>dovecot[\w@.-]*\.service): (?:Main|Control) process exited, code=exited,? status=(?<status>8[0-49])(?:\/[\w/-]+)?$/,
    /^exited: (?<program>dovecot[\w@.-]*) \(exit status (?<status>8[0-49]); not expected\)$/,
  ],
  conditions: {programs: ['systemd', 'supervisord']},
  facts: {
    unit: 'The systemd unit.',
    program: "supervisord's program name.",
    status: "Dovecot's exit status (89: a Fatal error; 83: out of memory; 80-82: logging; 84: exec failed).",
  },
  summary: {by: ['unit', 'program', 'status'], format: (f, n) => `${f.unit ?? f.program} exited with status ${f.status}: ${n} time(s)`},
  correlations: [
    {rule: 'config-error', note: 'The configuration error (config-error) is why it exited.'},
    {rule: 'listen-failed', note: 'The listener that could not be opened (listen-failed) is why it exited.'},
    {
      rule: 'already-running',
      note: 'A pid file left from before (already-running) is why it exited: remove it and the restarts succeed.',
    },
  ],
  explanation:
    'The Dovecot master exited with one of its fatal statuses: it did not start, or stopped. Status 89 means a Fatal ' +
    'error was logged just before (by doveconf or the master: a configuration error, a port in use, a missing ' +
    'directory); Dovecot is not running until it is started again.',
  remedy: [
    'Read the Dovecot lines just before it (same time): the Fatal line says what failed; `journalctl -u dovecot -n 50` shows them together.',
    'Run `doveconf -n` to check the configuration, fix what the Fatal names, then `systemctl start dovecot` and check `systemctl status dovecot`.',
    "In a container under supervisord, Dovecot's own lines are in its log (`/var/log/mail.log`, `/var/log/supervisor/dovecot.log` or `docker logs`); `supervisorctl status dovecot` shows whether supervisord gave up (FATAL) and `supervisorctl start dovecot` starts it again once fixed.",
  ],
  docs: DOCS.running,
  examples: {
    match: [
      {
        line: 'Sep 15 16:04:00 racknerd-525c3b systemd[1]: dovecot.service: Main process exited, code=exited, status=89/n/a',
        facts: {unit: 'dovecot.service', status: '89'},
      },
      {
        line: 'Dec 30 00:38:32 server.com systemd[1]: dovecot.service: Control process exited, code=exited status=89',
        facts: {status: '89'},
      },
      {line: 'Mar 14 04:29:38 web03 systemd[1]: dovecot.service: Main process exited, code=exited, status=83/n/a', facts: {status: '83'}},
      {line: '2017-08-13 21:18:54,369 INFO exited: dovecot (exit status 89; not expected)', facts: {program: 'dovecot', status: '89'}},
      {line: 'dms-1  | 2024-08-02 00:14:06,365 WARN exited: dovecot (exit status 89; not expected)', facts: {status: '89'}},
      {line: 'iredmail_1  | 2021-02-01 00:29:45,088 INFO exited: dovecot (exit status 89; not expected)', facts: {status: '89'}},
    ],
    nearMiss: [
      {line: '2017-08-13 21:18:54,369 INFO exited: dovecot (exit status 0; expected)', why: 'supervisord saw a clean exit'},
      {
        line: '2020-10-17 10:00:00,123 INFO exited: dovecot (terminated by SIGTERM; not expected)',
        why: 'stopped by a signal, not a Dovecot exit status (killed-with-signal tells who)',
      },
      {line: 'Mar 14 04:29:38 web03 systemd[1]: dovecot.service: Main process exited, code=exited, status=0/SUCCESS', why: 'a clean exit'},
    ],
  },
})
