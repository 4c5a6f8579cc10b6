import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'tls-setup-failed',
  kind: 'problem',
  title: 'TLS could not be set up: certificate, key or DH parameters failed to load',
  severity: 'high',
  // Login processes build the TLS context when the first TLS client arrives: 2.2 src/lib-master/master-service-ssl.c:73
  // "Failed to initialize SSL context", 2.3 "Failed to initialize SSL server context: %s", 2.4 src/login-common/client-common.c:830
  // "Failed to initialize SSL connection: %s"; the reasons come from src/lib-ssl-iostream/iostream-openssl-context.c
  // ("Can't load SSL certificate (%s setting): %s", "Can't load SSL private key (%s setting): %s", "Couldn't parse
  // private SSL key (%s setting)...", "Can't load DH parameters (ssl_dh setting): %s", "Couldn't parse DH parameters: %s").
  // A refused ssl_min_protocol value is tls-min-protocol-invalid's.
  literal: 'Failed to initialize SSL',
  patterns: [
    /Failed to initialize SSL (?:server context|connection|context)(?!: (?:Unknown ssl_min_protocol|Can't set minimum protocol))(?:: (?<error>[^\n]+?))?(?:: user=<|$)/,
  ],
  conditions: {levels: ['error', 'fatal']},
  facts: {error: "What failed to load, and OpenSSL's reason."},
  summary: {by: ['error'], format: (f, n) => `${f.error ?? 'SSL context'}: ${n} time(s)`},
  explanation:
    'A login process could not build its TLS context, so every client that wants TLS (port 993/995, STARTTLS) is ' +
    'disconnected. The certificate or key file is empty, missing, unreadable or does not match the other, the key is ' +
    'protected by a passphrase, or the DH parameters are missing or too small for the OpenSSL in use.',
  remedy: [
    'Check the files named by ssl_cert / ssl_key (2.4: ssl_server_cert_file / ssl_server_key_file) with `doveconf -n | grep ssl`; `openssl x509 -in <cert> -noout -subject -dates` must read the certificate.',
    'Key and certificate must match: compare `openssl x509 -noout -pubkey -in <cert>` with `openssl pkey -pubout -in <key>`; after a renewal point both at the new files and reload.',
    'For DH errors: generate a new file (`openssl dhparam -out /etc/dovecot/dh.pem 4096`) and set `ssl_dh = </etc/dovecot/dh.pem` (2.4: ssl_server_dh_file), or remove the setting where only ECDHE is used.',
  ],
  docs: DOCS.ssl,
  examples: {
    match: [
      {
        line: "Nov 22 10:00:00 mail dovecot: imap-login: Error: Failed to initialize SSL server context: Can't load SSL certificate (ssl_cert setting): The certificate is empty: user=<>, rip=192.0.2.7, lip=192.0.2.10, session=<AbCdEf12>",
        version: '2.3',
        facts: {error: "Can't load SSL certificate (ssl_cert setting): The certificate is empty"},
      },
      {
        line: "Jun 19 10:12:04 linode dovecot[812]: imap-login: Error: Failed to initialize SSL server context: Can't load DH parameters (ssl_dh setting): error:1408518A:SSL routines:ssl3_ctx_ctrl:dh key too small: user=<>, rip=198.51.100.4, lip=192.0.2.10, session=<AbCdEf12>",
        version: '2.3',
      },
      {
        line: "Nov 23 10:00:00 imap-login: Error: Failed to initialize SSL connection: Can't load SSL private key (ssl_server_key_file setting): error:05800074:x509 certificate routines::key values mismatch: user=<>, rip=203.0.113.5, lip=192.0.2.10, session=<AbCdEf12>",
        version: '2.4',
      },
      {line: 'Nov 23 10:00:00 mail1 dovecot: pop3-login: Error: Failed to initialize SSL context', version: '2.2'},
    ],
    nearMiss: [
      {
        line: "Nov 30 03:57:22 imap-login: Error: Failed to initialize SSL server context: Unknown ssl_min_protocol setting 'TLSv1.4': user=<>, rip=127.0.0.1, lip=127.0.0.1, secured, session=<pzQtaHZh4rh/AAAB>",
        version: '2.3',
        why: 'an unknown ssl_min_protocol value has its own remedy',
        otherRule: 'tls-min-protocol-invalid',
      },
      {line: 'Nov 23 10:00:00 imap-login: Debug: Failed to initialize SSL server context: retrying', why: 'Debug'},
    ],
  },
})
