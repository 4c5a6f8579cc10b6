import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {isDeepStrictEqual} from 'node:util'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {LineParser, parseLine, type ParserLock} from '../../src/ingest/parse-line.js'
import type {LogRecord} from '../../src/ingest/record.js'

// Year-less stamps take their year from the reference (a file's mtime): 1 Dec 2026, UTC (npm test sets TZ=UTC).
const reference = Date.UTC(2026, 11, 1)

function record(line: string, options: {timeZone?: string} = {}): LogRecord {
  const result = parseLine(line, {reference, source: 'test.log', ...options})
  assert.equal(typeof result, 'object', `expected a record from: ${line} (got ${JSON.stringify(result)})`)
  return result as LogRecord
}

const iso = (r: LogRecord) => (r.time === null ? null : new Date(r.time).toISOString())
const pick = (r: LogRecord, ...keys: (keyof LogRecord)[]) => Object.fromEntries(keys.map((k) => [k, r[k]]))
const PREFIX = ['service', 'user', 'pid', 'session', 'ip', 'level', 'levelSource'] as const

describe('parseLine: Dovecot own log file (log_path)', () => {
  it('2.3 mail prefix with pid and session, default stamp', () => {
    const r = record('Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: Mailbox INBOX: Deleting corrupted cache: Cache file too large')
    assert.deepEqual(pick(r, 'format', 'program', 'dovecot', 'host', ...PREFIX), {
      format: 'dovecot-file',
      program: 'dovecot',
      dovecot: true,
      host: null,
      service: 'imap',
      user: 'jdoe',
      pid: 1234,
      session: 'AbCdEf12',
      ip: null,
      level: 'error',
      levelSource: 'word',
    })
    assert.equal(iso(r), '2026-11-23T10:00:00.000Z')
    assert.equal(r.message, 'Mailbox INBOX: Deleting corrupted cache: Cache file too large')
    assert.equal(r.source, 'test.log')
    assert.equal(r.line, 1)
  })

  it('2.2 mail prefix (no pid/session) with an ISO log_timestamp', () => {
    const r = record('2026-11-23 10:00:00 imap(jdoe@example.com): Info: Logged out in=512 out=20480')
    assert.deepEqual(pick(r, 'format', ...PREFIX), {
      format: 'dovecot-file',
      service: 'imap',
      user: 'jdoe@example.com',
      pid: null,
      session: null,
      ip: null,
      level: 'info',
      levelSource: 'word',
    })
    assert.equal(iso(r), '2026-11-23T10:00:00.000Z')
  })

  it('ISO stamp with a fraction, auth-worker(pid)', () => {
    const r = record('2026-11-23 10:00:00.250 auth-worker(4321): Error: sql(jdoe,203.0.113.5): Password query failed')
    assert.deepEqual(pick(r, 'service', 'pid', 'level'), {service: 'auth-worker', pid: 4321, level: 'error'})
    assert.equal(iso(r), '2026-11-23T10:00:00.250Z')
  })

  it('login lines give user, rip and session from the message (2.2/2.3 "Login", 2.4 "Logged in")', () => {
    for (const word of ['Login', 'Logged in']) {
      const r = record(
        `Nov 23 10:00:00 imap-login: Info: ${word}: user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1234, TLS, session=<AbCdEf12>`,
      )
      assert.deepEqual(pick(r, ...PREFIX), {
        service: 'imap-login',
        user: 'jdoe',
        pid: null,
        session: 'AbCdEf12',
        ip: '203.0.113.5',
        level: 'info',
        levelSource: 'word',
      })
    }

    assert.equal(
      record('Nov 23 10:00:00 imap-login: Info: Disconnected (auth failed, 1 attempts in 2 secs): user=<>, rip=198.51.100.7').user,
      null,
    )
  })

  it('master, dsync-local(user)<session>, doveadm(ip,user), lmtp(pid), 2.4 lmtp(user)<pid><session>', () => {
    assert.deepEqual(
      pick(
        record('Nov 23 10:00:00 master: Warning: service(imap): process_limit (100) reached, client connections are being dropped'),
        'service',
        'level',
      ),
      {
        service: 'master',
        level: 'warning',
      },
    )
    assert.deepEqual(
      pick(
        record('Nov 23 10:00:00 dsync-local(jdoe)<Q2FzZQ>: Warning: Mailbox changes caused a desync.'),
        'service',
        'user',
        'session',
        'pid',
      ),
      {
        service: 'dsync-local',
        user: 'jdoe',
        session: 'Q2FzZQ',
        pid: null,
      },
    )
    assert.deepEqual(pick(record('Nov 23 10:00:00 doveadm(203.0.113.5,jdoe): Error: Mailbox INBOX: x'), 'service', 'user', 'ip'), {
      service: 'doveadm',
      user: 'jdoe',
      ip: '203.0.113.5',
    })
    assert.deepEqual(pick(record('Nov 23 10:00:00 lmtp(2345): Info: Connect from local'), 'service', 'user', 'pid'), {
      service: 'lmtp',
      user: null,
      pid: 2345,
    })
    assert.deepEqual(
      pick(record('Nov 23 10:00:00 lmtp(jdoe)<2345><XyZ>: Info: msgid=<a@b>: saved mail to INBOX'), 'service', 'user', 'pid', 'session'),
      {
        service: 'lmtp',
        user: 'jdoe',
        pid: 2345,
        session: 'XyZ',
      },
    )
  })

  it('auth request prefixes give user, ip and session', () => {
    const r = record('Nov 23 10:00:00 auth: Info: passwd-file(jdoe,203.0.113.5,<AbCd>): Password mismatch')
    assert.deepEqual(pick(r, 'service', 'user', 'ip', 'session'), {service: 'auth', user: 'jdoe', ip: '203.0.113.5', session: 'AbCd'})
    assert.equal(r.message, 'passwd-file(jdoe,203.0.113.5,<AbCd>): Password mismatch')
  })

  it('a nested master: prefix stays in the message; every level word is read', () => {
    const r = record('Nov 23 10:00:00 imap(jdoe)<1234><AbCd>: Fatal: master: service(imap): child 1234 returned error 83 (Out of memory)')
    assert.equal(r.level, 'fatal')
    assert.equal(r.message, 'master: service(imap): child 1234 returned error 83 (Out of memory)')
    for (const [word, level] of [
      ['Debug', 'debug'],
      ['Info', 'info'],
      ['Warning', 'warning'],
      ['Error', 'error'],
      ['Fatal', 'fatal'],
      ['Panic', 'panic'],
    ]) {
      assert.equal(record(`Nov 23 10:00:00 imap(u): ${word}: m`).level, level)
    }
  })

  it('no level word: the level stays null, never guessed from the text', () => {
    const r = record('Nov 23 10:00:00 imap(jdoe): Error-ish text that looks bad: failed')
    assert.equal(r.level, null)
    assert.equal(r.levelSource, null)
  })
})

