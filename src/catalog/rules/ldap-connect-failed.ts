import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'ldap-connect-failed',
  kind: 'problem',
  title: 'The LDAP server behind passdb/userdb cannot be reached',
  severity: 'high',
  // src/auth/db-ldap.c: 2.2 "LDAP: Can't connect to server: %s" (:471), 2.3 "Can't connect to server: %s" (:482) and
  // 2.4 (:345) with the connection's "ldap(<uri>): " event prefix.
  literal: "Can't connect to server",
  patterns: [/^(?:LDAP: |ldap\((?<uri>[^()]*)\): )?Can't connect to server: (?<error>[^\n]+)/],
  conditions: {levels: ['error', 'fatal']},
  facts: {uri: 'The LDAP server URI, when logged.', error: "The LDAP library's reason."},
  summary: {by: ['uri', 'error'], format: (f, n) => `${f.uri ? `${f.uri}: ` : ''}${f.error}: ${n} time(s)`},
  explanation:
    "Dovecot's auth could not connect (or bind) to the LDAP server used for passdb/userdb. Logins fail or hang and " +
    'deliveries to users it cannot look up are deferred until it can.',
  remedy: [
    'Test the same URI, bind DN and TLS settings from this host: `ldapsearch -H <uri> -D <dn> -W -b <base> <filter>`.',
    '"Can\'t contact LDAP server": the server is down, the host or port is wrong, a firewall blocks it, or TLS fails (check `tls_ca_cert_file` and the server certificate\'s name).',
    '"Invalid credentials": fix `dn` / `dnpass` (2.4: `ldap_auth_dn` / `ldap_auth_dn_password`).',
  ],
  docs: DOCS.ldap,
  examples: {
    match: [
      {
        line: "Nov 23 10:00:00 mail1 dovecot: auth: Error: LDAP: Can't connect to server: Can't contact LDAP server",
        version: '2.2',
        facts: {error: "Can't contact LDAP server"},
      },
      {
        line: "Nov 23 10:00:00 auth: Error: ldap(ldap://ldap.example.com): Can't connect to server: Invalid credentials",
        version: '2.3',
        facts: {uri: 'ldap://ldap.example.com', error: 'Invalid credentials'},
      },
      {
        line: "Nov 23 10:00:00 mail1 dovecot: auth-worker(2345): Error: ldap(ldaps://10.0.0.7): Can't connect to server: Can't contact LDAP server",
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: "Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: imapc(imap.example.com:993): Can't connect to server: Connection timed out",
        why: 'not LDAP: an imapc or other client connection (no LDAP prefix)',
      },
      {line: "Nov 23 10:00:00 auth: Info: ldap(ldap://ldap.example.com): Can't connect to server: retrying", why: 'Info'},
    ],
  },
})
