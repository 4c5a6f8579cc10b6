import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {RULES} from '../../src/catalog/index.js'
import type {Rule} from '../../src/catalog/rule.js'
import {compileSafePattern} from '../../src/catalog/safe-pattern.js'
import {Diagnoser} from '../../src/diagnosis/diagnose.js'
import {VERIFY} from '../../src/ingest/fast-lane.js'
import type {InputStats} from '../../src/ingest/input-stats.js'
import {readLogs} from '../../src/ingest/read-logs.js'
import {rawRecognizer} from '../../src/match/raw-recognizer.js'

/**
 * The reader's fast lane (src/ingest/fast-lane.ts) counts lines from their bytes; the report must be the one
 * the record parser and matcher give. Each case reads the same bytes twice, with the lane and without it,
 * and compares the whole diagnosis, the overview's series and every input's counts.
 */
async function diagnoseBytes(chunks: Buffer[], lane: boolean, rules: readonly Rule[]) {
  const diagnoser = new Diagnoser({rules})
  const stats: InputStats[] = []
  let counted = 0
  let handedOver = 0
  const consumer = diagnoser.fastLane()
  assert.ok(consumer !== null)
  const fastLane = {
    levels: consumer.levels,
    chunk: (bytes: Buffer) => consumer.chunk(bytes),
    take(...args: Parameters<typeof consumer.take>) {
      const taken = consumer.take(...args)
      if (taken) counted++
      return taken
    },
    parsed(record: Parameters<typeof consumer.parsed>[0]) {
      if (record !== null) handedOver++
      consumer.parsed(record)
    },
  }
  const stdin = (async function* () {
    yield* chunks
  })()
  const reading = {stdin, recognizeRaw: rawRecognizer(rules), timeZone: 'UTC', fastLane: lane ? fastLane : undefined}
  for await (const event of readLogs([{kind: 'stdin', name: '-'}], reading)) {
    if (event.type === 'records') for (const record of event.records) diagnoser.add(record)
    else if (event.type === 'input-done') stats.push(event.stats)
  }
  return {diagnosis: diagnoser.finish(), overview: diagnoser.overview(), stats, counted, handedOver}
}

/** The text cut into chunks at the given places (lines cross chunk boundaries, as in a stream). */
function chunked(text: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text, 'utf8')
  const places = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)
  const chunks: Buffer[] = []
  let from = 0
  for (const place of [...places, bytes.length]) {
    if (place > from) chunks.push(bytes.subarray(from, place))
    from = Math.max(from, place)
  }
  return chunks
}

async function assertSameReport(text: string, cuts: number[] = [], rules: readonly Rule[] = RULES) {
  const chunks = chunked(text, cuts)
  const fast = await diagnoseBytes(chunks, true, rules)
  const full = await diagnoseBytes(chunks, false, rules)
  assert.deepEqual(fast.diagnosis, full.diagnosis)
  assert.deepEqual(fast.overview, full.overview)
  assert.deepEqual(fast.stats, full.stats)
  // In the same key order too: `formats` is written in the order its keys were first seen, and a tie between
  // formats goes to the first seen.
  assert.equal(JSON.stringify(fast.stats), JSON.stringify(full.stats))
  return fast
}

const MONTHS = ['Jan', 'Feb', 'Nov', 'Dec']
const stamp = fc
  .record({month: fc.constantFrom(...MONTHS), day: fc.integer({min: 1, max: 28}), second: fc.integer({min: 0, max: 200})})
  .map(({month, day, second}) => {
    const time = `${String(10 + Math.floor(second / 3600)).padStart(2, '0')}:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}`
    return {bsd: `${month} ${String(day).padStart(2, ' ')} ${time}`, iso: `2026-11-${String(day).padStart(2, '0')}T${time}.123456+00:00`}
  })