describe('parseLine: syslog and journal text', () => {
  it('BSD syslog, 2.3 prefix, no [pid]: Info has no word, so its level is the syslog priority', () => {
    const r = record(
      'Nov  3 10:00:00 mail1 dovecot: imap-login: Login: user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1234, TLS, session=<AbCd>',
    )
    assert.deepEqual(pick(r, 'format', 'host', 'program', ...PREFIX), {
      format: 'syslog-bsd',
      host: 'mail1',
      program: 'dovecot',
      service: 'imap-login',
      user: 'jdoe',
      pid: null,
      session: 'AbCd',
      ip: '203.0.113.5',
      level: 'info',
      levelSource: 'priority',
    })
    assert.equal(iso(r), '2026-11-03T10:00:00.000Z')
  })

  it('BSD syslog with [pid], 2.2 prefix, level word', () => {
    const r = record(
      'Nov 23 10:00:00 mail1 dovecot[812]: imap(jdoe): Error: Corrupted index cache file /x/dovecot.index.cache: Cache file too large',
    )
    assert.deepEqual(pick(r, 'format', 'service', 'user', 'pid', 'level', 'levelSource'), {
      format: 'syslog-bsd',
      service: 'imap',
      user: 'jdoe',
      pid: 812,
      level: 'error',
      levelSource: 'word',
    })
  })

  it('the 2.3 prefix pid wins over the syslog [pid] (that is the master or log process)', () => {
    assert.equal(record('Nov 23 10:00:00 mail1 dovecot[812]: imap(jdoe)<1234><AbCd>: Error: x').pid, 1234)
  })

  it('RFC 3339 / high-precision rsyslog stamps carry their own zone', () => {
    const r = record('2026-11-23T10:00:00.123456+02:00 mail1 dovecot: master: Warning: Time moved backwards by 2.500000 seconds.')
    assert.deepEqual(pick(r, 'format', 'host', 'service', 'level'), {
      format: 'syslog-rfc3339',
      host: 'mail1',
      service: 'master',
      level: 'warning',
    })
    assert.equal(iso(r), '2026-11-23T08:00:00.123Z')
  })

  it('any instance_name: an unknown ident whose message starts with a Dovecot process is Dovecot', () => {
    const r = record('Nov 23 10:00:00 mx2 dovecot-eu: imap(jdoe)<1234><AbCd>: Error: x')
    assert.deepEqual(pick(r, 'program', 'dovecot', 'service'), {program: 'dovecot-eu', dovecot: true, service: 'imap'})
    const other = record('Nov 23 10:00:00 mx2 mailstore: imap-login: Login: user=<a>')
    assert.deepEqual(pick(other, 'program', 'dovecot', 'service', 'level', 'levelSource'), {
      program: 'mailstore',
      dovecot: true,
      service: 'imap-login',
      level: 'info',
      levelSource: 'priority',
    })
  })

  it('other programs are skipped; time daemons and the OOM killer are kept as corroboration', () => {
    assert.equal(parseLine('Nov 23 10:00:00 mail1 postfix/smtpd[123]: connect from unknown[198.51.100.7]'), 'skipped')
    assert.equal(parseLine('Nov 23 10:00:00 mail1 kernel: [12345.678] eth0: link up'), 'skipped')
    const chrony = record('Nov 23 10:00:00 mail1 chronyd[55]: System clock wrong by -18.312 seconds, adjustment started')
    assert.deepEqual(pick(chrony, 'program', 'dovecot', 'pid', 'level', 'service'), {
      program: 'chronyd',
      dovecot: false,
      pid: 55,
      level: null,
      service: null,
    })
    const oom = record('Nov 23 10:00:00 mail1 kernel: Out of memory: Killed process 2345 (imap) total-vm:300000kB')
    assert.deepEqual(pick(oom, 'program', 'dovecot'), {program: 'kernel', dovecot: false})
    assert.equal(oom.message, 'Out of memory: Killed process 2345 (imap) total-vm:300000kB')
  })

  it('journalctl short-precise and short-iso are told apart from syslog', () => {
    const precise = record('Nov 23 10:00:00.654321 mail1 dovecot[812]: master: Warning: x')
    assert.equal(precise.format, 'journal-short')
    assert.equal(iso(precise), '2026-11-23T10:00:00.654Z')
    const shortIso = record('2026-11-23T10:00:00+0100 mail1 dovecot[812]: imap(jdoe)<1234><AbCd>: Error: x')
    assert.equal(shortIso.format, 'journal-short')
    assert.equal(iso(shortIso), '2026-11-23T09:00:00.000Z')
  })

  it('journalctl short: the "-- Logs begin" marker is skipped and marks the input as journal output', () => {
    const parser = new LineParser({reference})
    assert.equal(parser.parse('-- Logs begin at Mon 2026-11-02 08:00:00 UTC, end at Mon 2026-11-23 10:00:00 UTC. --', 1), 'skipped')
    assert.equal((parser.parse('Nov 23 10:00:00 mail1 dovecot[812]: master: Warning: x', 2) as LogRecord).format, 'journal-short')
  })
})

