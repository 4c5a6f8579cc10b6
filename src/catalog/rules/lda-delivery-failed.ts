import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'lda-delivery-failed',
  kind: 'problem',
  title: "Postfix could not deliver through Dovecot's LDA (deferred or bounced, with its exit status)",
  severity: 'high',
  // Postfix's pipe(8) and local(8) report a command's exit: a sysexits.h status as its text ("temporary failure" for
  // 75, "user unknown" 67, "permission denied" 77, "command line usage error" 64, "local configuration error" 78), any
  // other as 'Command died with status N: "<command>"', a signal as 'Command died with signal N', then '. Command
  // output: <stderr>'. What dovecot-lda exits with (src/lda/main.c, 2.2.36-2.4.4): 0 delivered; 75 (EX_TEMPFAIL) for a
  // temporary failure and for every Fatal, since failure_exit_callback() turns Dovecot's own fatal statuses (80-84, 89)
  // into 75, and doveconf run from the LDA does the same (USE_SYSEXITS); 67 (EX_NOUSER) when the userdb has no such
  // user; 77 (EX_NOPERM) when a mail is rejected with -e; 64 (EX_USAGE) for bad arguments. So "Command died with status
  // 89" is never dovecot-lda's own exit: something between (a wrapper script, another binary) returned it.
  literal: 'status=',
  patterns: [
    /^(?<queueId>[0-9A-Za-z]+): to=<(?<recipient>[^>]*)>,(?: orig_to=<[^>]*>,)? relay=(?<relay>[^,\s]+),[^()]*? dsn=(?<dsn>\d\.\d{1,3}\.\d{1,3}), status=(?<result>deferred|bounced) \((?:(?<tempfail>temporary failure)|(?<nouser>user unknown)|(?<noperm>permission denied)|(?<usage>command line usage error)|(?<config>local configuration error)|Command died with (?:status (?<status>\d+)|signal (?<signal>\d+))(?:: "(?<command>[^"]*)")?)(?:\. Command output: (?<output>[^\n]*\S))? ?\)/,
  ],
  conditions: {programs: ['postfix/pipe', 'postfix/local']},
  facts: {
    queueId: "Postfix's queue id of the mail.",
    recipient: 'The recipient.',
    relay: 'The Postfix transport (dovecot for the usual pipe, local for mailbox_command).',
    dsn: 'The delivery status code Postfix gave the sender (4.x.x: retried, 5.x.x: bounced).',
    result: 'deferred (Postfix retries) or bounced (returned to the sender).',
    tempfail: 'Exit 75 (EX_TEMPFAIL): a temporary failure or any Fatal error of dovecot-lda.',
    nouser: 'Exit 67 (EX_NOUSER): the userdb does not know the recipient.',
    noperm: 'Exit 77 (EX_NOPERM): dovecot-lda rejected the mail (run with -e: quota exceeded, a Sieve reject).',
    usage: 'Exit 64 (EX_USAGE): dovecot-lda was called with wrong arguments.',
    config: 'Exit 78 (EX_CONFIG): a configuration error reported by the command.',
    status: 'An exit status outside sysexits.h: not one dovecot-lda itself returns (a wrapper, a missing binary: 126/127).',
    signal: 'The signal that killed the command (a time limit, the OOM killer).',
    command: 'The command Postfix ran.',
    output: "What the command wrote to stderr: usually the LDA's own error line.",
  },
  summary: {
    by: ['relay', 'result', 'tempfail', 'nouser', 'noperm', 'usage', 'config', 'status', 'signal', 'output'],
    format: (f, n) => {
      const why =
        f.status !== undefined
          ? `status ${f.status}`
          : f.signal !== undefined
            ? `signal ${f.signal}`
            : (f.tempfail ?? f.nouser ?? f.noperm ?? f.usage ?? f.config ?? 'failed')
      return `${f.result} via ${f.relay} (${why})${f.output ? `: ${f.output.slice(0, 160)}` : ''}: ${n} time(s)`
    },
  },
  variants: [
    {
      id: 'tempfail',
      whenFact: 'tempfail',
      explanation:
        'dovecot-lda exited 75: it hit an error it could not get past (every Fatal becomes 75), so Postfix keeps the mail and retries.',
      remedy: [
        "Read the Command output and the LDA's own lines in the Dovecot log at the same time: they name the cause (permissions, a socket, the configuration, quota with quota_full_tempfail).",
        'Fix it, then `postqueue -f` to retry the deferred mail.',
      ],
    },
    {
      id: 'no-user',
      whenFact: 'nouser',
      explanation: 'dovecot-lda exited 67: the userdb has no such user, so the mail bounced.',
      remedy: [
        'Check the lookup: `doveadm user <recipient>`; compare the address Postfix passes (`-d ${user}@${nexthop}` in master.cf) with what the userdb expects (full address or local part).',
      ],
    },
    {
      id: 'rejected',
      whenFact: 'noperm',
      explanation:
        'dovecot-lda exited 77: it rejected the mail itself (run with -e), e.g. the mailbox is over quota or a Sieve script rejected it.',
      remedy: [
        'The Command output says why; for quota see quota-exceeded. Without -e the LDA sends the rejection mail itself and exits 0.',
      ],
    },
    {
      id: 'usage',
      whenFact: 'usage',
      explanation: 'dovecot-lda exited 64: the arguments in master.cf or mailbox_command are wrong.',
      remedy: [
        'Fix the argv of the dovecot transport (e.g. `argv=/usr/lib/dovecot/dovecot-lda -f ${sender} -d ${user}@${nexthop}`); the Command output names the bad argument.',
      ],
    },
    {
      id: 'not-the-lda',
      whenFact: 'status',
      explanation:
        'The command exited with a status dovecot-lda never returns (it maps every Fatal to 75): the path in master.cf is not dovecot-lda, or a wrapper script returned something else (126: not executable, 127: not found).',
      remedy: [
        'Check the `argv=` of the transport: `ls -l` the path (Debian: /usr/lib/dovecot/dovecot-lda, RHEL: /usr/libexec/dovecot/dovecot-lda), and run it by hand as the transport user: `sudo -u vmail /usr/lib/dovecot/dovecot-lda -d <user> < mail.eml; echo $?`.',
      ],
    },
    {
      id: 'killed',
      whenFact: 'signal',
      explanation: 'The command was killed by a signal: a Postfix time limit (command_time_limit), the OOM killer or an administrator.',
      remedy: [
        'Look at the time (delay=) and the kernel log; a slow delivery (Sieve, a huge mailbox index) may need a larger `dovecot_destination_concurrency_limit` or time limit.',
      ],
    },
  ],
  correlations: [
    {
      rule: 'setuid-setgid-failed',
      note: 'The LDA could not become the mail user (setuid-setgid-failed): that is why these deliveries failed.',
    },
    {
      rule: 'privileged-group-eperm',
      note: 'The LDA could not take mail_privileged_group (privileged-group-eperm): that is why these deliveries failed.',
    },
  ],
  explanation:
    "Postfix ran Dovecot's LDA (dovecot-lda, formerly deliver) for a recipient and it did not deliver: the mail was " +
    'deferred (kept and retried) or bounced to the sender. The exit status says which kind of failure it was, and the ' +
    "Command output carries the LDA's own error.",
  remedy: [
    "Read the reason and the Command output in the finding; the Dovecot log has the LDA's lines for the same recipient at the same time.",
    'Check the transport in /etc/postfix/master.cf (`user=` and `argv=`) against `doveadm user <recipient>`, and consider LMTP for high volumes.',
  ],
  docs: DOCS.lda,
  examples: {
    match: [
      {
        line: 'Jun 26 16:03:22 mydomain.tld postfix/local[163233]: 1B84532A: to=<myname@mydomain.tld>, relay=local, delay=1185, delays=1185/0.04/0/0.21, dsn=4.3.0, status=deferred (temporary failure. Command output: lda(myname): Error: net_connect_unix(/run/dovecot/stats-writer) failed: Permission denied )',
        facts: {
          relay: 'local',
          result: 'deferred',
          tempfail: 'temporary failure',
          output: 'lda(myname): Error: net_connect_unix(/run/dovecot/stats-writer) failed: Permission denied',
        },
        variant: 'tempfail',
      },
      {
        line: 'Nov 23 10:00:00 mail1 postfix/pipe[2345]: 4A1B2C3D4E: to=<nobody@example.com>, relay=dovecot, delay=0.12, delays=0.05/0/0/0.07, dsn=5.1.1, status=bounced (user unknown)',
        facts: {recipient: 'nobody@example.com', result: 'bounced'},
        variant: 'no-user',
      },
      {
        line: 'Nov 23 10:00:00 mail1 postfix/pipe[2345]: 4A1B2C3D4E: to=<jdoe@example.com>, relay=dovecot, delay=0.2, delays=0.1/0/0/0.1, dsn=5.3.0, status=bounced (Command died with status 127: "/usr/lib/dovecot/deliver". Command output: pipe: fatal: execvp /usr/lib/dovecot/deliver: No such file or directory )',
        facts: {status: '127', command: '/usr/lib/dovecot/deliver'},
        variant: 'not-the-lda',
      },
      {
        line: 'Nov 23 10:00:00 mail1 postfix/pipe[2345]: 4A1B2C3D4E: to=<jdoe@example.com>, orig_to=<info@example.com>, relay=dovecot, delay=3600, delays=0.1/0/0/3600, dsn=4.3.0, status=deferred (Command died with signal 9: "/usr/libexec/dovecot/dovecot-lda")',
        facts: {signal: '9'},
        variant: 'killed',
      },
      {
        line: 'Nov 23 10:00:00 mail1 postfix/pipe[2345]: 4A1B2C3D4E: to=<jdoe@example.com>, relay=dovecot, delay=0.3, delays=0.1/0/0/0.2, dsn=5.7.0, status=bounced (permission denied. Command output: Quota exceeded (mailbox for user is full) )',
        variant: 'rejected',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 mail1 postfix/pipe[2345]: 4A1B2C3D4E: to=<jdoe@example.com>, relay=dovecot, delay=0.3, delays=0.1/0/0/0.2, dsn=4.3.0, status=deferred (delivery temporarily suspended: unknown mail transport error)',
        why: "Postfix's own transport failed before the LDA ran: no exit status of the LDA",
      },
      {
        line: 'Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Debug: sieve: Finished executing result (final, status=temporary_failure, keep=yes)',
        why: "a Dovecot line: only Postfix's reports are this rule's",
      },
    ],
  },
})
