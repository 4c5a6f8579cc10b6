import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'mkdir-eacces',
  kind: 'problem',
  title: 'Permission denied creating or opening mail files',
  severity: 'high',
  literal: 'Permission denied (euid=',
  patterns: [
    // Dovecot's eacces_error_get() (src/lib/eacces-error.c, 2.2-2.4): "<func>(<path>) failed: Permission denied (euid=<uid>(<user>)
    // egid=<gid>(<group>)" then its explanation: " missing +<r|w|x> perm: <dir>", ", we're not in group <gid>(<name>)",
    // " UNIX perms appear ok (ACL/MAC wrong?)", ", conflicting dir uid=<uid>(<user>)" or ", dir owned by <uid>:<gid> mode=0<octal>"
    // or ", dir owner missing perms", and ")"; 2.4 adds " Read-only file system)" for EROFS. Every function Dovecot
    // reports this way (mkdir, chdir, stat, open, creat, file_dotlock_create, net_connect_unix, ...) is this rule's; socket
    // connects to auth and anvil are service-socket-refused's, to stats-writer stats-writer-eacces's, to quota-warning
    // quota-warning-failed's.
    // What precedes the literal is read backwards from it (a lookbehind): tried forwards from every function name,
    // `[^)]+` made crafted lines quadratic (issue 14).
    /(?<=(?<![\w-])(?<func>(?<socketFunc>net_connect_unix|connect)(?=\((?![^()]*(?:auth|anvil|stats-writer|quota-warning)))|(?!net_connect_unix\(|connect\()[a-z_]+)\((?<path>[^)]+)\)(?: in directory \S+| in an unknown directory)? failed: )Permission denied \(euid=(?<euid>\d+)(?:\((?<euser>[^)]*)\))? egid=(?<egid>\d+)(?:\((?<egroup>[^)]*)\))?(?<readOnly> Read-only file system)?(?: missing \+(?<perm>[rwx]) perm: (?<dir>[^,)]+))?(?:, we're not in group (?<notInGroup>\d+(?:\([^)]*\))?))?(?<aclMac>,? UNIX perms appear ok \(ACL\/MAC wrong\?\))?(?:, conflicting dir uid=(?<conflictUid>\d+(?:\([^)]*\))?)|, dir owned by (?<owner>\d+:\d+) mode=(?<mode>0\d+)|(?<ownerMissing>, dir owner missing perms))?/,
  ],
  conditions: {levels: ['error', 'fatal']},
  facts: {
    func: 'The operation (mkdir, chdir, stat, open, net_connect_unix, ...).',
    socketFunc: 'Present when it was a connect to a UNIX socket.',
    path: 'What it tried to create, open or connect to.',
    euid: 'The effective user id of the process.',
    euser: 'The user the process ran as.',
    egid: 'The effective group id.',
    egroup: 'Its name.',
    readOnly: 'Present when the file system is read-only (Dovecot 2.4 says so).',
    perm: 'The missing permission (r, w or x).',
    dir: 'The directory (or file) lacking it.',
    notInGroup: "The directory's group, which would have allowed it, but the process is not in it.",
    aclMac: 'Present when UNIX permissions look fine: an ACL, SELinux/AppArmor or systemd sandboxing refused it.',
    conflictUid: 'The directory belongs to another uid with the same user name (a uid changed).',
    owner: "The directory's owner uid:gid, when Dovecot reports it.",
    mode: "The directory's mode, when Dovecot reports it.",
    ownerMissing: "Present when the process owns the directory but the owner's own mode bits lack the permission.",
  },
  summary: {
    by: ['func', 'euser', 'euid', 'perm', 'dir', 'notInGroup', 'owner', 'mode', 'readOnly'],
    format: (f, n) => {
      const who = f.euser ?? f.euid
      const what = f.readOnly ? `${f.path} is on a read-only file system` : `${who} lacks +${f.perm ?? '?'} on ${f.dir ?? f.path}`
      const why = [f.notInGroup && `not in group ${f.notInGroup}`, f.owner && `owned by ${f.owner} mode=${f.mode}`]
        .filter(Boolean)
        .join(', ')
      return `${f.func}: ${what}${why ? ` (${why})` : ''}: ${n} time(s)`
    },
  },
  variants: [
    {
      id: 'socket',
      whenFact: 'socketFunc',
      explanation: "A Dovecot socket's listener does not let this process's user connect.",
      remedy: [
        'Give the listener the user, group or mode of the processes that connect to it: `service <name> { unix_listener <socket> { user = vmail  mode = 0660 } }` (see `doveconf -n`), then reload.',
        'If the connecting process is dovecot-lda run by the MTA, check the user the MTA runs it as (`user=` in Postfix master.cf).',
      ],
    },
    {
      id: 'read-only',
      whenFact: 'readOnly',
      explanation: 'The file system is mounted read-only for this process.',
      remedy: [
        "With systemd, the packaged unit's ProtectSystem/ProtectHome make most paths read-only: `systemctl edit dovecot` and add the mail location to `ReadWritePaths=`, then `systemctl daemon-reload` and restart.",
        'Otherwise check the mount (`findmnt <path>`): a full or failing disk may have been remounted read-only.',
      ],
    },
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
      id: 'not-in-group',
      whenFact: 'notInGroup',
      explanation: "The directory's group has the permission, but the process does not run with that group.",
      remedy: [
        'For the mail spool (/var/mail owned by group mail, mbox dotlocks): set `mail_privileged_group = mail` so Dovecot may take that group for the dotlock, or give the users write access another way.',
        "Otherwise add the mail user to that group (the userdb gid, or `mail_access_groups`), or change the directory to the mail user's group.",
      ],
    },
    {
      id: 'conflicting-uid',
      whenFact: 'conflictUid',
      explanation:
        "The directory belongs to a uid with the same name as the process's user: the user's uid changed (a reinstall, a migrated disk).",
      remedy: [
        'Chown the mail location to the uid the userdb returns now (`chown -R vmail:vmail <dir>`), or make the userdb return the old uid.',
      ],
    },
    {
      id: 'ownership',
      whenFact: 'owner',
      explanation: 'The directory belongs to another user or has a mode that does not let the mail user in.',
      remedy: [
        'Give the directory to the mail user (`chown vmail:vmail <dir>`) or fix its mode (`chmod 0700`), matching how the rest of the mail location is owned.',
        'Check that the userdb returns the uid/gid that owns the mail location.',
      ],
    },
    {
      id: 'owner-mode',
      whenFact: 'ownerMissing',
      explanation: "The process owns the directory, but the directory's mode denies its owner.",
      remedy: ['Fix the mode: `chmod u+rwx <dir>` (0700 for a mail directory).'],
    },
  ],
  explanation:
    'A Dovecot process was refused access to a file, a directory of the mail location or a socket, and Dovecot says ' +
    'why: the permission missing, on which directory, and who owns it. Until it is fixed the user cannot open, create ' +
    'or save to the affected folders (a Namespace error means the whole mailbox is unusable), or the process cannot ' +
    'reach the service behind the socket.',
  remedy: [
    'Compare the process user (euid/egid in the message) with the owner and mode of the directory named after "missing +<perm> perm", and fix the ownership or mode.',
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
        variant: 'owner-mode',
      },
      {
        // Captured from Debian's Dovecot 2.3.19.1: the mail user is not in the directory's group.
        line: "Nov 30 03:59:12 lda(jdoe9)<5829><OUm4LpD0DGvFFgAAg+zDdQ>: Error: chdir(/var/vmail/jdoe9/) failed: Permission denied (euid=65534(nobody) egid=65534(nogroup) missing +x perm: /var/vmail/jdoe9, we're not in group 8(mail), dir owned by 0:8 mode=0770)",
        version: '2.3',
        facts: {func: 'chdir', perm: 'x', dir: '/var/vmail/jdoe9', notInGroup: '8(mail)', owner: '0:8', mode: '0770'},
        variant: 'not-in-group',
      },
      {
        line: 'Nov 30 03:59:08 mail1 dovecot: lda(jdoe7)<5757><dWDjF4z0DGt9FgAAg+zDdQ>: Error: stat(/var/vmail/jdoe7/tmp) failed: Permission denied (euid=65534(nobody) egid=65534(nogroup) missing +x perm: /var/vmail/jdoe7, dir owned by 0:0 mode=0700)',
        version: '2.3',
        facts: {func: 'stat', path: '/var/vmail/jdoe7/tmp', euser: 'nobody', owner: '0:0', mode: '0700'},
        variant: 'ownership',
      },
      {
        line: "Nov 30 03:59:20 lda(jdoe12)<6025><NuqdOZj0DGuJFwAAg+zDdQ>: Error: Mailbox INBOX: open(/var/mail/jdoe12) failed: Permission denied (euid=65534(nobody) egid=65534(nogroup) missing +w perm: /var/mail, we're not in group 8(mail), dir owned by 0:8 mode=0775)",
        version: '2.3',
        facts: {func: 'open', perm: 'w', dir: '/var/mail', notInGroup: '8(mail)'},
        variant: 'not-in-group',
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lda(jdoe)<2345><AbCdEf12>: Error: net_connect_unix(/run/dovecot/dict) failed: Permission denied (euid=5000(vmail) egid=5000(vmail) missing +r perm: /run/dovecot/dict, dir owned by 0:0 mode=0755)',
        version: '2.2',
        facts: {func: 'net_connect_unix', path: '/run/dovecot/dict'},
        variant: 'socket',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: mkdir(/home/mail/jdoe/Maildir/.Drafts) failed: Permission denied (euid=5000(vmail) egid=5000(vmail) Read-only file system)',
        version: '2.4',
        facts: {func: 'mkdir', readOnly: ' Read-only file system'},
        variant: 'read-only',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: open(/home/mail/jdoe/Maildir/dovecot-uidlist) failed: Permission denied (euid=5000(vmail) egid=5000(vmail) missing +w perm: /home/mail/jdoe/Maildir, conflicting dir uid=1001(vmail))',
        version: '2.4',
        facts: {conflictUid: '1001(vmail)'},
        variant: 'conflicting-uid',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 30 03:58:20 lda(jdoe6)<4721><v/wkJVz0DGtxEgAAg+zDdQ>: Error: program unix:/run/dovecot/quota-warning: net_connect_unix(/run/dovecot/quota-warning) failed: Permission denied (euid=65534(nobody) egid=65534(nogroup) missing +r perm: /run/dovecot/quota-warning, dir owned by 0:0 mode=0755)',
        version: '2.3',
        why: 'the quota-warning socket: the quota warning is what failed',
        otherRule: 'quota-warning-failed',
      },
      {
        line: 'Nov 23 10:00:00 imap-login: Error: net_connect_unix(/run/dovecot/auth-client) failed: Permission denied (euid=97(dovenull) egid=97(dovenull) missing +r perm: /run/dovecot/auth-client, dir owned by 0:0 mode=0755)',
        why: "the auth socket is service-socket-refused's",
        otherRule: 'service-socket-refused',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: copy from INBOX: box=Notes, uid=7, msgid=<a7@example.com>, size=400, subject=mkdir failed: Permission denied (euid=0)',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