describe('parseLine: journalctl -o json', () => {
  const entry = (fields: Record<string, unknown>) =>
    JSON.stringify({__REALTIME_TIMESTAMP: '1795428000123456', _HOSTNAME: 'mail1', SYSLOG_IDENTIFIER: 'dovecot', _PID: '812', ...fields})

  it('takes the level from the word when present, else from PRIORITY', () => {
    const error = record(entry({PRIORITY: '3', MESSAGE: 'imap(jdoe)<1234><AbCd>: Error: Mailbox INBOX: x'}))
    assert.deepEqual(pick(error, 'format', 'host', 'service', 'user', 'pid', 'level', 'levelSource'), {
      format: 'journal-json',
      host: 'mail1',
      service: 'imap',
      user: 'jdoe',
      pid: 1234,
      level: 'error',
      levelSource: 'word',
    })
    assert.equal(iso(error), '2026-11-23T10:00:00.123Z')
    const info = record(entry({PRIORITY: '6', MESSAGE: 'imap-login: Login: user=<jdoe>'}))
    assert.deepEqual(pick(info, 'service', 'pid', 'level', 'levelSource'), {
      service: 'imap-login',
      pid: 812,
      level: 'info',
      levelSource: 'priority',
    })
  })

  it('MESSAGE as an array of bytes (not valid UTF-8 as a string) is decoded', () => {
    const bytes = [...Buffer.from('imap(jdoe)<1234><AbCd>: Error: Mailbox Entw\u00fcrfe: x')]
    const r = record(entry({PRIORITY: '3', MESSAGE: bytes}))
    assert.equal(r.message, 'Mailbox Entw\u00fcrfe: x')
    assert.equal(r.service, 'imap')
  })

  it('Fatal and Panic arrive at LOG_CRIT: without a word, crit reads as fatal', () => {
    assert.equal(record(entry({PRIORITY: '2', MESSAGE: 'master: service(imap): child 1 killed with signal 9'})).level, 'fatal')
  })

  it('other identifiers are skipped; chronyd is kept', () => {
    assert.equal(parseLine(entry({SYSLOG_IDENTIFIER: 'postfix/smtpd', PRIORITY: '6', MESSAGE: 'connect from x'})), 'skipped')
    const chrony = record(entry({SYSLOG_IDENTIFIER: 'chronyd', PRIORITY: '4', MESSAGE: 'System clock wrong by 18.3 seconds'}))
    assert.deepEqual(pick(chrony, 'program', 'dovecot', 'level', 'levelSource'), {
      program: 'chronyd',
      dovecot: false,
      level: 'warning',
      levelSource: 'priority',
    })
  })
})

