import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'dovecot-exit-status',
  kind: 'problem',
  title: 'Dovecot exited with a fatal status (reported by systemd)',
  severity: 'critical',
  // Dovecot's fatal exit statuses (src/lib/failures.h, the same in 2.2-2.4): 80 log open, 81 log write, 82 logging,
  // 83 out of memory, 84 exec() failed, 89 any other Fatal (doveconf's configuration errors, "Failed to start
  // listeners", ...). systemd reports the master's exit as "<unit>: Main process exited, code=exited, status=89/n/a"
  // (older versions: "Control process exited, code=exited status=89").
  literal: 'process exited, code=exited',
  patterns: [/^(?<unit>dovecot[\w@.-]*\.service): (?:Main|Control) process exited, code=exited,? status=(?<status>8[0-49])(?:\/[\w/-]+)?$/],
  conditions: {programs: ['systemd']},
  facts: {
    unit: 'The systemd unit.',
    status: "Dovecot's exit status (89: a Fatal error; 83: out of memory; 80-82: logging; 84: exec failed).",
  },
  summary: {by: ['unit', 'status'], format: (f, n) => `${f.unit} exited with status ${f.status}: ${n} time(s)`},
  correlations: [
    {rule: 'config-error', note: 'The configuration error (config-error) is why it exited.'},
    {rule: 'listen-failed', note: 'The listener that could not be opened (listen-failed) is why it exited.'},
  ],
  explanation:
    'The Dovecot master exited with one of its fatal statuses: it did not start, or stopped. Status 89 means a Fatal ' +
    'error was logged just before (by doveconf or the master: a configuration error, a port in use, a missing ' +
    'directory); Dovecot is not running until it is started again.',
  remedy: [
    'Read the Dovecot lines just before it (same time): the Fatal line says what failed; `journalctl -u dovecot -n 50` shows them together.',
    'Run `doveconf -n` to check the configuration, fix what the Fatal names, then `systemctl start dovecot` and check `systemctl status dovecot`.',
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
    ],
    nearMiss: [
      {line: 'Mar 14 04:29:38 web03 systemd[1]: dovecot.service: Main process exited, code=exited, status=0/SUCCESS', why: 'a clean exit'},
    ],
  },
})
