import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {diagnoseStderr} from '../../src/policy/stderr.js'

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
