import assert from 'node:assert/strict'
import {isAscii} from 'node:buffer'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {RULES} from '../../src/catalog/index.js'
import {LOG_LEVELS, type LogLevel, type LogRecord} from '../../src/ingest/record.js'
import {Matcher, type MatchedFields, type RuleMatch} from '../../src/match/matcher.js'

/**
 * `Matcher.matchBytes` (the reader's fast lane) must find, from a message's bytes, what `Matcher.match` finds
 * for the record: the matching rules the caller counts, or -1 and every match (groups and order included)
 * as soon as a rule it refuses matches. Checked on every catalog example's message, the same quoted in a
 * mail_log line's msgid=/subject=/from= (which rules must not read: ruleReadable), two messages joined, and
 * random text, under any level, service and program, with any set of rules refused.
 */
const matcher = new Matcher(RULES)
const rules = matcher.rules

const EXAMPLE_MESSAGES = [
  ...new Set(
    RULES.flatMap((rule) => [...rule.examples.match, ...rule.examples.nearMiss]).map(
      ({line}) => /: (?:Debug|Info|Warning|Error|Fatal|Panic): (.*)$/.exec(line)?.[1] ?? line.slice(16),
    ),
  ),
].filter((message) => isAscii(Buffer.from(message)))

const MAIL_LOG = [
  (text: string) => `save: box=INBOX, uid=5, msgid=<a@example.com>, size=100, subject=${text}`,
  (text: string) => `save: box=INBOX, uid=6, msgid=<${text}>, size=100`,
  (text: string) => `copy from INBOX: box=Junk, uid=9, from=<${text}>`,
  (text: string) => `expunge: box=INBOX, uid=7, ${text}`,
]

const example = fc.constantFrom(...EXAMPLE_MESSAGES)
/**
 * Messages holding what the lane searches for a rule with a literal shorter than the window it aims at
 * (requiredLiteral of each of its patterns): two of one rule's at once, or one without the rule's own literal.
 */
const SEARCHED_FOR_SHORT = fc.constantFrom(
  'save failed to INBOX: Quota exceeded, then write(/home/u/x) failed: Disk quota exceeded',
  "save failed to INBOX: Not enough disk quota; failed to store into mailbox 'INBOX': Quota exceeded",
  'write(/var/mail/u) failed: Disk quota exceeded (mail_max_userip_connections)',
  'net_connect_unix(/run/dovecot/auth) failed: Connection refused',
  'save failed to INBOX: Permission denied',
  'TLS handshaking: SSL_accept() failed: Received invalid SSL certificate: expired',
  'TLS: SSL_accept() failed: wrong version number; Received invalid SSL certificate: x (check ssl_ca)',
  'pid=1 comm="imap" tcontext=system_u tclass=dir; avc:  denied  { read } for  pid=2 comm="imap" tcontext=u tclass=file',
  'Timeout (30s) while waiting for lock for transaction log file /var/mail/u/dovecot.index.log',
  'Locking (30s) while waiting for lock for transaction log file /x; Mailbox INBOX: Timeout while waiting for lock',
  'service(imap): process_limit (100) reached, client connections are being dropped',
  'limit (100) reached, client connections are being dropped',
  'master(imap): read() failed: Remote closed connection (destination service { process_limit } reached?)',
  'Time jumped forwards 12 seconds',
  'Time moved forward by 3 seconds; Disconnected: Too many invalid IMAP commands. in=5',
  'Disconnected: Idle for 30 seconds; BAD Error in IMAP command FETCH: no such message',
  'BAD Error in IMAP command UID FETCH: Invalid uidset: 1:*',
)
const message = fc.oneof(
  example,
  SEARCHED_FOR_SHORT,
  fc.tuple(fc.nat(MAIL_LOG.length - 1), example).map(([wrap, text]) => MAIL_LOG[wrap](text)),
  fc.tuple(example, example, fc.constantFrom(', ', ': ', ' ')).map(([a, b, glue]) => `${a}${glue}${b}`),
  fc.string({maxLength: 60}).filter((text) => isAscii(Buffer.from(text))),
)
const fields = fc.record({
  level: fc.constantFrom(...LOG_LEVELS),
  service: fc.constantFrom('imap', 'imap-login', 'pop3-login', 'lmtp', 'auth', 'auth-worker', 'master', 'config', 'lda'),
  program: fc.oneof(
    {arbitrary: fc.constant('dovecot'), weight: 5},
    {arbitrary: fc.constantFrom('ntpd', 'kernel', 'audit', 'systemd', 'postfix/pipe'), weight: 2},
  ),
  format: fc.constantFrom('dovecot-file', 'syslog-bsd', 'journal-short'),
})
/**
 * The levels a caller is offered lines at (its line's level among them): matchBytes searches only the literals of
 * rules that can match at one of them. A few fixed sets (one search each, as a caller has), the lane's among them.
 */
