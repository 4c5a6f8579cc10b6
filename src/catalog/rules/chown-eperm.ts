import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'chown-eperm',
  kind: 'problem',
  title: 'Dovecot could not copy a group to a new index or mail directory',
  severity: 'medium',
  literal: 'Operation not permitted (egid=',
  patterns: [
    // "chown(" up to 2.2.18, "fchown(" since; the "- see ..." URL changed in 2.4. What precedes the literal is
    // read backwards from it (a lookbehind): tried forwards from every "chown(", `[^,]+` made crafted lines quadratic.
    /(?<=(?<func>f?chown)\((?<path>[^,]+), group=(?<gid>\d+)(?:\((?<group>[^)]*)\))?\) failed: )Operation not permitted \(egid=(?<egid>\d+)(?:\((?<egroup>[^)]*)\))?(?:, group based on (?<groupOrigin>[^ ]+))?/,
  ],
  conditions: {levels: ['error', 'fatal']},
  facts: {
    func: 'chown (up to 2.2.18) or fchown.',
    path: 'The directory or file being created.',
    egroup: "The effective group's name.",
    gid: 'The group Dovecot tried to set.',
    group: 'Its name.',
    egid: "The process's effective group.",
    groupOrigin: 'The file whose group was being copied (e.g. /var/mail/user).',
  },
  summary: {
    by: ['group', 'gid', 'groupOrigin'],
    format: (f, n) => `group ${f.group ?? f.gid}${f.groupOrigin ? ` copied from ${f.groupOrigin}` : ''} could not be set ${n} time(s)`,
  },
  explanation:
    'Dovecot creates index and mail directories with the group of the file they belong to (for example the mbox in ' +
    '/var/mail), to keep shared-mailbox permissions intact. The mail process is not a member of that group, so the ' +
    'change failed. Group copying only matters for modes such as 0660 or 0640; with 0600 it is not attempted.',
  remedy: [
    'If the group does not matter, make the source files private so no group is copied, e.g. `chmod 0600 /var/mail/*`.',
    "Otherwise let mail processes use the group: `mail_access_groups = mail`. This is risky: any user with shell access who can run a mail process then reads every other user's INBOX.",
  ],
  // What the client was told, logged by the same process right after: the same failure, not another one.
  companions: [{literal: 'Internal error occurred'}],
  docs: DOCS.errors('change-group-operation-not-permitted'),
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Error: chown(/home/jdoe/mail/.imap/INBOX, group=12(mail)) failed: Operation not permitted (egid=1000(jdoe), group based on /var/mail/jdoe - see http://wiki2.dovecot.org/Errors/ChgrpNoPerm)',
        version: '2.2',
        facts: {func: 'chown', gid: '12', group: 'mail', groupOrigin: '/var/mail/jdoe'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: fchown(/home/jdoe/mail/.imap/INBOX, group=12(mail)) failed: Operation not permitted (egid=1000(jdoe), group based on /var/mail/jdoe - see http://wiki2.dovecot.org/Errors/ChgrpNoPerm)',
        version: '2.3',
        facts: {func: 'fchown', path: '/home/jdoe/mail/.imap/INBOX'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Error: fchown(/home/jdoe/mail/.imap/Sent, group=8) failed: Operation not permitted (egid=1000(jdoe), group based on /var/mail/jdoe - see https://doc.dovecot.org/latest/core/admin/errors.html#change-group-operation-not-permitted)',
        version: '2.4',
        facts: {gid: '8'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: copy from INBOX: box=Notes, uid=6, msgid=<a6@example.com>, size=500, subject=chown failed: Operation not permitted (egid=0)',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
