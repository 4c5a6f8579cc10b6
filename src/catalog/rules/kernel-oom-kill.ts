import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'kernel-oom-kill',
  kind: 'fact',
  title: "The kernel's OOM killer killed a process",
  literal: 'Killed process',
  // "Out of memory: Killed process N (comm) ..." (host) and "Memory cgroup out of memory: Killed process ..."
  // (a container or systemd MemoryMax=); older kernels log "Killed process N (comm)" on a line of its own.
  patterns: [/Killed process (?<pid>\d+) \((?<process>[^)]{1,64})\)/],
  conditions: {programs: ['kernel']},
  facts: {pid: 'The process id the kernel killed.', process: 'Its command name (imap, pop3, doveadm, ...).'},
  explanation:
    'The host (or the memory cgroup of the service) ran out of memory and the kernel killed a process with SIGKILL. ' +
    'Dovecot then logs that its child was "killed with signal 9": the cause is the host\'s memory, not a Dovecot bug.',
  event: (facts) => `the kernel's OOM killer killed process ${facts.pid} (${facts.process})`,
  docs: DOCS.services,
  examples: {
    match: [
      {
        line: 'Nov 22 09:00:06 mx1 kernel: [81234.567890] Out of memory: Killed process 1234 (imap) total-vm:300000kB, anon-rss:250000kB, file-rss:0kB',
        facts: {pid: '1234', process: 'imap'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 kernel: Memory cgroup out of memory: Killed process 4242 (doveadm) total-vm:1000kB, anon-rss:900kB',
        facts: {pid: '4242', process: 'doveadm'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCd>: Info: Disconnected: Logged out in=10 out=20 subject=Killed process 1 (x)',
        why: 'Dovecot text quoting it is not the kernel',
      },
    ],
  },
})
