import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'panic',
  kind: 'problem',
  title: 'Dovecot crashed: Panic or failed assertion',
  severity: 'critical',
  // i_assert(), i_unreached() and most i_panic() calls say where: "file <src>: line <n> (<function>): ...".
  // Other Panic lines are listed under "severe but unrecognized".
  literal: ': line ',
  patterns: [/^file (?<file>\S+): line (?<line>\d+)(?: \((?<function>[^)]*)\))?: (?<what>.+)$/],
  conditions: {levels: ['panic', 'fatal']},
  facts: {file: 'Dovecot source file.', line: 'Source line.', function: 'Function.', what: 'The failed assertion or reason.'},
  summary: {by: ['file', 'line', 'what'], format: (f, n) => `${f.what} at ${f.file}:${f.line}: ${n} time(s)`},
  explanation:
    'A Dovecot process hit an internal inconsistency and aborted (SIGABRT, often with a core dump). That is a bug ' +
    'in Dovecot or a plugin, frequently set off by a corrupted index; the client was disconnected and may fail the ' +
    'same way again.',
  remedy: [
    'Check for a newer release of your Dovecot branch: many assertions are fixed bugs.',
    "If the same users repeat it, `doveadm force-resync -u <user> '*'` often stops a crash caused by a damaged index.",
    'Report it upstream with `doveconf -n`, the Panic line and its "Raw backtrace", and a gdb backtrace from the core dump (`bt full`).',
  ],
  docs: DOCS.debug,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe): Panic: file mail-index-map.c: line 547 (mail_index_map_lookup_seq_range): assertion failed: (first_uid > 0)',
        version: '2.2',
        facts: {file: 'mail-index-map.c', line: '547', what: 'assertion failed: (first_uid > 0)'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Panic: file mail-transaction-log-file.c: line 105 (mail_transaction_log_file_free): assertion failed: (!file->locked)',
        version: '2.3',
        facts: {function: 'mail_transaction_log_file_free'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: lmtp(jdoe)<2345><AbCdEf12>: Panic: file istream.c: line 346 (i_stream_read_memarea): assertion failed: (old_size <= _stream->pos - _stream->skip)',
        version: '2.4',
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=15, msgid=<b6@example.com>, size=100, subject=file x.c: line 12 (f): assertion failed',
        why: 'a mail_log line quoting the text',
      },
    ],
  },
})
