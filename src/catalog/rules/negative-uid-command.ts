import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'negative-uid-command',
  kind: 'problem',
  title: 'A client sent IMAP commands with negative (or zero-based) UID sets',
  severity: 'low',
  versions: ['2.3'],
  // src/imap/imap-client.c: 2.3 (:1020) logs each command at debug level as "Command finished: %s %s" (name, args)
  // without the reply; 2.4 (:1063) appends ": <tagged reply>", so a rejected set there reads "... : BAD Error in IMAP
  // command ...: Invalid uidset" and is invalid-uid-messageset's. This rule counts the commands 2.3 logs.
  // The same command exported as an event (2.3 src/stats/event-exporter-fmt-json.c and -fmt-tab-text.c, logged by the
  // stats process with the log transport): imap_command_finished with the fields cmd_name and cmd_args (src/imap/imap-client.c).
  // JSON: {"event":"imap_command_finished",...,"fields":{...,"cmd_name":"UID FETCH","cmd_args":"1:-5 (UID FLAGS)",...}};
  // tab-text: event:imap_command_finished<TAB>...<TAB>field:cmd_name=UID FETCH<TAB>field:cmd_args=1:-5 (UID FLAGS)
  // (rsyslog writes the tab as #011). Each pattern is anchored at the message's start, so it runs once per line.
  literal: 'finished',
  patterns: [
    /^Command finished: (?<command>(?:UID )?[A-Z]+) (?<set>[0-9*][0-9:,*]*[:,]-[0-9][0-9:,*-]*|-[0-9][0-9:,*-]*|0:[0-9*][0-9:,*-]*)(?: [^:\n]*)?$/,
    /^\{"event":"imap_command_finished",(?=[^\n]*?"cmd_name":"(?<command>[^"]*)"|)[^\n]*?"cmd_args":"(?<set>[0-9*][0-9:,*]*[:,]-[0-9][0-9:,*-]*|-[0-9][0-9:,*-]*|0:[0-9*][0-9:,*-]*)[ "]/,
    /^event:imap_command_finished(?:\t|#011)(?=[^\n]*?(?:\t|#011)field:cmd_name=(?<command>[^\t#]*)|)[^\n]*?(?:\t|#011)field:cmd_args=(?<set>[0-9*][0-9:,*]*[:,]-[0-9][0-9:,*-]*|-[0-9][0-9:,*-]*|0:[0-9*][0-9:,*-]*)(?:[ \t#]|$)/,
  ],
  conditions: {services: ['imap', 'stats'], levels: ['debug', 'info']},
  facts: {
    command: 'The IMAP command.',
    set: 'The UID set it was given: a negative number is a UID the client stored as a signed 32-bit integer.',
  },
  summary: {by: ['command'], format: (f, n) => `${f.command ?? 'a command'} with a negative or 0: UID set: ${n} command(s)`},
  correlations: [
    {
      rule: 'invalid-uid-messageset',
      note: 'The same clients also had commands rejected or were disconnected for invalid commands (invalid-uid-messageset): fix the client, or reset the mailbox UIDs.',
    },
  ],
  explanation:
    'A client asked for UIDs below 1 or wrapped to negative numbers: it stores IMAP UIDs (unsigned 32-bit) as signed ' +
    "integers, so once a mailbox's UIDs pass 2147483647 its requests go negative. Dovecot rejects each such command, " +
    'and after 20 bad commands disconnects the client; Dovecot 2.3 logs the command but not the rejection.',
  remedy: [
    'Find the client (the affected users and their IPs) and update or replace it: it must treat UIDs as unsigned 32-bit numbers.',
    "Reset the mailbox's UIDs so they start from 1 again (clients re-download everything): for Maildir delete dovecot-uidlist, for mbox the index files and the X-IMAP/X-IMAPbase headers.",
  ],
  docs: DOCS.errors('negative-uids'),
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Debug: Command finished: UID FETCH 1181461470:-1181461446 (UID FLAGS)',
        version: '2.3',
        facts: {command: 'UID FETCH', set: '1181461470:-1181461446'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Debug: Command finished: UID STORE -1181461446 +FLAGS (\\Seen)',
        version: '2.3',
        facts: {command: 'UID STORE', set: '-1181461446'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Debug: Command finished: UID FETCH 0:* (UID FLAGS)',
        version: '2.3',
        facts: {set: '0:*'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: stats: Info: {"event":"imap_command_finished","hostname":"mail1","start_time":"2026-11-23T10:00:00.100000Z","end_time":"2026-11-23T10:00:00.120000Z","categories":["imap"],"fields":{"user":"jdoe","session":"AbCdEf12","cmd_tag":"a12","cmd_name":"UID FETCH","cmd_args":"1181461470:-1181461446 (UID FLAGS)","cmd_human_args":"1181461470:-1181461446 (UID FLAGS)","tagged_reply_state":"BAD","tagged_reply":"BAD Error in IMAP command UID FETCH: Invalid uidset"}}',
        version: '2.3',
        facts: {command: 'UID FETCH', set: '1181461470:-1181461446'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: stats: Info: event:imap_command_finished#011hostname:mail1#011start_time:1795428000.100000#011end_time:1795428000.120000#011category:imap#011field:user=jdoe#011field:cmd_tag=a13#011field:cmd_name=UID STORE#011field:cmd_args=-1181461446 +FLAGS (\\Seen)#011field:tagged_reply_state=BAD',
        version: '2.3',
        facts: {command: 'UID STORE', set: '-1181461446'},
      },
      {
        line: 'Nov 23 10:00:00 stats: Info: event:imap_command_finished\thostname:mail1\tcategory:imap\tfield:user=jdoe\tfield:cmd_name=FETCH\tfield:cmd_args=0:* (FLAGS)',
        version: '2.3',
        facts: {command: 'FETCH', set: '0:*'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 stats: Info: {"event":"imap_command_finished","hostname":"mail1","start_time":"2026-11-23T10:00:00.100000Z","end_time":"2026-11-23T10:00:00.120000Z","categories":["imap"],"fields":{"user":"jdoe","cmd_tag":"a12","cmd_name":"UID FETCH","cmd_args":"1181461470:1181461490 (UID FLAGS)","tagged_reply_state":"OK"}}',
        version: '2.3',
        why: 'an exported command with an ordinary UID range',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Debug: Command finished: UID FETCH 1181461470:1181461490 (UID FLAGS)',
        why: 'an ordinary UID range',
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Debug: Command finished: UID SEARCH 1:* SINCE 1-Nov-2026',
        why: 'a date with a dash is no negative UID',
      },
    ],
  },
})
