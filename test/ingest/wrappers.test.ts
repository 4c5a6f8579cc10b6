import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {embeddedDovecotStart, isForeignTag, messageStarts} from '../../src/ingest/raw-line.js'
import {readRfc5424Fields, rfc5424VersionEnd, structuredDataEnd} from '../../src/ingest/syslog-5424.js'
import {
  facilityLevel,
  peelCompose,
  peelGrepFilename,
  peelIndent,
  peelMonotonic,
  peelPri,
  peelWebExport,
  peelWrapper,
  priNames,
} from '../../src/ingest/wrappers.js'

describe('wrappers: one layer at a time', () => {
  it('leading spaces and tabs', () => {
    assert.deepEqual(peelIndent('  \tNov 23 x'), {kind: 'indent', at: 3})
    assert.equal(peelIndent('Nov 23 x'), null)
    assert.equal(peelIndent('   '), null, 'a blank line is not a wrapper')
  })

  it("grep's file names, with and without -n; never a log line's own `name: `", () => {
    assert.equal(peelGrepFilename('mail.log:Nov 23 10:00:00 x')?.at, 'mail.log:'.length)
    assert.equal(peelGrepFilename('/var/log/mail.err:Nov 23 10:00:00 x')?.at, '/var/log/mail.err:'.length)
    assert.equal(peelGrepFilename('mail.log:123:Nov 23 10:00:00 x')?.at, 'mail.log:123:'.length)
    assert.equal(peelGrepFilename('master: Fatal: x'), null)
    assert.equal(peelGrepFilename('imap(jdoe): Error: x'), null)
  })

  it('docker compose (v1 and v2 names) and swarm service prefixes keep the container', () => {
    assert.deepEqual(peelCompose('dovecot_1  | Nov 23'), {kind: 'compose', at: 'dovecot_1  | '.length, container: 'dovecot_1'})
    assert.equal(peelCompose('mailserver-dovecot-1  | x')?.container, 'mailserver-dovecot-1')
    assert.equal(peelCompose('mail_dovecot.1.x7k2abcdef@node1    | x')?.container, 'mail_dovecot.1.x7k2abcdef@node1')
    assert.equal(peelCompose('master: x | y'), null)
  })

  it('<PRI> as facility and severity', () => {
    assert.deepEqual(peelPri('<22>1 2026'), {kind: 'pri', at: 4, pri: 22})
    assert.deepEqual(priNames(22), {facility: 'mail', severity: 'info'})
    assert.deepEqual(priNames(18), {facility: 'mail', severity: 'crit'})
    assert.deepEqual(priNames(134), {facility: 'local0', severity: 'info'})
    assert.equal(peelPri('<222>x'), null, 'above 191 is no PRI')
    assert.equal(peelPri('<x>'), null)
  })

  it('journalctl -o short-monotonic', () => {
    assert.equal(peelMonotonic('[ 1234.567890] mail1 dovecot[1]: x')?.at, '[ 1234.567890] '.length)
    assert.equal(peelMonotonic('[mail] x'), null)
  })

  it('web-UI exports: a Markdown row or tab-separated cells become `time | level | message`', () => {
    assert.equal(
      peelWebExport('| 19.11.2017, 14:53:11 | crit | lmtp: Fatal: a | b |')?.inner,
      '19.11.2017, 14:53:11 | crit | lmtp: Fatal: a | b',
    )
    assert.equal(peelWebExport('19.11.2017, 14:53:11\tcrit\tlmtp: Fatal: x')?.inner, '19.11.2017, 14:53:11 | crit | lmtp: Fatal: x')
    assert.equal(peelWebExport('no tabs here'), null)
  })

  it('BusyBox facility.level words', () => {
    assert.deepEqual(facilityLevel('mail.err'), {facility: 'mail', severity: 'err'})
    assert.deepEqual(facilityLevel('local3.warn'), {facility: 'local3', severity: 'warning'})
    assert.equal(facilityLevel('mail1'), null)
    assert.equal(facilityLevel('example.com'), null)
  })

  it('peelWrapper picks by the first character', () => {
    assert.equal(peelWrapper(' x x')?.kind, 'indent')
    assert.equal(peelWrapper('<13>x')?.kind, 'pri')
    assert.equal(peelWrapper('[ 1.5] x')?.kind, 'monotonic')
    assert.equal(peelWrapper('| a | b | c |')?.kind, 'web-export')
    assert.equal(peelWrapper('a_1  | x')?.kind, 'compose')
    assert.equal(peelWrapper('mail.log:x')?.kind, 'grep-filename')
    assert.equal(peelWrapper('Nov 23 10:00:00 mail1 dovecot: x'), null)
  })
})

describe('RFC 5424 fields', () => {
  it('the version ends where the stamp or NILVALUE starts', () => {
    assert.equal(rfc5424VersionEnd('<22>1 2026-11-23T09:00:41Z', 4), 6)
    assert.equal(rfc5424VersionEnd('1 - host', 0), 2)
    assert.equal(rfc5424VersionEnd('1 host', 0), -1)
  })

  it('NILVALUEs, PROCID, MSGID, structured data with escapes, the BOM', () => {
    const line = 'mail1 dovecot 4321 ID47 [exampleSDID@32473 iut="3" eventSource="App\\]li\\"cation"][meta x="1"] \uFEFFmaster: Fatal: x'
    const fields = readRfc5424Fields(line, 0)
    assert.deepEqual(fields, {host: 'mail1', app: 'dovecot', procid: '4321', msgid: 'ID47', messageStart: line.indexOf('master')})
    assert.deepEqual(readRfc5424Fields('- - - - - imap: x', 0), {host: null, app: null, procid: null, msgid: null, messageStart: 10})
  })

  it('`dovecot[123]` as APP-NAME gives the pid', () => {
    assert.deepEqual(readRfc5424Fields('mail1 dovecot[77] - - - x', 0), {
      host: 'mail1',
      app: 'dovecot',
      procid: '77',
      msgid: null,
      messageStart: 24,
    })
  })

  it('malformed structured data is no RFC 5424 line', () => {
    assert.equal(structuredDataEnd('[a x="1"', 0), -1)
    assert.equal(readRfc5424Fields('mail1 dovecot: imap-login: Login', 0), null)
  })
})

describe('raw fallback: where a message may start', () => {
  it('the line start, and after `: `, ` | `, `] ` and tabs', () => {
    const text = '[mail] dovecot: Time moved'
    assert.deepEqual(messageStarts(text), [0, 7, 16])
  })

  it("stops at another program's tag", () => {
    assert.deepEqual(messageStarts('postfix/smtpd[12]: fatal: x'), [0])
    assert.deepEqual(messageStarts('myapp: Warning: Time moved backwards by 3 seconds.'), [0])
    assert.ok(isForeignTag('CRON[3]: x', 7))
    assert.ok(!isForeignTag('dovecot[3]: x', 10))
    assert.ok(!isForeignTag('imap-login: x', 10))
    assert.ok(!isForeignTag('Error: x', 5), 'a level word is no tag')
  })

  it('finds a Dovecot prefix after unknown text, never after a known other program', () => {
    const dovecotAt = (text: string) => embeddedDovecotStart(text, (at) => text.startsWith('imap(', at))
    assert.equal(dovecotAt('junk => imap(jdoe): Error: x'), 'junk => '.length)
    assert.equal(dovecotAt('postfix/smtpd[1]: imap(jdoe): Error: x'), -1)
  })
})
