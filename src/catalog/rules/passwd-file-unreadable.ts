import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'passwd-file-unreadable',
  kind: 'problem',
  title: 'A passwd-file passdb/userdb is missing',
  severity: 'high',
  // src/auth/db-passwd-file.c: "open(%s) failed: %m" (2.2 :182, 2.3 :183, 2.4 :224), logged with the
  // "passwd-file %s:" prefix (2.3 :160, 2.4 :201) or, in 2.2, through the request's "passwd-file(user,ip): " prefix.
  // EACCES comes as eacces_error_get()'s "Permission denied (euid=...)" and is mkdir-eacces.
  literal: 'passwd-file',
  patterns: [
    /passwd-file(?: (?<file>[^\s:]+):|\([^()]*\): ?|: )open\((?<path>[^()]+)\) failed: (?<error>No such file or directory|Not a directory|Is a directory|Too many levels of symbolic links)/,
  ],
  conditions: {levels: ['error', 'fatal']},
  facts: {file: 'The passwd-file as configured.', path: 'The file Dovecot tried to open.', error: 'Why it could not.'},
  summary: {by: ['path', 'error'], format: (f, n) => `${f.path}: ${f.error}: ${n} time(s)`},
  explanation:
    'The passwd-file named in a passdb or userdb does not exist (or is not a file). Every login and lookup that ' +
    'reaches this database fails: users get "Authentication failed" and deliveries to them are rejected or deferred.',
  remedy: [
    'Create the file or fix the path in the passdb/userdb `args` (2.4: `passwd_file_path`); with variables (%d, %u) check the path for the affected domain.',
    'It must be readable by the auth process (root, or the user auth-worker runs as); then check `doveadm auth test <user>`.',
  ],
  docs: DOCS.passwdFile,
  examples: {
    match: [
      {
        line: 'Nov 30 00:58:07 auth: Error: passwd-file /tmp/catalog-lab/nopasswd:open(/tmp/catalog-lab/nopasswd) failed: No such file or directory',
        version: '2.3',
        facts: {file: '/tmp/catalog-lab/nopasswd', error: 'No such file or directory'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: auth: Error: passwd-file(jdoe@example.com,203.0.113.5): open(/etc/dovecot/users/example.com) failed: No such file or directory',
        version: '2.2',
        facts: {path: '/etc/dovecot/users/example.com'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: auth: Error: passwd-file /etc/dovecot/users:open(/etc/dovecot/users) failed: No such file or directory',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 auth: Warning: passwd-file /etc/dovecot/users: Reading 120000 users took 12 secs',
        why: 'a slow read, not a missing file',
      },
    ],
  },
})