// Wrappers as real logs have them (bench/generate-real-mix.mjs), and near versions of them.
const WRAPPERS: ((s: {bsd: string; iso: string}, dovecot: string) => string)[] = [
  (s, text) => `${s.bsd} ${text}`,
  (s, text) => `${s.bsd} mail1 dovecot: ${text.replace(/^([^ ]+: )Info: /, '$1')}`,
  (s, text) => `${s.iso} mail1 dovecot: ${text.replace(/^([^ ]+: )Info: /, '$1')}`,
  (s, text) => `${s.bsd} mail1 dovecot[990]: ${text}`,
  (s, text) => `dovecot_1  | ${s.bsd} ${text}`,
  (s, text) => `<22>1 ${s.iso} mail1 dovecot 990 - - ${text.replace(/^([^ ]+: )Info: /, '$1')}`,
  (s, text) => `/var/log/dovecot.log:${s.bsd} ${text}`,
  (s, text) => `${s.bsd} mail1 postfix/smtpd[12]: ${text}`,
  // Dovecot's prefix under another program: the lane reads these with the literals of that program's rules.
  (s, text) => `${s.bsd} mail1 audit: ${text}`,
  (s, text) => `${s.bsd} mail1 systemd[1]: ${text}`,
  (s, text) => `${s.bsd.replace(' ', '  ')} ${text}`,
  (s, text) => `${s.iso.replace('T', ' ')} ${text}`,
  (s, text) => `${s.bsd} ${text}\r`,
]

const user = fc.constantFrom('jdoe', 'user1@example.com', '', 'a(b', 'x>y', 'SSL', 'Logged out', 'ü')
const prefix = fc
  .record({
    service: fc.constantFrom('imap', 'imap-login', 'pop3', 'lmtp', 'auth', 'master', 'IMAP', 'myapp', 'Error', 'imap-login2'),
    user,
    pid: fc.constantFrom('', '<123>', '<1>', '<x>'),
    session: fc.constantFrom('', '<AbCd+/12>', '<>'),
    arg: fc.boolean(),
  })
  .map(({service, user, pid, session, arg}) => `${service}${arg ? `(${user})` : ''}${pid}${session}: `)
const level = fc.constantFrom('Info: ', 'Info: ', 'Info: ', '', 'Warning: ', 'Error: ', 'Debug: ', 'Fatal: ', 'info: ', 'Info:')
/**
 * Every catalog example's message (its matches and near misses), without the stamp, prefix and level word:
 * put under any prefix and level, problems' lines at levels their rules do or do not take, facts' lines in
 * services they do or do not count.
 */
