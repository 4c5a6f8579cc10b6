import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'tls-min-protocol-invalid',
  kind: 'problem',
  title: 'ssl_min_protocol has a value this Dovecot does not know: no TLS connection works',
  severity: 'high',
  versions: ['2.3', '2.4'],
  // 2.3 src/lib-ssl-iostream/iostream-openssl-context.c:442 "Unknown ssl_min_protocol setting '%s'" (inside the login
  // process's "Failed to initialize SSL server context: %s"); 2.4 iostream-openssl-context.c:687 "Can't set minimum
  // protocol to '%s' (ssl_min_protocol setting): Unknown value"; 2.3 doveconf (src/config/old-set-parser.c:311) converting
  // an old ssl_protocols: "Could not find a minimum ssl_min_protocol setting from ssl_protocols = %s: %s". 2.2 has
  // ssl_protocols only ("Unknown ssl_protocols setting: %s", src/login-common/ssl-proxy-openssl.c).
  literal: 'ssl_min_protocol',
  patterns: [
    /Unknown ssl_min_protocol setting '(?<value>[^']*)'/,
    /Can't set minimum protocol to '(?<value>[^']*)' \(ssl_min_protocol setting\): Unknown value/,
    /^Could not find a minimum ssl_min_protocol setting from ssl_protocols = (?<oldValue>[^:\n]*): (?<error>[^\n]+)$/,
  ],
  conditions: {levels: ['error', 'fatal']},
  facts: {
    value: 'The ssl_min_protocol value that was refused.',
    oldValue: 'The old ssl_protocols value doveconf could not convert.',
    error: 'Why it could not.',
  },
  summary: {by: ['value', 'oldValue'], format: (f, n) => `ssl_min_protocol '${f.value ?? f.oldValue}': ${n} time(s)`},
  explanation:
    'The login processes build their TLS context with ssl_min_protocol and refuse a value they do not know (a typo, ' +
    '"TLSv1.4", "TLS1.2" without the v, or a 2.2-style list). Dovecot starts, but every client that wants TLS (993/995, ' +
    'STARTTLS) is disconnected, and logins that require TLS fail.',
  remedy: [
    "Set one of the values Dovecot knows: `ssl_min_protocol = TLSv1.2` (the usual choice; 2.4's default), or TLSv1.3, TLSv1.1, TLSv1, SSLv3, or ANY (2.4).",
    'Replace an old `ssl_protocols = !SSLv3 !TLSv1` by the single minimum it meant (here `ssl_min_protocol = TLSv1.1`).',
    'Reload (`doveadm reload`) and test with `openssl s_client -connect <host>:993`.',
  ],
  docs: DOCS.ssl,
  examples: {
    match: [
      {
        // Captured from Debian's Dovecot 2.3.19.1 with ssl_min_protocol = TLSv1.4.
        line: "Nov 30 03:57:22 imap-login: Error: Failed to initialize SSL server context: Unknown ssl_min_protocol setting 'TLSv1.4': user=<>, rip=127.0.0.1, lip=127.0.0.1, secured, session=<pzQtaHZh4rh/AAAB>",
        version: '2.3',
        facts: {value: 'TLSv1.4'},
      },
      {
        line: "Nov 23 10:00:00 mail1 dovecot: pop3-login: Error: Failed to initialize SSL server context: Unknown ssl_min_protocol setting 'TLS1.2': user=<>, rip=198.51.100.7, lip=192.0.2.10, session=<AbCdEf12>",
        version: '2.3',
        facts: {value: 'TLS1.2'},
      },
      {
        line: "Nov 23 10:00:00 imap-login: Error: Failed to initialize SSL connection: Can't set minimum protocol to 'TLSv1.4' (ssl_min_protocol setting): Unknown value",
        version: '2.4',
        facts: {value: 'TLSv1.4'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: doveconf: Error: Could not find a minimum ssl_min_protocol setting from ssl_protocols = !SSLv2 !SSLv3 !TLSv1 !TLSv1.1 !TLSv1.2: Unrecognized protocol',
        version: '2.3',
        facts: {oldValue: '!SSLv2 !SSLv3 !TLSv1 !TLSv1.1 !TLSv1.2'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 master: Warning: ssl_min_protocol=ANY is used - This is insecure and intended only for testing',
        why: "2.4's warning about ANY: a valid value",
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: doveconf: Warning: Obsolete setting in /etc/dovecot/conf.d/10-ssl.conf:52: ssl_protocols has been replaced by ssl_min_protocol',
        why: 'the conversion notice, not a failure',
      },
    ],
  },
})