const LEVEL_SETS: ReadonlySet<LogLevel>[] = [
  new Set(['debug', 'info', 'warning']),
  new Set(LOG_LEVELS),
  new Set(['info']),
  new Set(['warning', 'error']),
  new Set(['debug', 'panic']),
]
const levelsOf = (level: LogLevel, pick: number): ReadonlySet<LogLevel> =>
  LEVEL_SETS.filter((levels) => levels.has(level))[pick] ?? LEVEL_SETS.find((levels) => levels.has(level))!

const seen = (match: RuleMatch) => ({rule: match.rule.id, facts: match.facts, variant: match.variant?.id ?? null})

describe('Matcher.matchBytes', () => {
  it('a named group that matched nothing is no fact, for fact(name) as for facts', () => {
    const base = RULES.find((rule) => rule.kind === 'problem' && !rule.fallback)!
    const rule = {...base, id: 'empty-group', literal: 'quux', patterns: [/quux(?<empty>y?)(?<some>z)/], conditions: undefined}
    const [match] = new Matcher([rule]).match({
      message: 'quuxz',
      level: 'info',
      service: 'imap',
      program: 'dovecot',
      dovecot: true,
      format: 'dovecot-file',
    } as LogRecord)
    assert.deepEqual(match.facts, {some: 'z'})
    assert.equal(match.fact('empty'), undefined)
    assert.equal(match.fact('some'), 'z')
  })

  it("tries no rule whose literal is only in a mail_log line's msgid=/from=/subject=, even when its pattern would match", () => {
    // A user's rule may have a pattern that does not hold its literal: match() tries it only where the literal is read.
    const base = RULES.find((rule) => rule.kind === 'problem' && !rule.fallback)!
    const problem = {...base, id: 'junk-save', literal: 'spam', patterns: [/save: box=Junk/], conditions: undefined}
    const fact = {...problem, id: 'junk-seen', kind: 'fact' as const, literal: 'offer'}
    const matcher = new Matcher([problem, fact])
    for (const message of [
      'save: box=Junk, uid=3, msgid=<a@example.com>, size=100, subject=cheap spam offer',
      'save: box=Junk, uid=3, msgid=<spam-offer@example.com>, size=100',
      'save: box=Junk, uid=3, from=<spam@example.com>, subject=offer',
      // Neither literal at all, the pattern matching: the lane looks for what the pattern requires (`save: box=Junk`,
      // requiredLiteral) instead of the short `spam`, and must still test the rule's own literal as match() does.
      'save: box=Junk, uid=3, size=100',
    ]) {
      const fields = {level: 'info', service: 'imap', program: 'dovecot', dovecot: true, format: 'dovecot-file'} as const
      assert.deepEqual(matcher.match({message, ...fields} as LogRecord), [], message)
      for (const only of [Uint8Array.of(0, 1), Uint8Array.of(1, 1)]) {
        const matched: (typeof matcher.rules)[number][] = []
        const bytes = Buffer.from(message, 'latin1')
        const search = matcher.byteSearch(fields.program, fields.dovecot, new Set(['info'] as const))
        const count = matcher.matchBytes(search, bytes, 0, bytes.length, {message: '', ...fields}, only, matched)
        assert.equal(
          count,
          0,
          `${message}: ${
            count === -1
              ? matcher.lineMatches.map((match) => match.rule.id).join()
              : matched
                  .slice(0, count)
                  .map((rule) => rule.id)
                  .join()
          }`,
        )
      }
    }
  })

  it('tries a rule searched by what its pattern requires only where its own literal is, as match() does, with every match handed over', () => {
    // `spam` and `offer` are shorter than the pair-skipping window: the lane looks for `save: box=Junk` for both.
    const base = RULES.find((rule) => rule.kind === 'problem' && !rule.fallback)!
    const problem = {...base, id: 'junk-save', literal: 'spam', patterns: [/save: box=Junk/], conditions: undefined}
    const fact = {...problem, id: 'junk-seen', kind: 'fact' as const, literal: 'offer'}
    const matcher = new Matcher([problem, fact])
    const fields = {level: 'info', service: 'imap', program: 'dovecot', dovecot: true, format: 'dovecot-file'} as const
    const search = matcher.byteSearch(fields.program, fields.dovecot, new Set(['info'] as const))
    for (const message of ['save: box=Junk, uid=3, spam', 'save: box=Junk, uid=3, offer', 'save: box=Junk, uid=3, spam offer']) {
      const expected = matcher.match({message, ...fields} as LogRecord).map(seen)
      const bytes = Buffer.from(message, 'latin1')
      const matched: (typeof matcher.rules)[number][] = []
      const count = matcher.matchBytes(search, bytes, 0, bytes.length, {message: '', ...fields}, Uint8Array.of(0, 1), matched)
      const found =
        count === -1 ? matcher.lineMatches.map(seen) : matched.slice(0, count).map((rule) => ({rule: rule.id, facts: {}, variant: null}))
      assert.deepEqual(found, expected, message)
    }
  })

  it('searches a short literal itself when one of its patterns requires no longer run (user rules included)', () => {
    const base = RULES.find((rule) => rule.kind === 'fact' && !rule.fallback)!
    const rule = {...base, id: 'spam-seen', literal: 'spam', patterns: [/save: box=Junk/, /(?:spam|ham) seen/], conditions: undefined}
    const matcher = new Matcher([rule])
    const fields = {level: 'info', service: 'imap', program: 'dovecot', dovecot: true, format: 'dovecot-file'} as const
    const search = matcher.byteSearch(fields.program, fields.dovecot, new Set(['info'] as const))
    assert.deepEqual(search.literals.literals, ['spam'])
    for (const message of ['ham seen, spam', 'spam seen', 'save: box=Junk, spam', 'ham seen', 'save: box=Junk']) {
      const bytes = Buffer.from(message, 'latin1')
      const matched: (typeof matcher.rules)[number][] = []
      const count = matcher.matchBytes(search, bytes, 0, bytes.length, {message: '', ...fields}, Uint8Array.of(1), matched)
      assert.deepEqual(
        matched.slice(0, count).map((found) => found.id),
        matcher.match({message, ...fields} as LogRecord).map((match) => match.rule.id),
        message,
      )
    }
  })

  it('finds in the bytes what match() finds in the record: counted rules, or every match when one is refused (property)', () => {
    let refused = 0
    let counted = 0
    fc.assert(
      fc.property(
        message,
        fields,
        fc.array(fc.boolean(), {minLength: rules.length, maxLength: rules.length}),
        fc.string({maxLength: 8}),
        fc.nat(3),
        (text, {level, service, program, format}, counts, lead, pick) => {
          const dovecot = program === 'dovecot'
          const record = {message: text, level, service, program, dovecot, format} as LogRecord
          const expected = matcher.match(record)
          for (const match of expected) {
            // fact(name) is facts[name] without making them: for the names a finding reads and any other.
            const {summary, variants} = match.rule
            const names = [
              ...Object.keys(match.facts),
              ...(summary?.by ?? []),
              ...(variants ?? []).map((variant) => variant.whenFact),
              'none',
            ]
            assert.deepEqual(
              names.map((name) => match.fact(name)),
              names.map((name) => match.facts[name]),
            )
          }
          const only = Uint8Array.from(counts, (count) => (count ? 1 : 0))
          // The message within a longer line, as the lane gives it.
          const bytes = Buffer.from(`${lead}${text}\n`, 'latin1')
          const line: MatchedFields = {message: '', level, service, program, dovecot, format}
          const matched: (typeof rules)[number][] = []
          const search = matcher.byteSearch(program, dovecot, levelsOf(level, pick))
          const count = matcher.matchBytes(search, bytes, lead.length, lead.length + text.length, line, only, matched)
          if (expected.some((match) => only[rules.indexOf(match.rule)] === 0)) {
            refused++
            assert.equal(count, -1, 'a refused rule matches')
            assert.deepEqual(matcher.lineMatches.map(seen), expected.map(seen))
          } else {
            if (expected.length > 0) counted++
            assert.deepEqual(
              matched
                .slice(0, count)
                .map((rule) => rule.id)
                .sort(),
              expected.map((match) => match.rule.id).sort(),
            )
          }
        },
      ),
      {numRuns: 4000},
    )
    assert.ok(refused > 100 && counted > 100, `${refused} lines refused, ${counted} counted with matches`)
  })
})