const CATALOG_MESSAGES = [
  ...new Set(
    RULES.flatMap((rule) => [...rule.examples.match, ...rule.examples.nearMiss]).map(
      ({line}) => /: (?:Debug|Info|Warning|Error|Fatal|Panic): (.*)$/.exec(line)?.[1] ?? line.slice(16),
    ),
  ),
]
const message = fc.oneof(
  fc.constantFrom(...CATALOG_MESSAGES),
  fc.constantFrom(
    'Login: user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1, TLS, session=<AbCd>',
    'Logged in: user=<jdoe>',
    'Login: user=jdoe, method=PLAIN',
    'Disconnected: Logged out in=2486 out=44816 deleted=0 expunged=2',
    'Logged out in=1',
    'Disconnected: Logged outside',
    'msgid=<1.2@mx.example.org>: saved mail to INBOX',
    'msgid=<1.2@mx.example.org>: saved mail to ',
    'saved mail to Junk (Quota exceeded)',
    'Disconnected (auth failed, 1 attempts in 2 secs): user=<jdoe>, method=PLAIN, rip=203.0.113.9, lip=192.0.2.10, TLS, session=<AbC>',
    'Disconnected: Connection closed (no auth attempts in 6 secs): user=<>, rip=198.51.100.20, TLS handshaking: SSL_accept() failed: error:0A000126:SSL routines::unexpected eof while reading',
    'Connect from local',
    'Disconnect from local: Client has quit the connection (state=READY)',
    'expunge: box=INBOX, uid=18333, msgid=<4154572@example.net>, size=72305',
    'Time moved backwards by 5 seconds',
    'net_connect_unix(/run/dovecot/anvil) failed: Resource temporarily unavailable',
    'Raw backtrace: /usr/lib/dovecot/libdovecot.so.0(+0xdb94b) [0x7f]',
    'Cache file too large',
    'limit fts uota avc: denied',
    'Mailbox INBOX: Invalid messageset',
    'münchen ✓ saved mail to INBOX',
    'passwd-file(jdoe,203.0.113.5): unknown user',
    'passwd-file(jdoe,203.0.113.5): stat(/etc/dovecot/users) failed: Permission denied',
    // Two rules' matches on one line, the lane refusing one of them or both: the record gets every one.
    'Disconnected (auth failed, 1 attempts in 2 secs): user=<jdoe>, method=PLAIN, rip=203.0.113.9, lip=192.0.2.10, TLS handshaking: SSL_accept() failed: error:0A000126:SSL routines::unexpected eof while reading, session=<AbC>',
    'Login: user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1, TLS: SSL_accept() failed: wrong version number, session=<AbCd>',
    '',
    'save: box=Junk, uid=3, msgid=<a@example.com>, size=100, subject=cheap spam offer',
    'save: box=Junk, uid=4, msgid=<spam@example.com>, size=100',
  ),
  // A mail_log line quoting a message in its subject: rules do not read it (ruleReadable).
  fc.constantFrom(...CATALOG_MESSAGES).map((quoted) => `save: box=INBOX, uid=5, msgid=<a@example.com>, size=100, subject=${quoted}`),
  fc.string({maxLength: 40}),
)
/**
 * Rules as a user writes them (--rules: problems, re2js patterns): on Info lines the lane refuses, with
 * conditions, overlapping the catalog's literals, and one whose pattern does not hold its literal (`spam`,
 * which the mail_log lines below quote only in their subject).
 */
const USER_RULES: Rule[] = [
  ['site-junk', 'spam', 'save: box=Junk', undefined],
  ['site-login', 'Login: user=<', 'Login: user=<(?<user>[^>]*)>', {levels: ['info']}],
  ['site-disconnect', 'Disconnected', 'Disconnected(?:: (?<reason>[^(]*))?', {services: ['imap']}],
  ['site-auth', 'auth failed, ', 'auth failed, (?P<attempts>\\d+)', undefined],
].map(([id, literal, pattern, conditions]) => ({
  id: id as string,
  kind: 'problem',
  severity: 'low',
  title: id as string,
  literal: literal as string,
  patterns: [compileSafePattern(pattern as string)],
  conditions: conditions as Rule['conditions'],
  remedy: ['-'],
  explanation: '-',
  docs: 'https://example.com/',
  examples: {match: [], nearMiss: []},
}))
const line = fc.record({wrapper: fc.nat(WRAPPERS.length - 1), stamp, prefix, level, message})
// Runs of one wrapper and prefix, as logs have them, long enough for a template to be learned and trusted.
const run = fc
  .record({
    wrapper: fc.nat(WRAPPERS.length - 1),
    prefix,
    length: fc.integer({min: 1, max: 3 * VERIFY}),
    lines: fc.array(fc.record({stamp, level, message}), {minLength: 1, maxLength: 8}),
    odd: fc.array(line, {maxLength: 3}),
  })
  .map(({wrapper, prefix, length, lines, odd}) => {
    const text: string[] = []
    for (let i = 0; i < length; i++) {
      const {stamp, level, message} = lines[i % lines.length]
      text.push(WRAPPERS[wrapper](stamp, `${prefix}${level}${message}`))
    }
    for (const extra of odd)
      text.splice(
        extra.stamp.bsd.length % (text.length + 1),
        0,
        WRAPPERS[extra.wrapper](extra.stamp, `${extra.prefix}${extra.level}${extra.message}`),
      )
    return text.join('\n')
  })

