import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'net-connect-unix-eagain',
  kind: 'problem',
  title: 'Login processes could not hand connections to mail processes (socket queue full)',
  severity: 'high',
  literal: 'Resource temporarily unavailable',
  patterns: [
    // <=2.2.5 bare; 2.2.6+ adds the SocketUnavailable URL; 2.2.36/2.3.2+ wrap it as "master(imap): ... (client-pid=...)";
    // 2.4 points the URL at doc.dovecot.org.
    /net_connect_unix\((?<socket>[^()]+)\) failed: Resource temporarily unavailable(?:[^(]*\(client-pid=\d+, client-id=\d+, rip=(?<rip>[^,]+))?/,
  ],
  conditions: {levels: ['error']},
  facts: {socket: 'The socket that was full (`imap`, `pop3`, ... relative to base_dir/login).', rip: 'The client whose login was dropped.'},
  summary: {by: ['socket'], format: (f, n) => `${n} login(s) could not reach the ${f.socket} socket`},
  explanation:
    "More login processes tried to pass connections to the mail service's UNIX socket than its processes accepted; " +
    'the kernel listen queue filled up and refused them, so users saw failed logins. The mail processes were busy ' +
    'or too few, the master was too slow to fork new ones, or file descriptors or the listen queue ran out.',
  remedy: [
    'Make sure the mail services have `client_limit = 1` (`service imap { client_limit = 1 }`, also pop3, lmtp): a mail process stuck on disk I/O or a lock must not hold other clients.',
    'Check whether `process_limit` was reached (see process-limit-reached): raise `service imap { process_limit }` if the host has the memory.',
    'Check the file descriptor limit of the running master: `cat /proc/$(pidof dovecot)/limits`; it must be at least the largest client_limit (raise `LimitNOFILE` in the systemd unit, or `ulimit -n`).',
    'Give the master less forking to do: use high-performance login (`service imap-login { service_count = 0 }`, or `restart_request_count` in 2.4), reuse mail processes (`service imap { service_count = 100 }`), and pre-fork some with `process_min_avail`.',
    'Raise the kernel listen queue: Dovecot asks for client_limit × process_limit, but Linux caps it at `net.core.somaxconn` (often 128 or 4096).',
  ],
  correlations: [
    {
      rule: 'process-limit-reached',
      note: 'net-connect-unix-eagain and process-limit-reached happened together: one cause. The service hit its limit, new connections queued on its socket until the kernel refused them. Fix the limit first.',
    },
  ],
  docs: DOCS.errors('unix-socket-resource-temporarily-unavailable'),
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Error: net_connect_unix(imap) failed: Resource temporarily unavailable',
        version: '2.2',
        facts: {socket: 'imap'},
      },
      {
        line: 'Nov 23 10:00:00 imap-login: Error: net_connect_unix(pop3) failed: Resource temporarily unavailable - http://wiki2.dovecot.org/SocketUnavailable',
        version: '2.2',
        facts: {socket: 'pop3'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Error: master(imap): net_connect_unix(imap) failed: Resource temporarily unavailable - http://wiki2.dovecot.org/SocketUnavailable (client-pid=2345, client-id=17, rip=203.0.113.5, created 512 msecs ago, received 0/24 bytes)',
        version: '2.3',
        facts: {socket: 'imap', rip: '203.0.113.5'},
      },
      {
        line: 'Nov 23 10:00:00 imap-login: Error: master(imap): net_connect_unix(imap) failed: Resource temporarily unavailable - https://doc.dovecot.org/latest/core/admin/errors.html#unix-socket-resource-temporarily-unavailable (client-pid=2345, client-id=17, rip=2001:db8::5, created 512 msecs ago, received 0/24 bytes)',
        version: '2.4',
        facts: {rip: '2001:db8::5'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: Disconnected: Connection closed: read(size=7026) failed: Resource temporarily unavailable in=120 out=980',
        why: 'an ordinary client disconnect',
      },
    ],
  },
})