describe('parseLine: doveadm log errors, containers, audit', () => {
  it('doveadm log errors: the level comes before the prefix', () => {
    const r = record('Nov 22 10:00:08 Error: imap-login: master(imap): net_connect_unix(imap) failed: Resource temporarily unavailable')
    assert.deepEqual(pick(r, 'format', 'service', 'level', 'levelSource'), {
      format: 'doveadm-log-errors',
      service: 'imap-login',
      level: 'error',
      levelSource: 'word',
    })
    assert.equal(r.message, 'master(imap): net_connect_unix(imap) failed: Resource temporarily unavailable')
    assert.equal(record('Nov 22 10:00:09 Warning: imap(jdoe)<1234><AbCd>: x').user, 'jdoe')
  })

  it('docker compose prefixes around own-file, syslog and stamp-less lines', () => {
    const own = record('dovecot-mailcow_1 | 2017-03-16 15:09:35 imap-login: Error: master(imap): net_connect_unix(imap) failed')
    assert.deepEqual(pick(own, 'format', 'service', 'level'), {format: 'container', service: 'imap-login', level: 'error'})
    assert.equal(iso(own), '2017-03-16T15:09:35.000Z')
    const syslog = record('mailserver  | 2024-08-02T00:13:59.113778+00:00 mail dovecot: master: Fatal: Dovecot is already running')
    assert.deepEqual(pick(syslog, 'format', 'host', 'service', 'level'), {
      format: 'container',
      host: 'mail',
      service: 'master',
      level: 'fatal',
    })
    const bare = record('dovecot-1  | imap(jdoe)<77><AbCd>: Info: Disconnected: Logged out in=1 out=2')
    assert.deepEqual(pick(bare, 'format', 'service', 'user', 'time'), {format: 'container', service: 'imap', user: 'jdoe', time: null})
    assert.equal(parseLine('web_1  | GET /index.html 200'), 'unparsed')
  })

  it('docker logs -t stamps and the mailcow UI export', () => {
    const docker = record('2024-08-02T00:13:59.113778123Z imap-login: Info: Login: user=<b>')
    assert.deepEqual(pick(docker, 'format', 'service', 'user'), {format: 'container', service: 'imap-login', user: 'b'})
    assert.equal(iso(docker), '2024-08-02T00:13:59.113Z')
    const mailcow = record('19.11.2017, 14:53:11 | crit | lmtp(jdoe)<1><Ab>: Fatal: master: service(lmtp): child 1 returned error 83')
    assert.deepEqual(pick(mailcow, 'format', 'service', 'level', 'levelSource'), {
      format: 'container',
      service: 'lmtp',
      level: 'fatal',
      levelSource: 'word',
    })
    assert.equal(iso(mailcow), '2017-11-19T14:53:11.000Z')
  })

  it('audit: AVC denials of Dovecot processes are kept, others skipped', () => {
    const r = record(
      'type=AVC msg=audit(1586604621.637:6736): avc:  denied  { write } for  pid=1234 comm="imap" name="Maildir" dev="dm-0" ino=12 scontext=system_u:system_r:dovecot_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 tclass=dir permissive=0',
    )
    assert.deepEqual(pick(r, 'format', 'program', 'dovecot', 'service', 'pid', 'level'), {
      format: 'audit',
      program: 'audit',
      dovecot: false,
      service: 'imap',
      pid: 1234,
      level: null,
    })
    assert.equal(iso(r), '2020-04-11T11:30:21.637Z')
    assert.match(r.message, /^avc: {2}denied {2}\{ write \}/)
    assert.equal(
      parseLine(
        'type=AVC msg=audit(1586604621.637:6737): avc:  denied  { read } for  pid=1 comm="httpd" scontext=system_u:system_r:httpd_t:s0 tclass=file',
      ),
      'skipped',
    )
    assert.equal(
      parseLine('type=SYSCALL msg=audit(1586604621.637:6736): arch=c000003e syscall=83 success=no exit=-13 comm="imap"'),
      'skipped',
    )
  })

  it('stamp-less Dovecot lines need a process prefix and a level word', () => {
    assert.equal(record('imap-login: Info: Login: user=<a>').time, null)
    assert.equal(parseLine('something: happened'), 'unparsed')
    assert.equal(parseLine('random words'), 'unparsed')
    assert.equal(parseLine(''), 'blank')
  })
})

