import type {MigrationAction} from './actions.js'

/**
 * Every exit code dovediag knows, with its meaning and migration action: the one home of this
 * knowledge. `dovediag exit`, `dovediag explain` and `dovediag migration check` all read it.
 *
 * Facts come from Dovecot's exit-code table and doveadm-sync(1) (shared/reference), and from Dovecot's
 * own source (doveadm.h, doveadm-protocol.h, lib/failures.h) where real doveadm differs from that table.
 */

/** Where a code comes from. */
export type CodeOrigin =
  | 'doveadm-docs' // listed in Dovecot's doveadm Error/Exit Codes table
  | 'dovecot-source' // defined by Dovecot's source but not (or differently) in the docs table
  | 'dovecot-fatal' // a status Dovecot's fatal-error handler exits with (lib/failures.h)
  | 'shell' // set by the shell or a wrapper around doveadm, not by doveadm itself

export interface ExitCodeEntry {
  code: number
  /** Canonical label: the sysexits.h / doveadm.h name. */
  label: string
  /** Other names accepted on the command line (case-insensitive; `EX_` and `DOVEADM_EX_` prefixes optional). */
  aliases: string[]
  /** One line. */
  meaning: string
  /** What happened, in dovediag's words. */
  explanation: string
  /** Where what real Dovecot returns differs from the docs' one-line label. */
  notes: string[]
  /** Action during intermediate syncs, and at the final cut-over when it differs. */
  action: MigrationAction
  finalAction?: MigrationAction
  /** What a migration script should do, concretely. */
  advice: string
  /** The docs say to flag the user for investigation, beyond marking the migration failed. */
  investigate?: boolean
  /** `documented`: the action follows Dovecot's own guidance; `judgement`: the docs are silent, this is dovediag's. */
  actionBasis: 'documented' | 'judgement'
  origin: CodeOrigin
  /** Dovecot versions that use the code, when not all. */
  versions?: string
  docs: string
}

export const DOCS = {
  exitCodes: 'https://doc.dovecot.org/latest/core/admin/doveadm.html#error-exit-codes',
  syncExitStatus: 'https://doc.dovecot.org/latest/core/man/doveadm-sync.1.html#exit-status',
  httpApi: 'https://doc.dovecot.org/latest/core/admin/doveadm.html#doveadm-http-api',
  bugReport: 'https://dovecot.org/bugreport.html',
  cacheTooLarge: 'https://doc.dovecot.org/latest/core/admin/errors.html#dovecot-index-cache-is-too-large',
} as const

