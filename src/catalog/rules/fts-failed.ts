import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'fts-failed',
  kind: 'problem',
  title: 'Full-text search (an fts plugin) failed',
  severity: 'medium',
  // The fts plugins prefix their errors with their name: src/plugins/fts-solr ("fts_solr: Indexing failed: %s",
  // "fts_solr: Lookup failed: %s", "fts-solr: %s"), fts-lucene ("fts_lucene: ..."), 2.4's fts-flatcurve ("fts-flatcurve..."),
  // the fts core ("fts: ..."), and the third-party fts-xapian ("FTS Xapian: ..." is not matched: other wording).
  literal: 'fts',
  patterns: [/(?<![\w-])(?<plugin>fts(?:[-_](?:solr|lucene|flatcurve|xapian|squat|elastic|dovecot))?)(?:\([^()]*\))?: (?<error>[^\n]+)/],
  conditions: {levels: ['error', 'fatal', 'panic']},
  facts: {plugin: 'The fts plugin.', error: 'What failed.'},
  summary: {by: ['plugin'], format: (f, n) => `${f.plugin}: ${n} time(s)`},
  explanation:
    'A full-text search plugin could not index or search: its backend (Solr, Elasticsearch, the Xapian or Lucene ' +
    'index files) is unreachable, misconfigured or damaged. Searches in the body fall back to slow scans or fail, ' +
    'and indexing new mail may lag or stall deliveries that index on arrival.',
  remedy: [
    'Read the reason in the line: for Solr/Elasticsearch check the URL and that the server answers (`curl <url>/select?q=*:*`), its core/schema and its logs.',
    "For index-file backends (lucene, flatcurve, xapian) check free disk space and permissions of the index directory, then rebuild: `doveadm fts rescan -u <user>` and `doveadm index -u <user> -q '*'`.",
    'If search is not needed, remove the plugin from `mail_plugins` rather than leave it failing.',
  ],
  docs: DOCS.fts,
  examples: {
    match: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: indexer-worker(jdoe): Error: fts_solr: Indexing failed: 400 Bad Request',
        version: '2.2',
        facts: {plugin: 'fts_solr', error: 'Indexing failed: 400 Bad Request'},
      },
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: fts_solr: Lookup failed: connect(10.0.0.9:8983) failed: Connection refused',
        version: '2.3',
        facts: {plugin: 'fts_solr'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: indexer-worker(jdoe)<2345><AbCdEf12>: Error: Mailbox INBOX: fts-flatcurve(INBOX): Could not open DB (/var/vmail/jdoe/fts-flatcurve/index.123): Database corrupt',
        version: '2.4',
        facts: {plugin: 'fts-flatcurve'},
      },
    ],
    nearMiss: [
      {line: 'Nov 23 10:00:00 indexer-worker(jdoe)<2345><AbCdEf12>: Info: fts_solr: Indexed 120 messages', why: 'ordinary indexing'},
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: read(/var/vmail/jdoe/Maildir/.Drafts/shifts: today) failed: Input/output error',
        why: '"fts" inside a word, not a plugin prefix',
      },
    ],
  },
})
