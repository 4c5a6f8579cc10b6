import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'tls-handshake-failed',
  kind: 'problem',
  title: 'TLS handshakes failed',
  severity: 'low',
  literal: 'SSL',
  patterns: [
    // Inside login disconnect lines (Info): "... TLS handshaking: SSL_accept() failed: error:...:reason, session=<...>".
    /TLS(?: handshaking)?: SSL_accept\(\) (?:syscall )?failed(?:: (?:error:[0-9A-Fa-f]+:[^:,]*:[^:,]*:)?(?<reason>[^,]+))?/,
    /Received invalid SSL certificate: (?<reason>[^(]+?)(?: \(check [^)]*\))?$/,
  ],
  facts: {reason: "OpenSSL's reason (unsupported protocol, no shared cipher, http request, ...)."},
  summary: {by: ['reason'], format: (f, n) => `${f.reason ?? 'handshake failed'}: ${n} time(s)`},
  explanation:
    'Clients could not agree on TLS with the server: too old a protocol version or cipher, a plain-text or HTTP ' +
    'client on a TLS port, or a certificate problem. Scanners cause most of these; real users see "cannot connect ' +
    'securely".',
  remedy: [
    'Read the reasons: "unsupported protocol" means clients older than `ssl_min_protocol` (TLS 1.0/1.1 clients); "no shared cipher" points at `ssl_cipher_list`; "http request" is a browser or scanner.',
    'If real users are among the affected (check the users and IPs), relax `ssl_min_protocol`/`ssl_cipher_list` for them or get the clients updated.',
    'For certificate errors check the chain in `ssl_cert` (full chain, not only the leaf) and its expiry.',
  ],
  harmless: 'Failures only from scanners or unknown IPs with no user name.',
  docs: DOCS.ssl,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=198.51.100.7, lip=192.0.2.10, TLS handshaking: SSL_accept() failed: error:1408F10B:SSL routines:ssl3_get_record:wrong version number, session=<AbCdEf12>',
        version: '2.2',
        facts: {reason: 'wrong version number'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Disconnected: Connection closed: SSL_accept() failed: error:0A000102:SSL routines::unsupported protocol (no auth attempts in 0 secs): user=<>, rip=198.51.100.7, lip=192.0.2.10, TLS handshaking: SSL_accept() failed: error:0A000102:SSL routines::unsupported protocol, session=<AbCdEf12>',
        version: '2.3',
        facts: {reason: 'unsupported protocol'},
      },
      {
        line: 'Nov 23 10:00:00 pop3-login: Info: Login aborted: Connection closed: SSL_accept() failed: error:0A000076:SSL routines::no suitable signature algorithm (no auth attempts in 0 secs) (tls_handshake_not_finished): user=<>, rip=198.51.100.7, lip=192.0.2.10, TLS handshaking: SSL_accept() failed: error:0A000076:SSL routines::no suitable signature algorithm, session=<AbCdEf12>',
        version: '2.4',
        facts: {reason: 'no suitable signature algorithm'},
      },
    ],
    nearMiss: [
      {
        line: "Nov 23 10:00:00 imap-login: Error: Failed to initialize SSL server context: Can't load SSL certificate (ssl_cert setting): The certificate is empty: user=<>, rip=192.0.2.7, lip=192.0.2.10, session=<AbCdEf12>",
        why: "the server's own TLS setup failed, not a client's handshake",
        otherRule: 'tls-setup-failed',
      },
    ],
  },
})
