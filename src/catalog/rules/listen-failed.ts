import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'listen-failed',
  kind: 'problem',
  title: 'Dovecot could not listen on a port, so it did not start',
  severity: 'critical',
  // src/master/service-listen.c: "listen(%s, %u) failed: %m" with the "service(%s): " prefix (2.2 service_error(),
  // 2.3 the same, 2.4 the service's event prefix). Any failed listener makes main.c stop with
  // "Fatal: Failed to start listeners" (2.2 main.c:837, 2.3 :921, 2.4 :963) and exit status 89.
  literal: 'listen(',
  patterns: [
    /^service\((?<service>[\w-]+)\): listen\((?<address>[^,()]+), (?<port>\d+)\) failed: (?<error>(?<inUse>Address already in use)|(?<notLocal>Cannot assign requested address)|(?<noIpv6>Address family not supported by protocol)|(?<denied>Permission denied)|[^()]+)$/,
  ],
  conditions: {levels: ['error', 'fatal']},
  companions: [{literal: 'Failed to start listeners'}],
  facts: {
    service: 'The service whose listener failed (imap-login, pop3-login, lmtp, ...).',
    address: 'The address it tried (`*` is every IPv4 address, `::` every IPv6 one).',
    port: 'The port.',
    error: 'Why listen() failed.',
    inUse: 'Present when another process already listens there.',
    notLocal: "Present when the address is not one of this host's.",
    noIpv6: 'Present when IPv6 is disabled on the host.',
    denied: 'Present when a port below 1024 was opened without root.',
  },
  summary: {
    by: ['service', 'address', 'port', 'error'],
    format: (f, n) => `${f.service}: ${f.address}:${f.port}: ${f.error}: ${n} time(s)`,
  },
  variants: [
    {
      id: 'in-use',
      whenFact: 'inUse',
      explanation:
        'Another process holds the port: a Dovecot that is still running (or a stale one), another IMAP/POP3 server, or a second Dovecot instance with the same ports.',
      remedy: [
        "See who holds it: `ss -ltnp 'sport = :<port>'` (or `lsof -i :<port>`).",
        'If it is an old Dovecot, stop it (`doveadm stop`, or `systemctl stop dovecot` and check for a second copy started outside systemd); if it is another server, stop it or move one of them to another port.',
        'Then start Dovecot again and check that `doveadm service status` lists its services.',
      ],
    },
    {
      id: 'not-local',
      whenFact: 'notLocal',
      explanation:
        'The `listen` setting names an address this host does not have (yet): a typo, a moved IP, or the network came up after Dovecot.',
      remedy: [
        "Fix `listen` (or the listener's `address`) to addresses the host has (`ip addr`), or start Dovecot after the network is up (`After=network-online.target`).",
      ],
    },
    {
      id: 'no-ipv6',
      whenFact: 'noIpv6',
      explanation: 'The default `listen = *, ::` asks for IPv6, which is disabled on this host or container.',
      remedy: ['Set `listen = *` (IPv4 only), or enable IPv6 on the host.'],
    },
    {
      id: 'denied',
      whenFact: 'denied',
      explanation: 'Ports below 1024 need root (or CAP_NET_BIND_SERVICE); the master was started as another user.',
      remedy: ['Start Dovecot as root (it drops privileges itself), or use ports above 1024.'],
    },
  ],
  explanation:
    'The Dovecot master could not open a listening socket and, since any failed listener is fatal, stopped with ' +
    '"Failed to start listeners" (exit status 89). Nothing of Dovecot runs: clients cannot connect and mail is not ' +
    'delivered over LMTP until it starts.',
  remedy: [
    'Read the reason in the line (the error after "failed:") and fix the address or the process holding the port.',
    'Start Dovecot again and check `doveadm service status` or `systemctl status dovecot`.',
  ],
  docs: DOCS.services,
  examples: {
    match: [
      {
        line: 'Nov 30 00:56:52 master: Error: service(imap-login): listen(127.0.0.1, 14143) failed: Address already in use',
        version: '2.3',
        facts: {service: 'imap-login', address: '127.0.0.1', port: '14143'},
        variant: 'in-use',
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Error: service(imap-login): listen(*, 143) failed: Address already in use',
        version: '2.2',
        facts: {address: '*', port: '143'},
        variant: 'in-use',
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot[812]: master: Error: service(pop3-login): listen(::, 110) failed: Address family not supported by protocol',
        version: '2.4',
        facts: {address: '::'},
        variant: 'no-ipv6',
      },
      {
        line: 'Nov 23 10:00:00 master: Error: service(lmtp): listen(192.0.2.25, 24) failed: Cannot assign requested address',
        version: '2.4',
        variant: 'not-local',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 master: Info: service(imap-login): listen(*, 143) failed: Address already in use',
        why: 'not at a severe level (quoted, e.g. by a debug or test line)',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: listen(folder) failed: Address already in use',
        why: 'not the master listener message: no service(...) prefix',
      },
    ],
  },
})
