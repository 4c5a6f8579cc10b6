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
    // "no protocols available" (no version left on the server's side) is tls-no-protocols'.
    /TLS(?: handshaking)?: SSL_accept\(\) (?:syscall )?failed(?!: error:[0-9A-Fa-f]+:[^:,]*:[^:,]*:no protocols available)(?:: (?:error:[0-9A-Fa-f]+:[^:,]*:[^:,]*:)?(?<reason>(?<tooOld>unsupported protocol|version too low|no suitable signature algorithm|tlsv1 alert protocol version)|(?<plaintext>wrong version number|http request|https proxy request)|[^,]+))?/,
    // The reason never runs past another "Received invalid SSL certificate: ": each start scans only up to the next one.
    /Received invalid SSL certificate: (?<reason>(?:(?!Received invalid SSL certificate: )[^(])+?)(?: \(check [^()]*\))?$/,
  ],
  facts: {
    reason: "OpenSSL's reason (unsupported protocol, no shared cipher, http request, ...).",
    tooOld:
      'The client offered only TLS versions or signature algorithms below what the server allows (ssl_min_protocol, OpenSSL security level).',
    plaintext: 'The client did not speak TLS at all: plain IMAP/POP3 or HTTP on a TLS port.',
  },
  variants: [
    {
      id: 'too-old',
      whenFact: 'tooOld',
      explanation:
        "These clients are older than the server's minimum: ssl_min_protocol (TLSv1.2 by default in 2.4) or the system OpenSSL security level refuses what they offer.",
      remedy: [
        'Look at who they are (users and IPs): scanners need nothing. For real users update the client (TLS 1.2 is supported by every maintained mail client).',
        'Only if old clients must be served: lower `ssl_min_protocol` (e.g. TLSv1) and, with OpenSSL 3, add `@SECLEVEL=0` to `ssl_cipher_list` for "no suitable signature algorithm"; this weakens TLS for everyone.',
      ],
    },
    {
      id: 'plaintext',
      whenFact: 'plaintext',
      explanation: 'A client spoke plain text (or HTTP) to a port that expects TLS from the first byte (993, 995).',
      remedy: [
        'Clients configured with "STARTTLS" must use 143/110, clients with "SSL/TLS" 993/995: fix the client settings of the affected users; web browsers and scanners can be ignored.',
      ],
    },
  ],
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
        variant: 'plaintext',
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Disconnected: Connection closed: SSL_accept() failed: error:0A000102:SSL routines::unsupported protocol (no auth attempts in 0 secs): user=<>, rip=198.51.100.7, lip=192.0.2.10, TLS handshaking: SSL_accept() failed: error:0A000102:SSL routines::unsupported protocol, session=<AbCdEf12>',
        version: '2.3',
        facts: {reason: 'unsupported protocol'},
        variant: 'too-old',
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
      {
        line: 'Nov 30 03:57:38 imap-login: Info: Disconnected: Connection closed: SSL_accept() failed: error:0A0000BF:SSL routines::no protocols available (no auth attempts in 0 secs): user=<>, rip=127.0.0.1, lip=127.0.0.1, TLS handshaking: SSL_accept() failed: error:0A0000BF:SSL routines::no protocols available, session=<1VUkaXZh9NV/AAAB>',
        version: '2.3',
        why: 'the server offers no TLS version at all: every client fails',
        otherRule: 'tls-no-protocols',
      },
    ],
  },
})