export const EXIT_CODES: readonly ExitCodeEntry[] = [
  {
    code: 0,
    label: 'EX_OK',
    aliases: ['OK', 'SUCCESS'],
    meaning: 'Success',
    explanation: 'The sync finished and both sides hold the same mail.',
    notes: [],
    action: 'done',
    advice: 'Count the user as migrated for this phase.',
    actionBasis: 'documented',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 1,
    label: 'FAILURE',
    aliases: ['GENERAL_FAILURE'],
    meaning: 'Sync failed (generic failure)',
    explanation:
      'doveadm-sync(1) says that 1, like any status above 2 it does not list, means the synchronization failed. ' +
      'doveadm itself rarely exits 1; a wrapper script or a shell error is a likely source.',
    notes: ['Not in the Error/Exit Codes table; doveadm-sync(1) groups it under "1, >2: synchronization failed".'],
    action: 'fail',
    advice: 'Mark the migration failed and read the captured stderr for the cause.',
    actionBasis: 'documented',
    origin: 'doveadm-docs',
    docs: DOCS.syncExitStatus,
  },
  {
    code: 2,
    label: 'DOVEADM_EX_CHANGED',
    aliases: ['CHANGED', 'EX_CHANGED'],
    meaning: 'Success, but mailboxes changed during the sync',
    explanation:
      'The sync ran without errors but could not apply every change, usually because the mailbox changed ' +
      'while it ran (or modseqs on newly created mailboxes). Dovecot logs "Mailbox changes caused a desync. ' +
      'You may want to run dsync again". The next sync picks the changes up.',
    notes: ['Named DOVEADM_EX_CHANGED only from Dovecot 2.4; earlier versions return a bare 2.'],
    action: 'done',
    finalAction: 'rerun',
    advice: 'Intermediate sync: safe to ignore, the next run catches up. Final cut-over: run the sync again; only 0 finishes a cut-over.',
    actionBasis: 'documented',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 64,
    label: 'EX_USAGE',
    aliases: ['USAGE'],
    meaning: 'Incorrect parameters',
    explanation: 'doveadm was called with wrong parameters. In a tested migration this points to a bug in the wrapper or in dsync.',
    notes: ['Also returned when a storage operation reports a parameter error (MAIL_ERROR_PARAMS).'],
    action: 'fail',
    advice: 'Mark failed, fix the command line the wrapper builds, and report it if the command was correct.',
    actionBasis: 'documented',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 65,
    label: 'EX_DATAERR',
    aliases: ['DATAERR', 'DOVEADM_EX_NOTPOSSIBLE', 'NOTPOSSIBLE'],
    meaning: 'Data error (also: operation not possible)',
    explanation: 'The docs say this should not happen in practice; treat it as a failed migration and send the details to Dovecot.',
    notes: [
      'Real doveadm also returns 65 as DOVEADM_EX_NOTPOSSIBLE, e.g. "mailbox already exists", over quota limits, ' +
        'a message too big or a mailbox in use: check stderr before reporting a bug.',
    ],
    action: 'fail',
    advice: 'Mark failed and investigate; report to Dovecot if stderr shows no ordinary cause.',
    investigate: true,
    actionBasis: 'documented',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 66,
    label: 'EX_NOINPUT',
    aliases: ['NOINPUT'],
    meaning: 'Cannot open input',
    explanation: 'An input file or mailbox location could not be opened (missing, or no permission).',
    notes: [],
    action: 'fail',
    advice: 'Mark failed; check that the source location and any -F user file exist and are readable.',
    actionBasis: 'judgement',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 67,
    label: 'EX_NOUSER',
    aliases: ['NOUSER'],
    meaning: 'User no longer exists in the user database',
    explanation: 'The userdb lookup found no such user. Either the account is gone, or the identity backend (LDAP, SQL) answered wrongly.',
    notes: ['A userdb lookup that fails (rather than finding nothing) exits 75 instead.'],
    action: 'remove-user',
    advice:
      'Drop the user from the migration list. If many users get 67 at once, suspect the identity backend and treat them as temporary failures (retry/requeue).',
    actionBasis: 'documented',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 68,
    label: 'EX_NOHOST',
    aliases: ['NOHOST', 'DOVEADM_EX_NOTFOUND', 'NOTFOUND'],
    meaning: 'Hostname unknown (also: not found)',
    explanation: 'The docs call it an unknown or unresolvable source/destination host.',
    notes: [
      'Real doveadm mostly returns 68 as DOVEADM_EX_NOTFOUND: "mailbox doesn\'t exist" or another object not found.',
      'An unresolvable tcp: destination does not give 68: doveadm exits 75 (temporary failure) for it.',
    ],
    action: 'fail',
    advice: 'Mark failed; check stderr for which mailbox or object was not found (or which host).',
    actionBasis: 'judgement',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 69,
    label: 'EX_UNAVAILABLE',
    aliases: ['UNAVAILABLE'],
    meaning: 'Service unavailable',
    explanation: 'A service doveadm needed was not available.',
    notes: [],
    action: 'retry',
    advice: 'Retry within the retry budget; if it persists for every user, check the services on both ends.',
    actionBasis: 'judgement',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 70,
    label: 'EX_SOFTWARE',
    aliases: ['SOFTWARE'],
    meaning: 'Internal software error',
    explanation: 'doveadm hit an internal error: a bug, not a problem with the mailbox.',
    notes: [],
    action: 'fail',
    advice: 'Mark failed and report the bug to Dovecot with the captured stderr.',
    actionBasis: 'documented',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 71,
    label: 'EX_OSERR',
    aliases: ['OSERR', 'EX_OSERROR', 'OSERROR'],
    meaning: 'System error (e.g. cannot fork)',
    explanation: 'The operating system of the host running dsync failed it, e.g. it could not fork.',
    notes: ['The docs spell it EX_OSERROR; sysexits.h calls it EX_OSERR.'],
    action: 'retry',
    advice: 'Retry once the host has resources again; check process and memory limits on the dsync host.',
    actionBasis: 'judgement',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 72,
    label: 'EX_OSFILE',
    aliases: ['OSFILE'],
    meaning: 'Critical OS file missing',
    explanation: 'A system file dsync needs is missing on the host running it.',
    notes: [],
    action: 'fail',
    advice: 'Mark failed and fix the dsync host; every user run there will fail the same way.',
    actionBasis: 'judgement',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 73,
    label: 'EX_CANTCREAT',
    aliases: ['CANTCREAT'],
    meaning: 'Cannot create mailbox or message (out of quota)',
    explanation:
      'The destination refused to store mail because the user is over quota. With a target quota at least as large ' +
      'as the source this should not happen, so it hints at a sync problem such as duplicated messages.',
    notes: ['Real doveadm maps "Not enough disk quota" (MAIL_ERROR_NOQUOTA) to 73.'],
    action: 'fail',
    advice: 'Mark failed and flag the user for investigation (compare quotas and look for duplicates).',
    investigate: true,
    actionBasis: 'documented',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 74,
    label: 'EX_IOERR',
    aliases: ['IOERR'],
    meaning: 'Input/output error',
    explanation: 'Reading or writing mail failed at the I/O level.',
    notes: [],
    action: 'retry',
    advice: 'Retry within the budget; if it repeats, check storage health on both ends.',
    actionBasis: 'judgement',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 75,
    label: 'EX_TEMPFAIL',
    aliases: ['TEMPFAIL', 'EX_TEMPFAILE'],
    meaning: 'Temporary failure',
    explanation:
      'Something temporary stopped the sync: a lock timeout, a lost connection, an unavailable backend. Running it again may succeed.',
    notes: [
      'doveadm lets a temporary failure override every other error, so 75 can hide a second cause: read stderr.',
      'An unresolvable tcp: destination host exits 75, not 68; so does a failing userdb lookup.',
    ],
    action: 'retry',
    advice: 'Run the sync again, up to a maximum number of retries; past it, mark the user as error or put it back in the queue for later.',
    actionBasis: 'documented',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 76,
    label: 'EX_PROTOCOL',
    aliases: ['PROTOCOL'],
    meaning: 'Remote error in protocol',
    explanation: 'The remote side spoke the dsync/doveadm protocol wrongly, often a version mismatch between the two ends.',
    notes: [],
    action: 'fail',
    advice: 'Mark failed; compare Dovecot versions on both ends and read the remote stderr.',
    actionBasis: 'judgement',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 77,
    label: 'EX_NOPERM',
    aliases: ['NOPERM'],
    meaning: 'Authentication failure (permission denied)',
    explanation:
      'Authenticating to a mail backend failed. With master-user authentication this means a configuration problem ' +
      '(rarely a dsync bug) that will hit every user.',
    notes: [
      "With per-user credentials it may only mean this user's password changed: then fail or retry just this user.",
      'Also returned for plain permission errors (e.g. no write access to a folder).',
    ],
    action: 'suspend-all',
    advice: 'Suspend all migrations until the authentication setup is fixed.',
    actionBasis: 'documented',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 78,
    label: 'EX_CONFIG',
    aliases: ['CONFIG'],
    meaning: 'Invalid settings or configuration',
    explanation: 'The migration setup is misconfigured. A system tested in staging should never return this.',
    notes: ['A configuration file that does not parse makes doveadm exit 89 (Fatal), not 78.'],
    action: 'suspend-all',
    advice: 'Suspend all migrations until the configuration is fixed.',
    actionBasis: 'documented',
    origin: 'doveadm-docs',
    docs: DOCS.exitCodes,
  },
  {
    code: 80,
    label: 'FATAL_LOGOPEN',
    aliases: ['LOGOPEN'],
    meaning: "Dovecot fatal: can't open the log file",
    explanation: 'The process died because it could not open its log file (path or permissions).',
    notes: [],
    action: 'fail',
    advice: 'Mark failed and fix log_path permissions on the host; other users will fail the same way.',
    actionBasis: 'judgement',
    origin: 'dovecot-fatal',
    docs: DOCS.bugReport,
  },
  {
    code: 81,
    label: 'FATAL_LOGWRITE',
    aliases: ['LOGWRITE'],
    meaning: "Dovecot fatal: can't write to the log file",
    explanation: 'The process died because writing its log failed, often a full disk.',
    notes: [],
    action: 'fail',
    advice: 'Mark failed and check free space where the logs go.',
    actionBasis: 'judgement',
    origin: 'dovecot-fatal',
    docs: DOCS.bugReport,
  },
  {
    code: 82,
    label: 'FATAL_LOGERROR',
    aliases: ['LOGERROR'],
    meaning: 'Dovecot fatal: internal logging error',
    explanation: 'The process died of an internal error in its logging.',
    notes: [],
    action: 'fail',
    advice: 'Mark failed and report to Dovecot with the log.',
    actionBasis: 'judgement',
    origin: 'dovecot-fatal',
    docs: DOCS.bugReport,
  },
  {
    code: 83,
    label: 'FATAL_OUTOFMEM',
    aliases: ['OUTOFMEM', 'OOM'],
    meaning: 'Dovecot fatal: out of memory',
    explanation: 'The process ran out of memory, usually its vsz_limit, often while mapping a very large dovecot.index.cache.',
    notes: ['Retrying alone will not help: the same mailbox needs the same memory.'],
    action: 'fail',
    advice: 'Mark failed; raise vsz_limit (or default_vsz_limit) above the largest cache file, then requeue the user.',
    actionBasis: 'judgement',
    origin: 'dovecot-fatal',
    docs: DOCS.cacheTooLarge,
  },
  {
    code: 84,
    label: 'FATAL_EXEC',
    aliases: ['EXEC'],
    meaning: 'Dovecot fatal: exec() failed',
    explanation: 'Starting a helper program failed (e.g. the remote dsync command or a doveadm binary).',
    notes: [],
    action: 'fail',
    advice: 'Mark failed; check the command dsync runs for the remote side, and its path.',
    actionBasis: 'judgement',
    origin: 'dovecot-fatal',
    docs: DOCS.bugReport,
  },
  {
    code: 89,
    label: 'FATAL_DEFAULT',
    aliases: ['FATAL'],
    meaning: 'Dovecot fatal error',
    explanation: 'A plain Fatal: the process logged a "Fatal:" line and stopped. The reason is in that line.',
    notes: [
      'A broken configuration file makes doveadm exit 89 rather than 78: if every user gets 89, run `doveconf -n` on the host.',
      'In Dovecot 2.4 a referral (DOVEADM_EX_REFERRAL) on the command line also ends as 89.',
    ],
    action: 'fail',
    advice: 'Mark failed and read the Fatal line in stderr; if all users get 89, suspect the configuration.',
    actionBasis: 'judgement',
    origin: 'dovecot-fatal',
    docs: DOCS.exitCodes,
  },
  {
    code: 124,
    label: 'TIMEOUT',
    aliases: [],
    meaning: 'Timed out (GNU timeout)',
    explanation: 'The wrapper ran doveadm under timeout(1), and it did not finish in time.',
    notes: ['Not a doveadm code: set by timeout(1).'],
    action: 'retry',
    advice: 'Retry, with a longer timeout for large mailboxes.',
    actionBasis: 'judgement',
    origin: 'shell',
    docs: 'https://www.gnu.org/software/coreutils/manual/html_node/timeout-invocation.html',
  },
  {
    code: 126,
    label: 'NOT_EXECUTABLE',
    aliases: [],
    meaning: 'Command not executable (shell)',
    explanation: 'The shell found the command but could not run it.',
    notes: ['Not a doveadm code: set by the shell.'],
    action: 'fail',
    advice: 'Fix the wrapper: check the path and permissions of doveadm.',
    actionBasis: 'judgement',
    origin: 'shell',
    docs: 'https://www.gnu.org/software/bash/manual/html_node/Exit-Status.html',
  },
  {
    code: 127,
    label: 'NOT_FOUND',
    aliases: ['COMMAND_NOT_FOUND'],
    meaning: 'Command not found (shell)',
    explanation: 'The shell could not find doveadm (or the command the wrapper ran).',
    notes: ['Not a doveadm code: set by the shell.'],
    action: 'fail',
    advice: 'Fix the wrapper: doveadm is not on its PATH.',
    actionBasis: 'judgement',
    origin: 'shell',
    docs: 'https://www.gnu.org/software/bash/manual/html_node/Exit-Status.html',
  },
  {
    code: 1001,
    label: 'DOVEADM_EX_NOREPLICATE',
    aliases: ['NOREPLICATE'],
    meaning: 'User has replication disabled (noreplicate)',
    explanation: 'The user is marked noreplicate, so the replicator would not sync it.',
    notes: [],
    action: 'fail',
    advice: "Mark failed; check the user's noreplicate field if this user should be migrated.",
    actionBasis: 'judgement',
    origin: 'dovecot-source',
    versions: '2.3.8–2.3.21',
    docs: DOCS.exitCodes,
  },
  {
    code: 1002,
    label: 'DOVEADM_EX_REFERRAL',
    aliases: ['REFERRAL'],
    meaning: 'Referral: the user lives on another backend',
    explanation: 'The command was sent to a server that does not hold this user and answered with a referral.',
    notes: [
      'The HTTP API reports it as an internalError; the command line logs "Command requested referral" and exits 89, so a shell rarely sees 234.',
    ],
    action: 'fail',
    advice: 'Mark failed; run the migration through the proxy (director) that routes the user to its backend.',
    actionBasis: 'judgement',
    origin: 'dovecot-source',
    versions: '2.4+',
    docs: DOCS.exitCodes,
  },
  {
    code: 1003,
    label: 'DOVEADM_EX_EXPIRED',
    aliases: ['EXPIRED'],
    meaning: 'Outdated / expired',
    explanation: 'The command could not finish because what it worked on is no longer valid or up to date.',
    notes: ['Only Dovecot 2.4 (the docs say 3.0) defines it, and no open-source code path returns it yet.'],
    action: 'retry',
    advice: 'Run the sync again so it works on current data.',
    actionBasis: 'judgement',
    origin: 'doveadm-docs',
    versions: '2.4+',
    docs: DOCS.exitCodes,
  },
  {
    code: -1,
    label: 'DOVEADM_EX_UNKNOWN',
    aliases: ['UNKNOWN'],
    meaning: 'Unknown error',
    explanation: 'doveadm failed without a more specific code.',
    notes: ['Remote dsync prints it unsigned: "Remote command returned error 4294967295".'],
    action: 'fail',
    advice: 'Mark failed and read stderr for the cause.',
    actionBasis: 'judgement',
    origin: 'dovecot-source',
    docs: DOCS.exitCodes,
  },
]
