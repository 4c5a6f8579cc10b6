import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {diagnoseStderr, firstErrorLine, firstSevereLine} from '../../src/policy/stderr.js'

describe('diagnoseStderr: captured doveadm stderr through the log catalog', () => {
  it('a 75 caused by a lock timeout says so', () => {
    const stderr =
      'dsync-local(jdoe@example.com)<Vn1k3xYz>: Warning: Locking transaction log file /var/vmail/jdoe/dovecot.index.log took 60 seconds\n' +
      'dsync-local(jdoe@example.com)<Vn1k3xYz>: Error: Timeout (180s) while waiting for lock for transaction log file /var/vmail/jdoe/dovecot.index.log\r\n'
    assert.equal(diagnoseStderr(stderr)?.rule, 'lock-timeout')
  })

  it('reads the 2.2 prefix and lines with no prefix at all', () => {
    assert.equal(
      diagnoseStderr('dsync-remote(jdoe): Error: Corrupted index cache file /x/dovecot.index.cache: Cache file too large')?.rule,
      'index-cache-too-large',
    )
    assert.equal(
      diagnoseStderr('Error: Timeout (180s) while waiting for lock for transaction log file /x/dovecot.index.log')?.rule,
      'lock-timeout',
    )
  })

  it('the most severe problem wins', () => {
    const stderr = [
      'dsync-local(jdoe)<a>: Error: Mailbox INBOX: Deleting corrupted cache: Cache file too large',
      'dsync-local(jdoe)<a>: Fatal: pool_system_malloc(1073741824): Out of memory',
    ].join('\n')
    assert.equal(diagnoseStderr(stderr)?.rule, 'vsz-limit-oom')
  })

  it('reads a journal JSON line whose message holds the words only once decoded (bytes, escapes)', () => {
    // diagnoseStderr skips a capture that holds no rule's words, but a journal line's MESSAGE may be an
    // array of bytes or escaped: the words are there only after decoding.
    const words = 'dsync-local(jdoe)<a>: Error: Timeout (180s) while waiting for lock for transaction log file /x/dovecot.index.log'
    const bytes = JSON.stringify({
      MESSAGE: [...Buffer.from(words)],
      _SYSTEMD_UNIT: 'dovecot.service',
      SYSLOG_IDENTIFIER: 'dovecot',
      __REALTIME_TIMESTAMP: '1764000000000000',
    })
    assert.equal(diagnoseStderr(bytes)?.rule, 'lock-timeout')
    const escaped = JSON.stringify({MESSAGE: words, _SYSTEMD_UNIT: 'dovecot.service', SYSLOG_IDENTIFIER: 'dovecot'}).replace(
      'Timeout',
      '\\u0054imeout',
    )
    assert.ok(!escaped.includes('Timeout'))
    assert.equal(diagnoseStderr(escaped)?.rule, 'lock-timeout')
  })

  it('says nothing for stderr no rule knows, or for ordinary lines', () => {
    assert.equal(diagnoseStderr('dsync-remote(jdoe): Error: Something nobody catalogued'), null)
    assert.equal(
      diagnoseStderr('imap-login: Info: Login: user=<jdoe>, method=PLAIN, rip=192.0.2.1, lip=192.0.2.2, mpid=1, TLS, session=<x>'),
      null,
    )
    assert.equal(diagnoseStderr(''), null)
  })
})

// The quoting before lines were walked with indexOf (split, trimmed and filtered into arrays), kept as the oracle.
const SEVERE = /\b(Panic|Fatal|Error):/
const oracleCopy = (line: string | undefined, max: number): string | null =>
  line === undefined ? null : line.length > max ? `${line.slice(0, max - 1)}…` : line
function oracleErrorLine(text: string, max = 200): string | null {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  return oracleCopy(lines.find((candidate) => SEVERE.test(candidate)) ?? lines[0], max)
}
const oracleSevereLine = (text: string, max = 200): string | null =>
  oracleCopy(
    text
      .split('\n')
      .map((line) => line.trim())
      .find((candidate) => SEVERE.test(candidate)),
    max,
  )

describe('firstErrorLine and firstSevereLine: the line quoted for a capture no rule explains', () => {
  it('quote the first error line, else (firstErrorLine only) the first non-empty one, trimmed', () => {
    const capture = '\n  dsync-local(jdoe): Warning: slow\r\n\tdoveadm(jdoe): Error: Mailbox INBOX: sync failed \r\nFatal: later\n'
    assert.equal(firstErrorLine(capture), 'doveadm(jdoe): Error: Mailbox INBOX: sync failed')
    assert.equal(firstSevereLine(capture), 'doveadm(jdoe): Error: Mailbox INBOX: sync failed')
    assert.equal(firstErrorLine(' \n dsync-local(jdoe): Warning: slow \n'), 'dsync-local(jdoe): Warning: slow')
    assert.equal(firstSevereLine(' \n dsync-local(jdoe): Warning: slow \n'), null)
    // A level word must stand alone: `xError:` is no error.
    assert.equal(firstSevereLine('migrate.sh: xError: nothing\nPanic: abort'), 'Panic: abort')
    assert.equal(firstErrorLine(`Error: ${'x'.repeat(300)}`, 20), `Error: ${'x'.repeat(12)}…`)
    assert.equal(firstErrorLine(''), null)
    assert.equal(firstErrorLine(' \r\n\n\u2028'), null)
  })

  it('quote what splitting the capture into trimmed lines quoted (property)', () => {
    // Captures of level words (standing alone or not), Unicode whitespace, CRs, empty lines and surrogates.
    const piece = fc.constantFrom(
      'Error:',
      'Fatal:',
      'Panic:',
      'Warning:',
      'xError:',
      'Error :',
      'dsync-local(jdoe)<Vn1k3x>: ',
      'doveadm(jdoe): ',
      ' ',
      '\t',
      '\r',
      '\n',
      '\r\n',
      '\n\n',
      '\u00a0',
      '\u2028',
      '\ufeff',
      '\ud83d',
      '\ud83d\ude00',
      'é',
      'x'.repeat(150),
    )
    const capture = fc.oneof(
      fc.array(fc.oneof(piece, fc.string({maxLength: 8})), {maxLength: 24}).map((pieces) => pieces.join('')),
      fc.string({unit: 'binary', maxLength: 60}),
    )
    fc.assert(
      fc.property(capture, fc.integer({min: 2, max: 260}), (text, max) => {
        assert.equal(firstErrorLine(text, max), oracleErrorLine(text, max))
        assert.equal(firstSevereLine(text, max), oracleSevereLine(text, max))
        assert.equal(firstErrorLine(text), oracleErrorLine(text))
        assert.equal(firstSevereLine(text), oracleSevereLine(text))
      }),
      {numRuns: 500},
    )
  })
})