describe('the fast lane', () => {
  it('counts common lines from their bytes (the lane is used at all)', async () => {
    const lines: string[] = []
    for (let i = 0; i < 200; i++) {
      const s = `Nov 20 10:00:${String(i % 60).padStart(2, '0')}`
      lines.push(`${s} imap-login: Info: Login: user=<user${i}@example.com>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1, TLS`)
      lines.push(`${s} imap(user${i}@example.com)<${i}><AbCd${i}>: Info: Disconnected: Logged out in=1 out=2`)
      lines.push(`${s} lmtp(user${i}@example.com)<${i}><AbCd${i}>: Info: msgid=<${i}@x>: saved mail to INBOX`)
      lines.push(`${s} lmtp(${i}): Info: Connect from local`)
    }
    lines.push('Nov 20 10:01:00 imap(jdoe)<1><s>: Error: Time moved backwards by 5 seconds')
    const {counted} = await assertSameReport(lines.join('\n') + '\n')
    assert.ok(counted > 700, `${counted} of 801 lines counted from bytes`)
  })

  it("tells processes apart whose names share their hash's slot, or their whole hash", async () => {
    // The lane keeps a name's service in the slot of its hash's low bits: `aaat` shares imap's slot, `imbQ`
    // imap's whole hash (31 × 'b' + 'Q' = 31 × 'a' + 'p'); neither is a Dovecot service, so the lane leaves
    // their lines to the full parser.
    const lines: string[] = []
    for (let i = 0; i < 300; i++) {
      const s = `Nov 20 10:00:${String(i % 60).padStart(2, '0')}`
      const name = ['imap', 'aaat', 'imap', 'imbQ', 'lmtp'][i % 5]
      lines.push(`${s} ${name}(user${i % 7}@example.com)<${i}><AbCd${i}>: Info: Disconnected: Logged out in=1 out=2`)
    }
    const {diagnosis, stats, counted} = await assertSameReport(lines.join('\n') + '\n')
    assert.equal(diagnosis.activity.logouts, 300)
    assert.deepEqual(stats[0].services, {imap: 120, aaat: 60, imbQ: 60, lmtp: 60})
    assert.ok(counted > 100, `${counted} of 300 lines counted from bytes`)
  })

  it('reads a wrapped shape after lines of any other shape (a template per parser state)', async () => {
    const lines: string[] = []
    for (let block = 0; block < 10; block++) {
      const minute = `Nov 20 10:${String(block).padStart(2, '0')}`
      const second = (i: number) => `${minute}:${String(i).padStart(2, '0')}`
      const container = Array.from(
        {length: 40},
        (_, i) => `dovecot_1  | ${second(i)} imap-login: Info: Login: user=<u${i}>, method=PLAIN, mpid=1, TLS`,
      )
      const plain = Array.from({length: 40}, (_, i) => `${second(i)} imap(u${i})<${i}><S${i}>: Info: Disconnected: Logged out in=1 out=2`)
      // grep -H's file name: the parser reads it as a wrapper, which leaves the shape it tries first as the line before left it.
      const grep = Array.from({length: 40}, (_, i) => `/var/log/dovecot.log:${second(i)} lmtp(${i}): Info: Connect from local`)
      lines.push(...(block % 2 === 0 ? [...container, ...plain, ...grep] : [...plain, ...container, ...grep]))
    }
    const {counted} = await assertSameReport(lines.join('\n') + '\n')
    assert.ok(counted > 1050, `${counted} of 1200 lines counted from bytes`)
  })

  it('reads lines at severe levels the full way, under a template trusted at lower levels', async () => {
    const lines: string[] = []
    const levels = ['Debug', 'Info', 'Warning', 'Error', 'Fatal', 'Panic']
    for (let i = 0; i < 120; i++) {
      const level = i < 60 ? 'Info' : levels[i % levels.length]
      lines.push(`Nov 20 10:00:${String(i % 60).padStart(2, '0')} imap(u${i % 9})<${i}><S${i}>: ${level}: Something odd ${i % 4} happened`)
    }
    const {diagnosis, overview, counted} = await assertSameReport(lines.join('\n') + '\n')
    assert.ok(counted > 50, `${counted} lines counted from bytes`)
    assert.equal(diagnosis.levels.error + diagnosis.levels.fatal + diagnosis.levels.panic, 30)
    assert.ok(!overview.activity.errors.empty, 'the errors series has them')
  })

  it("searches each program's lines for the literals of the rules that can match them", async () => {
    // selinux-avc-denied takes the audit program's lines only; its literal (a short one, searched once a chunk)
    // is not looked for in Dovecot's Info lines, but must be under a template of the audit program.
    const avc =
      'avc:  denied  { write } for  pid=12750 comm="imap" name="Maildir" dev="dm-3" ino=438370738 scontext=system_u:system_r:dovecot_t:s0 tcontext=unconfined_u:object_r:etc_runtime_t:s0 tclass=dir permissive=0'
    const lines: string[] = []
    for (let block = 0; block < 6; block++) {
      const program = block % 2 === 0 ? 'dovecot' : 'audit'
      for (let i = 0; i < 40; i++) {
        const message = i >= 30 ? avc : `Login: user=<u${i}>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1, TLS`
        lines.push(`Nov 20 10:${String(block).padStart(2, '0')}:${String(i).padStart(2, '0')} mail1 ${program}: imap: Info: ${message}`)
      }
    }
    const {diagnosis, counted} = await assertSameReport(lines.join('\n') + '\n')
    assert.equal(diagnosis.findings.find((finding) => finding.rule === 'selinux-avc-denied')?.count, 30)
    assert.ok(counted > 150, `${counted} of 240 lines counted from bytes`)
  })

  it("hands a declined line's matches, groups included, to its record, whichever rules match it", async () => {
    const lines: string[] = []
    const reasons = ['unexpected eof while reading', 'wrong version number', 'unsupported protocol', 'http request']
    for (let i = 0; i < 200; i++) {
      const s = `Nov 20 10:00:${String(i % 60).padStart(2, '0')}`
      const tls = `TLS handshaking: SSL_accept() failed: error:0A000126:SSL routines::${reasons[i % reasons.length]}`
      lines.push(
        `${s} imap-login: Info: Disconnected: Connection closed (no auth attempts in 0 secs): user=<>, rip=203.0.113.${i % 7}, ${tls}, session=<A${i}>`,
      )
      if (i % 3 === 0)
        lines.push(
          `${s} imap-login: Info: Disconnected (auth failed, 1 attempts in 2 secs): user=<u${i % 5}>, method=PLAIN, rip=198.51.100.${i % 11}, lip=192.0.2.10, ${tls}, session=<B${i}>`,
        )
      if (i % 4 === 0)
        lines.push(
          `${s} imap-login: Info: Login: user=<u${i}>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1, TLS, session=<C${i}>`,
        )
    }
    const {diagnosis, handedOver} = await assertSameReport(lines.join('\n') + '\n')
    assert.ok(handedOver > 200, `${handedOver} records got the lane's matches`)
    const tls = diagnosis.findings.find((finding) => finding.rule === 'tls-handshake-failed')
    assert.equal(tls?.count, 267)
    assert.ok(tls.facts.some((fact) => fact.includes('wrong version number')))
    assert.equal(diagnosis.activity.authFailures, 67)
  })

  it('gives the report the record parser gives, on any mix of wrappers, levels, facts, near misses and odd bytes, with and without user rules (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(run, {minLength: 1, maxLength: 6}), fc.array(fc.nat(), {maxLength: 6}), async (runs, cuts) => {
        await assertSameReport(runs.join('\n') + '\n', cuts)
        await assertSameReport(runs.join('\n') + '\n', cuts, [...RULES, ...USER_RULES])
      }),
      {numRuns: 150},
    )
  })
})
