import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'selinux-avc-denied',
  kind: 'problem',
  title: 'SELinux denied a Dovecot process access',
  severity: 'high',
  literal: 'avc:',
  patterns: [
    /avc: {1,2}denied {1,2}\{ (?<perms>[^{}]+) \} for {1,2}pid=(?<pid>\d+) comm="(?<comm>imap|pop3|lmtp|dovecot|doveadm|auth|auth-worker|imap-login|pop3-login|submission|submission-login|managesieve|managesieve-login|dovecot-lda|deliver|indexer-worker|indexer|dict|anvil|config|log|stats|quota-status|dsync-server)"(?: name="(?<name>[^"]*)")?[^{]*? tcontext=(?<tcontext>\S+) tclass=(?<tclass>\S+)/,
  ],
  // In audit.log, or relayed by the kernel or auditd into syslog.
  conditions: {programs: ['audit', 'kernel', 'audispd', 'auditd']},
  facts: {
    perms: 'The denied permissions (write, read, create, ...).',
    comm: 'The Dovecot process.',
    pid: 'Its process id.',
    name: 'The file or directory name.',
    tcontext: 'The SELinux label of the target: usually the wrong one.',
    tclass: 'The kind of object (dir, file, sock_file).',
  },
  summary: {
    by: ['comm', 'perms', 'tclass', 'tcontext'],
    format: (f, n) => `${f.comm} denied { ${f.perms} } on a ${f.tclass} labelled ${f.tcontext}: ${n} time(s)`,
  },
  explanation:
    'SELinux refused a Dovecot process access to a file or directory whose label does not allow it (for example a ' +
    'mail location outside the default paths). Dovecot itself only logs "Permission denied ... (ACL/MAC wrong?)".',
  remedy: [
    'Relabel the mail location for mail: `chcon -R -t mail_home_rw_t /home/mail` (your mail location).',
    "Make it survive a relabel: `semanage fcontext --add --type mail_home_rw_t --range s0 '/home/mail(/.*)?'` then `restorecon -R /home/mail`.",
    'For other denials, `audit2why` on the lines shows which boolean or label is missing.',
  ],
  docs: DOCS.errors('selinux'),
  examples: {
    match: [
      {
        line: 'type=AVC msg=audit(1586604621.637:6736): avc:  denied  { write } for  pid=12750 comm="imap" name="Maildir" dev="dm-3" ino=438370738 scontext=system_u:system_r:dovecot_t:s0 tcontext=unconfined_u:object_r:etc_runtime_t:s0 tclass=dir permissive=0',
        facts: {perms: 'write', comm: 'imap', name: 'Maildir', tcontext: 'unconfined_u:object_r:etc_runtime_t:s0', tclass: 'dir'},
      },
      {
        line: 'type=AVC msg=audit(1586604622.001:6740): avc:  denied  { create } for  pid=12801 comm="lmtp" name="tmp" scontext=system_u:system_r:dovecot_deliver_t:s0 tcontext=system_u:object_r:default_t:s0 tclass=dir permissive=0',
        facts: {comm: 'lmtp', perms: 'create'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 kernel: audit: type=1400 audit(1586604621.637:6736): avc:  denied  { read write } for  pid=12750 comm="dovecot" name="master.pid" dev="dm-0" ino=1234 scontext=system_u:system_r:dovecot_t:s0 tcontext=system_u:object_r:var_run_t:s0 tclass=file permissive=0',
        facts: {perms: 'read write', comm: 'dovecot'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 mail1 kernel: audit: type=1400 audit(1586604621.637:6737): avc:  denied  { write } for  pid=2222 comm="postfix" name="maildrop" dev="dm-3" ino=1 scontext=system_u:system_r:postfix_t:s0 tcontext=system_u:object_r:var_t:s0 tclass=dir permissive=0',
        why: 'not a Dovecot process',
      },
      {
        line: 'type=AVC msg=audit(1586604621.637:6738): avc:  granted  { setsecparam } for  pid=1 comm="imap" scontext=system_u:system_r:dovecot_t:s0 tcontext=system_u:object_r:security_t:s0 tclass=security',
        why: 'granted, not denied',
      },
    ],
  },
})
