import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'setuid-setgid-failed',
  kind: 'problem',
  title: 'A mail process could not become the mail user (setuid/setgid failed)',
  severity: 'high',
  // src/lib/restrict-access.c, the same in 2.2.36, 2.3.21 and 2.4.4: "setgid(%s[ from %s]) failed with euid=%s, gid=%s,
  // egid=%s: %m (This binary should probably be called with process group set to %s instead of %s)" and
  // "setuid(%s[ from %s]) failed with euid=%s: %m (This binary should probably be called with process user set to %s
  // instead of %s)", or "(ulimit -u reached)" for EAGAIN. Both are i_fatal.
  literal: ') failed with euid=',
  patterns: [
    /^(?<func>setgid|setuid)\((?<target>\d+(?:\([^()]*\))?)(?: from (?<source>[^()]+))?\) failed with euid=(?<euid>\d+(?:\([^()]*\))?)(?:, gid=[^,]*, egid=[^:]*)?: (?<error>[^(]+?)(?: \((?:This binary should probably be called with process (?<should>user|group) set to (?<wanted>\S+) instead of (?<actual>[^)]+\)?)|(?<ulimit>ulimit -u reached))\))?$/,
  ],
  conditions: {levels: ['error', 'fatal']},
  facts: {
    func: 'setuid or setgid.',
    target: 'The uid or gid it had to switch to.',
    source: 'Where that id came from (the userdb lookup, a setting).',
    euid: 'The user the process ran as.',
    error: "The system's reason.",
    should: 'user or group: what the process must be started with.',
    wanted: 'The id Dovecot needs.',
    actual: 'The id the process had.',
    ulimit: 'Present when the user has reached its process limit (ulimit -u), not a permission problem.',
  },
  summary: {
    by: ['func', 'target', 'euid', 'ulimit'],
    format: (f, n) => `${f.func}(${f.target}) as ${f.euid}${f.ulimit ? ' (ulimit -u reached)' : ''}: ${n} time(s)`,
  },
  variants: [
    {
      id: 'ulimit',
      whenFact: 'ulimit',
      explanation: 'The user already runs as many processes as its limit allows (ulimit -u / RLIMIT_NPROC).',
      remedy: [
        'Raise the process limit of the mail user (LimitNPROC in the dovecot unit, /etc/security/limits.conf), or lower the number of processes per user (`mail_max_userip_connections`, `service imap { process_limit }`).',
      ],
    },
  ],
  explanation:
    'A mail process (usually dovecot-lda started by the MTA, or doveadm run by a user) could not switch to the uid or ' +
    'gid the userdb returned for the user: only root can, and it was started as another user. Every delivery or command ' +
    'for that user fails (dovecot-lda exits with 75, so the MTA defers the mail).',
  remedy: [
    'Start it as the user or group the message names: for Postfix, `user=vmail:vmail` in the dovecot pipe in master.cf must match the uid/gid the userdb returns (`doveadm user <user>`).',
    'Or make the userdb return the uid/gid the process already runs as (a static userdb `uid=vmail gid=vmail`, or the columns of a SQL/LDAP userdb).',
    'For many deliveries prefer LMTP: it runs under the Dovecot master and switches users itself.',
  ],
  docs: DOCS.lda,
  examples: {
    match: [
      {
        line: 'Oct 26 10:00:00 mail dovecot: lda(user@domain.tld): Fatal: setgid(5000(vmail) from userdb lookup) failed with euid=110(dovecot), gid=116(dovecot), egid=116(dovecot): Operation not permitted (This binary should probably be called with process group set to 5000(vmail) instead of 116(dovecot))',
        version: '2.3',
        facts: {
          func: 'setgid',
          target: '5000(vmail)',
          source: 'userdb lookup',
          euid: '110(dovecot)',
          should: 'group',
          wanted: '5000(vmail)',
        },
      },
      {
        line: 'Nov 23 10:00:00 lda(jdoe)<2345><AbCdEf12>: Fatal: setuid(5000(vmail) from userdb lookup) failed with euid=1001(jdoe): Operation not permitted (This binary should probably be called with process user set to 5000(vmail) instead of 1001(jdoe))',
        version: '2.4',
        facts: {func: 'setuid', error: 'Operation not permitted', should: 'user', actual: '1001(jdoe)'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Fatal: setuid(1000(jdoe) from userdb lookup) failed with euid=0(root): Resource temporarily unavailable (ulimit -u reached)',
        version: '2.2',
        variant: 'ulimit',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 lda(jdoe)<2345><AbCdEf12>: Info: msgid=<a1@example.com>: saved mail to INBOX (subject: setuid(1) failed with euid=0)',
        why: 'an Info line quoting the text',
      },
      {
        line: 'Nov 23 10:00:00 master: Fatal: setresgid(5000(vmail),5000(vmail),8(mail)) failed with euid=0(root): Operation not permitted',
        why: 'setresgid as root: a system problem, left to the catch-all',
      },
    ],
  },
})
