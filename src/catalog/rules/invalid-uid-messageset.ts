import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'invalid-uid-messageset',
  kind: 'problem',
  title: 'A client sends invalid or negative UID sets',
  severity: 'low',
  // "Invalid ..." in replies and errors, "invalid" in the disconnect reason.
  literal: 'nvalid ',
  patterns: [
    /BAD Error in IMAP command (?<command>[A-Z]+(?: [A-Z]+)?): Invalid (?<what>UID messageset|messageset|uidset)(?::? (?<set>\S+))?/,
    /^Invalid (?<what>UID messageset|messageset|uidset)(?:: (?<set>\S+))?/,
    // 2.2 "Too many invalid IMAP commands. in=...", 2.3+ "Disconnected: Too many invalid IMAP commands. in=...".
    // imap-login's pre-login "Too many invalid commands" is a scanner, not a UID problem.
    /^(?:Disconnected: )?(?<what>Too many invalid IMAP commands)\./,
  ],
  conditions: {services: ['imap']},
  facts: {
    command: 'The IMAP command.',
    what: 'The error.',
    set: 'The offending set, when logged (a negative number means signed 32-bit UIDs).',
  },
  summary: {by: ['what', 'command'], format: (f, n) => `${f.what}${f.command ? ` (${f.command})` : ''}: ${n} time(s)`},
  explanation:
    'IMAP UIDs are unsigned 32-bit numbers; clients that store them as signed integers send negative numbers once ' +
    'UIDs pass 2147483647, which Dovecot rejects as an invalid set. After 20 bad commands the connection is closed. ' +
    'UIDs that high usually come from old bugs (broken X-UID headers in mbox) or from migrations.',
  remedy: [
    'Find the client (the affected users and their IPs) and update or replace it: the fix is a client that treats UIDs as unsigned 32-bit numbers.',
    "Reset the mailbox's UIDs so they start from 1 again (clients re-download everything): for mbox delete Dovecot's index files for it and the X-IMAP/X-IMAPbase headers in the mbox file; for Maildir delete dovecot-uidlist.",
    'Outlook after a migration (often "UID: Invalid UID messageset"): remove the account from Outlook and add it again.',
  ],
  harmless: 'A few "Too many invalid IMAP commands" disconnects from one odd client, with no invalid sets logged.',
  docs: DOCS.errors('negative-uids'),
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: Disconnected: Too many invalid IMAP commands. in=2345 out=980 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0',
        version: '2.3',
        facts: {what: 'Too many invalid IMAP commands'},
      },
      {line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Too many invalid IMAP commands. in=2345 out=980', version: '2.2'},
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Disconnected: Too many invalid IMAP commands. in=2345 out=980 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0',
        version: '2.4',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Debug: a7 BAD Error in IMAP command UID FETCH: Invalid uidset',
        version: '2.3',
        facts: {command: 'UID FETCH', what: 'uidset'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe): Error: Invalid messageset: 1181461470:-1181461446.',
        version: '2.2',
        facts: {what: 'messageset', set: '1181461470:-1181461446.'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap-login: Info: Disconnected: Too many invalid commands (no auth attempts in 4 secs): user=<>, rip=198.51.100.7, lip=192.0.2.10, session=<AbCdEf12>',
        why: 'a scanner talking nonsense before login',
      },
      {
        line: 'Nov 23 10:00:00 imap-login: Info: Login aborted: Too many invalid commands (no auth attempts in 4 secs) (no_auth_attempts): user=<>, rip=198.51.100.7, lip=192.0.2.10, session=<AbCdEf12>',
        version: '2.4',
        why: 'the same scanner on 2.4',
      },
    ],
  },
})
