import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'sql-connect-failed',
  kind: 'problem',
  title: 'The SQL database behind passdb/userdb (or a dict) cannot be reached',
  severity: 'high',
  // src/lib-sql/driver-mysql.c: "Connect failed to database (%s): %s - waiting for %u seconds before retry"
  // (2.2 i_error with a "%s: " = "mysql(<host>)" prefix, 2.3/2.4 the db event's "mysql(<host>): " prefix);
  // src/lib-sql/driver-pgsql.c: "Connect failed to database %s: %s" and "... (state: %s)".
  literal: 'Connect failed to database',
  patterns: [
    /(?:(?<=(?<driver>mysql|pgsql|sqlite|cassandra)\((?<host>[^()]*)\): )|)Connect failed to database \(?(?<database>[^\s():]*)\)?: (?<error>[^\n]+)/,
  ],
  conditions: {levels: ['error', 'fatal', 'warning']},
  facts: {driver: 'The SQL driver.', host: 'The database host.', database: 'The database name.', error: "The database's own reason."},
  summary: {
    by: ['driver', 'host', 'database'],
    format: (f, n) => `${f.driver ?? 'sql'}(${f.host ?? '?'}) database ${f.database}: ${n} time(s)`,
  },
  explanation:
    'Dovecot could not connect to the SQL database it uses for passdb/userdb (or a dict or quota backend). While it ' +
    'cannot, logins fail or hang and deliveries to users it cannot look up are deferred; Dovecot retries with a ' +
    'growing delay.',
  remedy: [
    'Read the database\'s reason at the end of the line: "Access denied" (user or password in the connect string), "Can\'t connect"/"Connection refused" (server down, wrong host or port, firewall), "Unknown database".',
    "Test the exact connect string from dovecot-sql.conf.ext (2.4: the `sql_driver` and `mysql`/`pgsql` settings) with the `mysql` or `psql` client from this host, as the user Dovecot's auth-worker runs as.",
    'After fixing it, `doveadm auth test <user>` must succeed.',
  ],
  docs: DOCS.sql,
  examples: {
    match: [
      {
        line: "Nov 23 10:00:00 mail1 dovecot: auth-worker(303): Error: mysql(localhost): Connect failed to database (mail): Access denied for user 'mail'@'localhost' (using password: YES) - waiting for 1 seconds before retry",
        version: '2.2',
        facts: {driver: 'mysql', host: 'localhost', database: 'mail'},
      },
      {
        line: "Nov 23 10:00:00 auth-worker(303): Error: mysql(db.example.com): Connect failed to database (vmail): Can't connect to MySQL server on 'db.example.com' (111) - waiting for 5 seconds before retry",
        version: '2.3',
        facts: {host: 'db.example.com'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: auth-worker(2345): Error: pgsql(10.0.0.5): Connect failed to database mail: connection to server at "10.0.0.5", port 5432 failed: Connection refused',
        version: '2.4',
        facts: {driver: 'pgsql', database: 'mail'},
      },
    ],
    nearMiss: [
      {line: 'Nov 23 10:00:00 auth-worker(303): Debug: mysql(localhost): Connect failed to database (mail): retrying', why: 'Debug'},
    ],
  },
})