describe('timestamps', () => {
  it('year-less stamps after the reference belong to the year before (December lines, January mtime)', () => {
    const parser = new LineParser({reference: Date.UTC(2027, 0, 2, 12)})
    const december = parser.parse('Dec 31 23:59:59 master: Info: a', 1) as LogRecord
    const january = parser.parse('Jan  1 00:00:01 master: Info: b', 2) as LogRecord
    assert.equal(iso(december), '2026-12-31T23:59:59.000Z')
    assert.equal(iso(january), '2027-01-01T00:00:01.000Z')
  })

  it('--timezone applies to stamps without a zone, not to stamps with one', () => {
    assert.equal(iso(record('Nov 23 10:00:00 master: Info: a', {timeZone: 'Europe/Berlin'})), '2026-11-23T09:00:00.000Z')
    assert.equal(iso(record('2026-07-01 10:00:00 master: Info: a', {timeZone: 'America/New_York'})), '2026-07-01T14:00:00.000Z')
    assert.equal(
      iso(record('2026-11-23T10:00:00+00:00 h dovecot: master: Info: a', {timeZone: 'Europe/Berlin'})),
      '2026-11-23T10:00:00.000Z',
    )
  })
})

describe('LineParser.holds (the fast lane asks it for every line it hands over)', () => {
  it('says the parser is in a lock exactly when lock() would give an equal one, whatever lines it read', () => {
    // Lines of every shape the fixtures have (own file, syslog, journal, doveadm log errors, wrappers...), read in random orders.
    const pool = [
      'dovecot-2.3-real.log',
      'doveadm-log-errors.txt',
      'mail.log',
      'mixed.log',
      'journal-short.txt',
      'syslog-rfc3339.log',
      'compose.log',
    ]
      .flatMap((name) => readFileSync(join('fixtures/logs', name), 'utf8').split('\n').slice(0, 40))
      .filter((line) => line.length > 0)
    let differingFormats = 0
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), {minLength: 2, maxLength: 60}), (lines) => {
        const parser = new LineParser({reference, source: 'test.log'})
        const locks: ParserLock[] = []
        for (const [index, line] of lines.entries()) {
          parser.parse(line, index + 1)
          const now = parser.lock()
          for (const lock of locks) {
            // Equal as a whole, not field by field: a field lock() gains and holds() forgets is caught.
            const equal = isDeepStrictEqual(lock, now)
            if (lock.family === now.family && !equal) differingFormats++
            assert.equal(parser.holds(lock), equal)
          }
          locks.push(now)
        }
      }),
      {numRuns: 100, seed: 16},
    )
    // The case that tells holds() from tries(): the same shape tried first, another last format.
    assert.ok(differingFormats > 0, 'no generated pair of locks differed by their last format only')
  })
})
