import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'privileged-group-eperm',
  kind: 'problem',
  title: 'Could not switch to mail_privileged_group (setegid: Operation not permitted)',
  severity: 'high',
  // src/lib/restrict-access.c restrict_access_use_priv_gid(), the same in 2.2.36, 2.3.21 and 2.4.4:
  // i_error("setegid(privileged) failed: %m"). Called before creating a dotlock in the mail spool (mbox in /var/mail).
  literal: 'setegid(privileged) failed',
  patterns: [/^setegid\(privileged\) failed: (?<error>[^\n]+)$/],
  conditions: {levels: ['error', 'fatal']},
  facts: {error: "The system's reason (Operation not permitted: the process never had the group)."},
  summary: {by: ['error'], format: (f, n) => `setegid(privileged): ${f.error}: ${n} time(s)`},
  // The open() or dotlock in /var/mail that fails right after it is mkdir-eacces's (not-in-group variant).
  correlations: [
    {
      rule: 'mkdir-eacces',
      withinSeconds: 5,
      note: 'The permission errors in the mail spool at the same time (mkdir-eacces) are this: without the privileged group the process cannot write there.',
    },
  ],
  companions: [{literal: 'failed to store into mailbox'}, {literal: 'Unknown internal error'}],
  explanation:
    '`mail_privileged_group` (Debian and Ubuntu set `mail` by default) lets a mail process take that group for a ' +
    'moment to create dotlock files in the mail spool (/var/mail). The switch fails when the process was started ' +
    'without the group: almost always dovecot-lda run by the MTA as the mail user (Postfix `mailbox_command` or a pipe ' +
    'with `user=`), which can never regain a group it did not start with. Deliveries to the spool fail or are deferred.',
  remedy: [
    'If mail is not kept in /var/mail (Maildir or mbox under the home directories), remove `mail_privileged_group` from the configuration (Debian: conf.d/10-mail.conf); nothing needs it.',
    'If the spool in /var/mail is used: deliver with LMTP instead of running dovecot-lda from the MTA (LMTP starts under the master and keeps the group), or make the spool writable without the group (`chmod 1777 /var/mail`, or `mbox_write_locks = fcntl` so no dotlock is needed).',
    'Check with `doveconf mail_privileged_group mail_location` which applies, then restart and send a test mail.',
  ],
  docs: DOCS.settings('mail_privileged_group'),
  examples: {
    match: [
      {
        // Captured from Debian's Dovecot 2.3.19.1: dovecot-lda run as nobody, mbox spool owned by root:mail.
        line: 'Nov 30 03:59:20 lda(jdoe12)<6025><NuqdOZj0DGuJFwAAg+zDdQ>: Error: setegid(privileged) failed: Operation not permitted',
        version: '2.3',
        facts: {error: 'Operation not permitted'},
      },
      {
        line: 'Jun 26 16:03:22 mydomain.tld dovecot[163234]: lda(myname)<163234><yU4fds8cvzFDAP>: Error: setegid(privileged) failed: Operation not permitted',
        version: '2.3',
      },
      {line: 'Nov 23 10:00:00 mail1 dovecot: lda(jdoe): Error: setegid(privileged) failed: Operation not permitted', version: '2.2'},
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Error: setegid(privileged) failed: Operation not permitted',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Debug: setegid(privileged) failed: Operation not permitted was logged before',
        why: 'a debug line, not an error',
      },
      {
        line: 'Nov 23 10:00:00 lda(jdoe)<2345><AbCdEf12>: Info: msgid=<a1@example.com>: saved mail to INBOX (setegid(privileged) failed: Operation not permitted earlier)',
        why: 'an Info line mentioning it, not the failure itself',
      },
    ],
  },
})
