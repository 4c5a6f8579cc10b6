import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'mkdir-eacces',
  kind: 'problem',
  title: 'Permission denied creating or opening mail files',
  severity: 'high',
  literal: 'Permission denied (euid=',
  patterns: [
    // Dovecot's eacces_error_get(): "<func>(<path>) failed: Permission denied (euid=... egid=... <details>)".
    // Socket connects (auth, anvil) are service-socket-refused.
    /(?<func>(?!connect\()[a-z_]+)\((?<path>[^)]+)\)(?: in directory \S+| in an unknown directory)? failed: Permission denied \(euid=(?<euid>\d+)(?:\((?<euser>[^)]*)\))? egid=(?<egid>\d+)(?:\((?<egroup>[^)]*)\))?(?: missing \+(?<perm>[rwx]) perm: (?<dir>[^,)]+))?(?<aclMac>,? UNIX perms appear ok \(ACL\/MAC wrong\?\))?(?:, dir owned by (?<owner>\d+:\d+) mode=(?<mode>0\d+))?/,
  ],
  conditions: {levels: ['error', 'fatal']},
  facts: {
    func: 'The operation (mkdir, open, ...).',
    path: 'What it tried to create or open.',
    euid: 'The effective user id of the process.',
    euser: 'The user the process ran as.',
    egid: 'The effective group id.',
    egroup: 'Its name.',
    perm: 'The missing permission (r, w or x).',
    dir: 'The directory lacking it.',
    aclMac: 'Present when UNIX permissions look fine: an ACL, SELinux/AppArmor or systemd sandboxing refused it.',
    owner: "The directory's owner uid:gid, when Dovecot reports it.",
    mode: "The directory's mode, when Dovecot reports it.",
  },
  summary: {
    by: ['euser', 'euid', 'perm', 'dir'],
    format: (f, n) => `${f.euser ?? f.euid} lacks +${f.perm ?? '?'} on ${f.dir ?? 'the directory'}: ${n} time(s)`,
  },
  variants: [
    {
      id: 'acl-mac',
      whenFact: 'aclMac',
      explanation: 'The UNIX permissions allow it, so something above them refuses: systemd sandboxing, SELinux, AppArmor or an ACL.',
      remedy: [
        'On CentOS/RHEL 8 and similar, the packaged dovecot.service makes most of the file system read-only: run `systemctl edit dovecot`, add `[Service]` `ReadWritePaths=/home/mail` (your mail location), then `systemctl daemon-reload` and restart.',
        'With SELinux enforcing, look in /var/log/audit/audit.log for `avc: denied` of Dovecot processes (see selinux-avc-denied) and relabel the mail location as `mail_home_rw_t`.',
        'Otherwise check ACLs (`getfacl`) and AppArmor profiles on the directory.',
      ],
    },
    {
      id: 'ownership',
      whenFact: 'owner',
      explanation: 'The directory belongs to another user or has a mode that does not let the mail user write.',
      remedy: [
        'Give the directory to the mail user (`chown vmail:vmail <dir>`) or fix its mode (`chmod 0700`), matching how the rest of the mail location is owned.',
        'Check that the userdb returns the uid/gid that owns the mail location.',
      ],
    },
  ],
  explanation:
    'A mail process was refused access to a directory in the mail location or its parent. Until it is fixed the ' +
    'user cannot open, create or save to the affected folders (a Namespace error means the whole mailbox is unusable).',
  remedy: [
    'Compare the process user (euid/egid in the message) with the owner and mode of the directory named after "missing +w perm", and fix the ownership or mode.',
    'If the user should not own that directory at all, the userdb returns a wrong home or mail location for this user.',
  ],
  // What the client was told, logged by the same process right after: the same failure, not another one.
  companions: [{literal: 'Internal error occurred'}, {literal: 'Invalid user settings'}],
  docs: DOCS.errors('systemd-restrictions'),
  examples: {
    match: [
      {
        line: "Nov 23 10:00:00 mail1 dovecot: imap(test): Error: Namespace '': mkdir(/home/mail/domain/test/Maildir) failed: Permission denied (euid=1005(vmail) egid=1005(vmail) missing +w perm: /home/mail/domain, UNIX perms appear ok (ACL/MAC wrong?))",
        version: '2.2',
        facts: {func: 'mkdir', euser: 'vmail', perm: 'w', dir: '/home/mail/domain'},
        variant: 'acl-mac',
      },
      {
        line: "Nov 23 10:00:00 imap(test)<1234><AbCd>: Error: Namespace '': mkdir(/home/mail/domain/test/Maildir) failed: Permission denied (euid=1005(vmail) egid=1005(vmail) missing +w perm: /home/mail/domain, UNIX perms appear ok (ACL/MAC wrong?))",
        version: '2.3',
        variant: 'acl-mac',
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Error: mkdir(/var/vmail/example.com/jdoe/Maildir/.Sent) failed: Permission denied (euid=5000(vmail) egid=5000(vmail) missing +w perm: /var/vmail/example.com/jdoe/Maildir, dir owned by 0:0 mode=0555)',
        version: '2.3',
        facts: {owner: '0:0', mode: '0555'},
        variant: 'ownership',
      },
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Error: open(/var/vmail/jdoe/Maildir/dovecot-uidlist) failed: Permission denied (euid=5000(vmail) egid=5000(vmail) missing +r perm: /var/vmail/jdoe/Maildir/dovecot-uidlist, dir owner missing perms)',
        version: '2.4',
        facts: {func: 'open', perm: 'r'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: copy from INBOX: box=Notes, uid=7, msgid=<a7@example.com>, size=400, subject=mkdir failed: Permission denied (euid=0)',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
