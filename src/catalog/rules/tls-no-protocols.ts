import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'tls-no-protocols',
  kind: 'problem',
  title: 'TLS refused every client: no protocol version is left between ssl_min_protocol and the system maximum',
  severity: 'high',
  // OpenSSL's reason "no protocols available" (SSL_R_NO_PROTOCOLS_AVAILABLE) inside the login processes' handshake
  // failure: "SSL_accept() failed: error:0A0000BF:SSL routines::no protocols available" (OpenSSL 3; 1.1 names the
  // function: "...:tls_setup_handshake:no protocols available"). The disconnect wording is the login's, the same as for
  // tls-handshake-failed (src/login-common/client-common.c), which leaves these lines to this rule.
  literal: 'no protocols available',
  patterns: [/SSL_accept\(\) failed: (?:error:[0-9A-Fa-f]+:[^:,]*:[^:,]*:)?no protocols available/],
  facts: {},
  explanation:
    'The server could not offer any TLS version: ssl_min_protocol is above the highest version the system OpenSSL ' +
    'allows (`MaxProtocol` in openssl.cnf, a crypto policy, or an OpenSSL without TLS 1.3), so the handshake fails ' +
    'before the client could do anything. Every TLS client fails, not only old ones.',
  remedy: [
    'Compare `doveconf ssl_min_protocol` with the system maximum: `grep -ri protocol /etc/ssl/openssl.cnf` (and the crypto policy on RHEL: `update-crypto-policies --show`).',
    'Lower ssl_min_protocol to a version the system allows (TLSv1.2), or raise the system maximum, then `doveadm reload` and test with `openssl s_client -connect <host>:993`.',
  ],
  docs: DOCS.ssl,
  examples: {
    match: [
      {
        // Captured from Debian's Dovecot 2.3.19.1: ssl_min_protocol = TLSv1.3 with OpenSSL's MaxProtocol = TLSv1.2.
        line: 'Nov 30 03:57:38 imap-login: Info: Disconnected: Connection closed: SSL_accept() failed: error:0A0000BF:SSL routines::no protocols available (no auth attempts in 0 secs): user=<>, rip=127.0.0.1, lip=127.0.0.1, TLS handshaking: SSL_accept() failed: error:0A0000BF:SSL routines::no protocols available, session=<1VUkaXZh9NV/AAAB>',
        version: '2.3',
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=198.51.100.7, lip=192.0.2.10, TLS handshaking: SSL_accept() failed: error:141FC0BF:SSL routines:tls_setup_handshake:no protocols available, session=<AbCdEf12>',
        version: '2.2',
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap-login: Login aborted: Connection closed: SSL_accept() failed: error:0A0000BF:SSL routines::no protocols available (no auth attempts in 0 secs) (tls_handshake_not_finished): user=<>, rip=198.51.100.7, lip=192.0.2.10, TLS handshaking: SSL_accept() failed: error:0A0000BF:SSL routines::no protocols available, session=<AbCdEf12>',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: imapc(imap.example.com:993): SSL_connect() failed: error:0A0000BF:SSL routines::no protocols available',
        why: 'Dovecot as a client (imapc, a proxy) failing towards another server: not its own listeners',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: copy from INBOX: box=Trash, uid=9, msgid=<a9@example.com>, size=812, subject=no protocols available',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
