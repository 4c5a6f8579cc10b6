import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {RULES} from '../../src/catalog/index.js'
import {isRecord, parseLine} from '../../src/ingest/parse-line.js'
import type {LogRecord} from '../../src/ingest/record.js'
import {ruleReadable} from '../../src/match/mail-log-fields.js'
import {Matcher} from '../../src/match/matcher.js'

function record(line: string): LogRecord {
  const result = parseLine(line, {source: 'test', reference: Date.UTC(2026, 11, 31), timeZone: 'UTC'})
  assert.ok(isRecord(result), line)
  return result
}

describe("mail_log lines: the mail's own fields are not read by rules", () => {
  it('reads a mail_log line up to msgid=, from= or subject=, and every other message whole', () => {
    assert.equal(ruleReadable('save: box=INBOX, uid=5, msgid=<a@b>, size=100, subject=Panic: x'), 'save: box=INBOX, uid=5')
    assert.equal(ruleReadable('copy from INBOX: box=Junk, uid=9, from=<Out of memory@x>'), 'copy from INBOX: box=Junk, uid=9')
    assert.equal(ruleReadable('expunge: box=INBOX, uid=7'), 'expunge: box=INBOX, uid=7')
    assert.equal(ruleReadable('save: msgid=<a@b>, size=1'), 'save')
    for (const own of [
      'msgid=<d1@example.com>: saved mail to INBOX',
      "sieve: msgid=<d1@example.com>: stored mail into mailbox 'INBOX'",
      'Login: user=<jdoe>, method=PLAIN, rip=192.0.2.1',
      'Disconnected: Logged out in=1 out=2',
      'save failed to INBOX: Quota exceeded (mailbox for user is full)',
    ])
      assert.equal(ruleReadable(own), own)
  })

  // Anyone can send a mail whose subject (or From) is any Dovecot message: with mail_log's from/subject
  // fields on, each delivery and IMAP APPEND logs it. None of them is a finding, or a delivery.
  const matcher = new Matcher(RULES)
  const wrappers = [
    (text: string) =>
      `Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=5, msgid=<a@example.com>, size=100, subject=${text}`,
    (text: string) =>
      `Nov 23 10:00:00 lmtp(jdoe)<2345><AbCdEf12>: Info: save: box=INBOX, uid=6, msgid=<b@example.com>, size=100, from=<${text}>`,
    (text: string) => `Nov 23 10:00:00 mail1 dovecot: lda(jdoe): save: box=INBOX, uid=7, msgid=<c@example.com>, subject=Re: ${text}`,
    (text: string) =>
      `Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: copy from INBOX: box=Junk, uid=9, msgid=<d@example.com>, subject=${text}`,
  ]
  it('every rule example quoted in a mail_log subject= or from=: no finding, no fact', () => {
    let checked = 0
    for (const rule of RULES.filter((candidate) => !candidate.fallback)) {
      for (const example of rule.examples.match) {
        const quoted = record(example.line).message
        for (const wrap of wrappers) {
          const line = wrap(quoted)
          assert.deepEqual(
            matcher.match(record(line)).map((match) => match.rule.id),
            [],
            `${rule.id}: ${line}`,
          )
          checked++
        }
      }
    }
    assert.ok(checked > 400, `${checked} lines`)
  })
})
