import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'

import {RULES} from '../../src/catalog/index.js'
import {Diagnoser} from '../../src/diagnosis/diagnose.js'
import {isRecord, LineParser} from '../../src/ingest/parse-line.js'
import type {LogRecord} from '../../src/ingest/record.js'
import {rawRecognizer} from '../../src/match/raw-recognizer.js'

// Dovecot's own text of each line (prefix, level word, message) in its real wording: the fixture says where from.
const TEXTS = readFileSync(new URL('../../fixtures/logs/real-world/dovecot-text.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))

const recognizer = rawRecognizer(RULES)
const reference = Date.UTC(2026, 11, 1)

function parseAll(lines: string[]): {records: LogRecord[]; unparsed: string[]} {
  const parser = new LineParser({source: 'test.log', reference, recognizeRaw: recognizer})
  const records: LogRecord[] = []
  const unparsed: string[] = []
  lines.forEach((text, index) => {
    const result = parser.parse(text, index + 1)
    if (isRecord(result)) records.push(result)
    else if (result === 'unparsed') unparsed.push(text)
  })
  return {records, unparsed}
}

/** The findings as a user compares them: rule, count, users and hosts. */
function findings(lines: string[]) {
  const diagnoser = new Diagnoser()
  for (const record of parseAll(lines).records) diagnoser.add(record)
  return diagnoser
    .finish()
    .findings.map((finding) => ({rule: finding.rule, count: finding.count, users: finding.affected.users, hosts: finding.affected.hosts}))
    .sort((a, b) => a.rule.localeCompare(b.rule))
}

/** A finding as the written-out expectations give it: rule, count, `user:count` list. */
const ruleCountUsers = (f: ReturnType<typeof findings>[number]) => [f.rule, f.count, f.users.map((u) => `${u.name}:${u.count}`).join(' ')]

const syslog = (text: string) => `Nov 23 10:00:00 mail1 dovecot: ${text}`
const own = (text: string) => `Nov 23 10:00:00 ${text}`
/** `imap(jdoe): Error: msg` as `Error: imap(jdoe): msg`. */
const levelFirst = (text: string) => text.replace(/^(\S+): (Debug|Info|Warning|Error|Fatal|Panic): /, '$2: $1: ')

interface Form {
  name: string
  /** The same line without the wrapper: Dovecot's syslog line (host mail1), or its own log file's (no host). */
  without: 'syslog' | 'own'
  wrap: (text: string) => string
  /** Lines the wrapper's source writes around the lines (journalctl's header). */
  around?: string[]
}

const FORMS: Form[] = [
  {name: 'leading spaces', without: 'syslog', wrap: (t) => `   ${syslog(t)}`},
  {name: 'a leading tab and a trailing CR', without: 'syslog', wrap: (t) => `\t${syslog(t)}\r`},
  {name: "grep's file name", without: 'syslog', wrap: (t) => `mail.log:${syslog(t)}`},
  {name: "grep -n's path and line number", without: 'syslog', wrap: (t) => `/var/log/mail.err:123:${syslog(t)}`},
  {name: 'BusyBox facility.level', without: 'syslog', wrap: (t) => `Nov 23 10:00:00 mail1 mail.err dovecot: ${t}`},
  {name: 'a syslog line relayed inside another', without: 'syslog', wrap: (t) => `Nov 23 10:00:05 relay1 docker/8f2c1a[812]: ${syslog(t)}`},
  {name: 'docker compose v1', without: 'syslog', wrap: (t) => `mailserver_1  | ${syslog(t)}`},
  {name: 'docker compose v2', without: 'syslog', wrap: (t) => `mailserver-dovecot-1  | ${syslog(t)}`},
  {name: 'docker swarm', without: 'syslog', wrap: (t) => `mail_dovecot.1.x7k2abcdef@node1    | ${syslog(t)}`},
  {name: 'docker logs -t', without: 'own', wrap: (t) => `2026-11-23T10:00:00.123456789Z ${t}`},
  {name: 'kubectl logs --timestamps of a stamped line', without: 'own', wrap: (t) => `2026-11-23T10:00:00.123456789Z ${own(t)}`},
  {name: 'docker compose logs -t', without: 'own', wrap: (t) => `mail-1  | 2026-11-23T10:00:00.123456789Z ${t}`},
  {
    name: 'journalctl -o short-iso with its header',
    without: 'syslog',
    wrap: (t) => `2026-11-23T10:00:00+0000 mail1 dovecot[812]: ${t}`,
    around: ['-- Logs begin at Mon 2026-11-23 09:00:00 UTC, end at Mon 2026-11-23 11:00:00 UTC. --', '-- Boot 1a2b3c4d5e6f --'],
  },
  {name: 'journalctl -o short-monotonic', without: 'syslog', wrap: (t) => `[ 1234.567890] mail1 dovecot[812]: ${t}`},
  {name: 'journalctl -o cat', without: 'own', wrap: (t) => t},
  {name: 'syslog without a stamp', without: 'syslog', wrap: (t) => `mail1 dovecot[812]: ${t}`},
  {name: 'syslog without a stamp or host', without: 'own', wrap: (t) => `dovecot: ${t}`},
  {name: 'the level word before the process', without: 'own', wrap: levelFirst},
  {
    name: 'a web-UI export as a Markdown table',
    without: 'own',
    wrap: (t) => `| 23.11.2026, 10:00:00 | err | ${t} |`,
    around: ['| time | level | message |', '| --- | --- | --- |'],
  },
  {name: 'a web-UI export, tab-separated', without: 'own', wrap: (t) => `23.11.2026, 10:00:00\terr\t${t}`},
  {name: 'RFC 5424', without: 'syslog', wrap: (t) => `<22>1 2026-11-23T10:00:00.360424+00:00 mail1 dovecot - - - ${t}`},
  {
    name: 'RFC 5424 with PROCID, structured data and a BOM',
    without: 'syslog',
    wrap: (t) =>
      `<19>1 2026-11-23T10:00:00.360424+00:00 mail1 dovecot 812 - [origin ip="192.0.2.1" software="rsyslogd"][meta sequenceId="7"] \uFEFF${t}`,
  },
  {
    name: 'RFC 5424 without PRI, dovecot[pid] as APP-NAME',
    without: 'syslog',
    wrap: (t) => `1 2026-11-23T10:00:00.360424+00:00 mail1 dovecot[812] - - - ${t}`,
  },
  {name: 'RFC 5424 without PRI and version', without: 'syslog', wrap: (t) => `2026-11-23T10:00:00.360424Z mail1 dovecot - - - ${t}`},
  {name: 'RFC 5424 with a NILVALUE stamp', without: 'syslog', wrap: (t) => `<22>1 - mail1 dovecot - - - ${t}`},
  {name: 'RFC 3164 with its PRI', without: 'syslog', wrap: (t) => `<19>${syslog(t)}`},
  {name: 'unknown text before the Dovecot line', without: 'own', wrap: (t) => `[2026-11-23 10:00:00] mail.ERROR => ${t}`},
  {
    name: 'grep of compose of a relayed line, indented',
    without: 'syslog',
    wrap: (t) => `  mail.log:mailserver_1  | Nov 23 10:00:05 relay1 docker/8f2c1a[812]: ${syslog(t)}`,
  },
]

describe('real-world lines: the same findings with and without each wrapper (issue #12 §5)', () => {
  const base = {syslog: findings(TEXTS.map(syslog)), own: findings(TEXTS.map(own))}

  it('the fixture lines give findings without any wrapper', () => {
    // Written out, so a rule that stops matching these lines fails here and not only when a wrapper differs.
    assert.deepEqual(base.syslog.map(ruleCountUsers), [
      ['already-running', 1, ''],
      ['disk-full', 1, 'jdoe:1'],
      ['index-cache-corrupted', 1, 'jdoe:1'],
      ['index-cache-too-large', 1, 'bob:1'],
      ['mkdir-eacces', 1, 'mary@example.com:1'],
      ['net-connect-unix-eagain', 1, ''],
      ['panic', 1, 'jdoe:1'],
      ['process-limit-reached', 1, ''],
      ['time-moved-backwards', 3, 'jdoe:2'],
      ['vsz-limit-oom', 1, ''],
    ])
    assert.ok(base.syslog.every((finding) => finding.hosts.length === 1 && finding.hosts[0].name === 'mail1'))
    assert.deepEqual(
      base.own.map((f) => [f.rule, f.count]),
      base.syslog.map((f) => [f.rule, f.count]),
    )
  })

  for (const form of FORMS) {
    it(form.name, () => {
      const lines = [...(form.around ?? []), ...TEXTS.map(form.wrap)]
      assert.deepEqual(parseAll(lines).unparsed, [], 'every line is read')
      assert.deepEqual(findings(lines), base[form.without])
    })
  }
})

describe("deliveries through every wrapper: the delivery agent's and Sieve's lines count, a mail_log line holding their words does not", () => {
  const lines = [
    'lmtp(jdoe)<2345><AbCdEf12>: Info: msgid=<d2@example.com>: saved mail to INBOX',
    'lda(jdoe): Info: msgid=<d1@example.com>: saved mail to Junk',
    "lmtp(jdoe)<2346><AbCdEf13>: Info: sieve: msgid=<d3@example.com>: stored mail into mailbox 'Lists'",
    // The mail_log plugin (imap, lmtp, lda) logging a save whose Subject: is the delivery agent's words.
    'imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=5, msgid=<a@b>, size=100, subject=saved mail to Junk',
    'lmtp(jdoe)<2345><AbCdEf12>: Info: save: box=INBOX, uid=5, msgid=<a@b>, size=100, subject=saved mail to Junk',
    'lda(jdoe): Info: save: box=INBOX, uid=6, msgid=<c@d>, size=100, subject=Re: saved mail to Junk',
  ]
  const deliveries = (wrapped: string[]) => {
    const diagnoser = new Diagnoser()
    for (const record of parseAll(wrapped).records) diagnoser.add(record)
    return diagnoser.finish().activity.deliveries
  }

  it('without a wrapper', () => {
    assert.equal(deliveries(lines.map(own)), 3)
    assert.equal(deliveries(lines.map(syslog)), 3)
  })
  for (const form of FORMS) {
    it(form.name, () => assert.equal(deliveries([...(form.around ?? []), ...lines.map(form.wrap)]), 3))
  }
})

describe('real-world lines: what the wrappers tell is kept on the record', () => {
  const one = (line: string): LogRecord => {
    const result = new LineParser({reference, recognizeRaw: recognizer}).parse(line, 1)
    assert.ok(isRecord(result), `a record from ${line}`)
    return result
  }

  it('RFC 5424: PRI facility and severity, host, pid, time; Dovecot fields', () => {
    const r = one(
      '<19>1 2026-11-23T09:00:41.360424+00:00 mail1 dovecot 812 - - imap(bob)<123><sess1>: Error: Mailbox INBOX: Deleting corrupted cache: Cache file too large',
    )
    assert.deepEqual(
      {
        format: r.format,
        facility: r.facility,
        severity: r.severity,
        host: r.host,
        service: r.service,
        user: r.user,
        pid: r.pid,
        session: r.session,
        level: r.level,
        time: new Date(r.time!).toISOString(),
      },
      {
        format: 'syslog-rfc5424',
        facility: 'mail',
        severity: 'err',
        host: 'mail1',
        service: 'imap',
        user: 'bob',
        pid: 123,
        session: 'sess1',
        level: 'error',
        time: '2026-11-23T09:00:41.360Z',
      },
    )
  })

  it("RFC 5424: an Info line (no level word) takes its level from the PRI's severity", () => {
    const r = one(
      '<22>1 2026-11-23T09:00:41Z mail1 dovecot - - - imap-login: Login: user=<bob>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1234, TLS, session=<AbCd>',
    )
    assert.deepEqual([r.level, r.levelSource, r.user, r.ip], ['info', 'priority', 'bob', '203.0.113.5'])
  })

  it('compose and swarm keep the container; a relayed line keeps the inner host and time', () => {
    assert.equal(one('mail_dovecot.1.x7k2abcdef@node1    | master: Fatal: x').container, 'mail_dovecot.1.x7k2abcdef@node1')
    const relayed = one('Nov 23 10:00:05 relay1 docker/8f2c1a[812]: Nov 23 10:00:00 ctr1 dovecot: master: Fatal: x')
    assert.deepEqual(
      [relayed.host, new Date(relayed.time!).toISOString(), relayed.wrappers],
      ['ctr1', '2026-11-23T10:00:00.000Z', ['syslog-relay']],
    )
  })

  it('wrappers are listed outermost first; a clean line has none', () => {
    assert.deepEqual(one('  mail.log:mailserver_1  | Nov 23 10:00:00 mail1 dovecot: master: Fatal: x').wrappers, [
      'indent',
      'grep-filename',
      'compose',
    ])
    assert.deepEqual(one('Nov 23 10:00:00 mail1 dovecot: master: Fatal: x').wrappers, [])
  })

  it('BusyBox: facility and severity from `mail.err`', () => {
    const r = one('Nov 23 10:00:00 mail1 mail.err dovecot: master: Fatal: x')
    assert.deepEqual([r.facility, r.severity, r.host, r.service], ['mail', 'err', 'mail1', 'master'])
  })

  it('a line without a stamp still counts; it only has no place on the timeline', () => {
    const r = one('mail1 dovecot[812]: master: Fatal: Dovecot is already running with PID 812 (read from /run/dovecot/master.pid)')
    assert.deepEqual([r.time, r.host, r.pid, r.level], [null, 'mail1', 812, 'fatal'])
  })
})

describe('Dovecot 1.x and 2.0 wording', () => {
  it('uppercase mail process names and the level before the process, in its own log file', () => {
    const lines = [
      "dovecot: Nov 23 10:00:00 Fatal: IMAP(jdoe): Time just moved backwards by 6 seconds. This might cause a lot of problems, so I'll just kill myself now.",
      "Nov 23 10:00:00 mail1 dovecot: POP3(mary): Fatal: Time just moved backwards by 9 seconds. This might cause a lot of problems, so I'll just kill myself now. http://wiki.dovecot.org/TimeMovedBackwards",
    ]
    const {records} = parseAll(lines)
    assert.deepEqual(
      records.map((r) => [r.service, r.user, r.level]),
      [
        ['imap', 'jdoe', 'fatal'],
        ['pop3', 'mary', 'fatal'],
      ],
    )
    assert.deepEqual(findings(lines), [
      {
        rule: 'time-moved-backwards',
        count: 2,
        users: [
          {name: 'jdoe', count: 1},
          {name: 'mary', count: 1},
        ],
        hosts: [{name: 'mail1', count: 1}],
      },
    ])
  })
})

describe('raw fallback (issue #12 §3)', () => {
  it('a Dovecot message with no structure around it is still found, as grep would', () => {
    const messages = TEXTS.map((text) => text.replace(/^\S+: (?:Debug|Info|Warning|Error|Fatal|Panic): /, ''))
    const {records, unparsed} = parseAll(messages)
    assert.equal(unparsed.length, 0)
    assert.ok(records.every((record) => record.format === 'raw'))
    assert.deepEqual(
      findings(messages).map((f) => [f.rule, f.count]),
      base().map((f) => [f.rule, f.count]),
    )
  })

  it('after a tag or text nothing else knows', () => {
    const {records} = parseAll([
      "[mail] Time just moved backwards by 6 seconds. This might cause a lot of problems, so I'll just kill myself now.",
    ])
    assert.equal(records[0]?.format, 'raw')
  })

  it("no false alarm on other programs' lines that contain fatal, crit or limit", () => {
    const others = [
      'Nov 23 10:00:00 mail1 postfix/smtpd[123]: fatal: open database /etc/postfix/helo_access.db: No such file or directory',
      'Nov 23 10:00:00 mail1 postfix/master[1]: warning: process /usr/lib/postfix/sbin/smtpd pid 12 exit status 1; process_limit (100) reached, client connections are being dropped',
      'postfix/smtpd[1]: fatal: Time just moved backwards by 7 seconds. This might cause a lot of problems',
      'Nov 23 10:00:00 mail1 amavis[2211]: (02211-01) (!!)TROUBLE in check_mail: crit: Dovecot is already running with PID 1 (read from /x)',
      "amavis[2211]: (!)ClamAV-clamd: Can't connect to UNIX socket /var/run/clamav/clamd.ctl: fatal limit",
      '2026-11-23 10:00:00,123 CRIT Supervisor is running as root. process_limit (100) reached, client connections are being dropped',
      '2026-11-23 10:00:00,456 INFO exited: postfix (exit status 1; not expected)',
      '2026-11-23 10:00:00,789 CRIT reaped unknown pid 4321 (exit status 0)',
      'systemd[1]: dovecot.service: Start request repeated too quickly. Fatal: Time moved backwards by 3 seconds.',
      'Nov 23 10:00:00 mail1 CRON[123]: (root) CMD (/usr/local/bin/check-limit --fatal --crit)',
      'Nov 23 10:00:00 mail1 kernel: [123.4] EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm imap: reading directory lblock 0 fatal limit',
      'kernel: [123.4] Time moved backwards by 3 seconds.',
      'myapp: Warning: Time moved backwards by 3 seconds.',
      'Nov 23 10:00:00 mail1 myapp[123]: Warning: Time moved backwards by 3 seconds.',
    ]
    const {records} = parseAll(others)
    assert.deepEqual(
      records.filter((r) => r.dovecot).map((r) => r.text),
      [],
    )
    assert.deepEqual(findings(others), [])
    // systemd saying Dovecot's master exited with status 89 is no false alarm: dovecot-exit-status (issue #13).
    assert.deepEqual(
      findings(['Nov 23 10:00:00 mail1 systemd[1]: dovecot.service: Main process exited, code=exited, status=89/n/a']).map((f) => f.rule),
      ['dovecot-exit-status'],
    )
    // supervisord saying so, in a container (issue #13), likewise.
    assert.deepEqual(
      findings(['2026-11-23 10:00:00,456 INFO exited: dovecot (exit status 89; not expected)']).map((f) => f.rule),
      ['dovecot-exit-status'],
    )
  })

  function base() {
    return findings(TEXTS.map(own))
  }
})

describe('real rsyslog output (rsyslogd 8.2302 from Debian, fed by logger; fixtures/logs/real-world/rsyslog-*.log)', () => {
  const read = (name: string) =>
    readFileSync(new URL(`../../fixtures/logs/real-world/${name}`, import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean)
  const files = ['rsyslog-protocol23.log', 'rsyslog-traditional.log', 'rsyslog-fileformat.log']

  it('RSYSLOG_SyslogProtocol23Format, RSYSLOG_TraditionalFileFormat and RSYSLOG_FileFormat give the same findings', () => {
    const [protocol23, ...others] = files.map((name) => findings(read(name)))
    assert.deepEqual(protocol23.map(ruleCountUsers), [
      ['already-running', 2, ''],
      ['disk-full', 1, 'jdoe:1'],
      ['index-cache-corrupted', 1, 'jdoe:1'],
      ['index-cache-too-large', 2, 'bob:1 mary:1'],
      ['mkdir-eacces', 1, 'mary@example.com:1'],
      ['net-connect-unix-eagain', 1, ''],
      ['panic', 1, 'jdoe:1'],
      ['process-limit-reached', 1, ''],
      ['time-moved-backwards', 3, 'jdoe:2'],
      ['vsz-limit-oom', 1, ''],
    ])
    for (const other of others) assert.deepEqual(other, protocol23)
  })

  it('every line is read: Dovecot lines as records (with the real double space and BOM), postfix and cron skipped', () => {
    for (const name of files) {
      const {records, unparsed} = parseAll(read(name))
      assert.deepEqual(unparsed, [], name)
      assert.equal(records.filter((r) => r.dovecot).length, 15, name)
      assert.ok(
        records.every((r) => r.time !== null && r.host !== null && r.format !== 'raw'),
        name,
      )
    }
    const rfc5424 = parseAll(read('rsyslog-protocol23.log')).records
    assert.deepEqual([rfc5424[0].format, rfc5424[0].facility, rfc5424[0].severity], ['syslog-rfc5424', 'mail', 'err'])
  })
})

describe('journalctl -o verbose', () => {
  it("reads an entry's MESSAGE with the time, ident and priority before it", () => {
    const lines = [
      '-- Logs begin at Mon 2026-11-23 09:00:00 UTC. --',
      'Mon 2026-11-23 09:00:41.360424 UTC [s=8a1f;i=1a2;b=77c1;m=3b9aca00;t=5f4c1e2d3a4b8;x=9f0e]',
      '    _BOOT_ID=77c1',
      '    PRIORITY=6',
      '    SYSLOG_IDENTIFIER=dovecot',
      '    MESSAGE=imap-login: Login: user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1234, TLS, session=<AbCd>',
      '    _PID=812',
      '    _HOSTNAME=mail1',
      'Mon 2026-11-23 09:00:43.000000 UTC [s=8a1f;i=1a4;b=77c1;m=3b9aca02;t=5f4c1e2d3a4ba;x=9f10]',
      '    PRIORITY=2',
      '    SYSLOG_IDENTIFIER=postfix/smtpd',
      '    MESSAGE=fatal: open database /etc/postfix/helo_access.db: No such file or directory',
    ]
    const {records, unparsed} = parseAll(lines)
    assert.deepEqual(unparsed, [])
    assert.deepEqual(
      records.map((r) => [r.service, r.user, r.level, r.levelSource, new Date(r.time!).toISOString()]),
      [['imap-login', 'jdoe', 'info', 'priority', '2026-11-23T09:00:41.360Z']],
    )
  })
})

describe('web-UI exports, newest first', () => {
  it('first and last seen are the earliest and latest times, whatever order the lines come in', () => {
    const lines = [
      '| time | level | message |',
      '| --- | --- | --- |',
      '| 23.11.2026, 12:00:00 | warning | master: Warning: service(imap): process_limit (100) reached, client connections are being dropped |',
      '| 23.11.2026, 11:00:00 | warning | master: Warning: service(imap): process_limit (100) reached, client connections are being dropped |',
      '| 23.11.2026, 10:00:00 | warning | master: Warning: service(imap): process_limit (100) reached, client connections are being dropped |',
    ]
    const diagnoser = new Diagnoser()
    for (const record of parseAll(lines).records) diagnoser.add(record)
    const [finding] = diagnoser.finish().findings
    assert.deepEqual(
      [finding.rule, finding.count, finding.firstSeen, finding.lastSeen],
      ['process-limit-reached', 3, '2026-11-23T10:00:00.000Z', '2026-11-23T12:00:00.000Z'],
    )
  })
})
