import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {diagnose, hasFindingAtOrAbove} from '../../src/diagnosis/diagnose.js'
import {suggestVszLimitMb} from '../../src/catalog/rules/vsz-limit-oom.js'
import {messageTemplate} from '../../src/diagnosis/template.js'
import {records} from './records.js'

const OOM = (user: string, time: string, pid: number) =>
  `Nov 23 ${time} mail1 dovecot: imap(${user})<${pid}><S${pid}>: Fatal: master: service(imap): child ${pid} returned error 83 (Out of memory (service imap { vsz_limit=256 MB }, you may need to increase it) - set CORE_OUTOFMEM=1 environment to get core dump)`

describe('aggregation', () => {
  it('counts a finding with first/last seen, top users/services/hosts, summed facts and 3 evidence lines', async () => {
    const lines = [
      OOM('jdoe', '10:00:00', 101),
      OOM('jdoe', '10:05:00', 102),
      OOM('alice', '09:00:00', 103), // out of order: first seen is still the earliest
      OOM('jdoe', '11:00:00', 104),
      'Nov 23 11:30:00 mail2 dovecot: lmtp(bob)<105><S105>: Fatal: master: service(lmtp): child 105 returned error 83 (Out of memory (service lmtp { vsz_limit=512 MB }, you may need to increase it) - set CORE_OUTOFMEM=1 environment to get core dump)',
    ]
    const {findings} = await diagnose(records(lines))
    assert.equal(findings.length, 1)
    const [oom] = findings
    assert.equal(oom.rule, 'vsz-limit-oom')
    assert.equal(oom.count, 5)
    assert.equal(oom.firstSeen, '2026-11-23T09:00:00.000Z')
    assert.equal(oom.lastSeen, '2026-11-23T11:30:00.000Z')
    assert.deepEqual(oom.affected.users, [
      {name: 'jdoe', count: 3},
      {name: 'alice', count: 1},
      {name: 'bob', count: 1},
    ])
    assert.deepEqual(oom.affected.hosts, [
      {name: 'mail1', count: 4},
      {name: 'mail2', count: 1},
    ])
    assert.deepEqual(oom.facts, ['imap hit vsz_limit=256 MB 4 time(s)', 'lmtp hit vsz_limit=512 MB 1 time(s)'])
    assert.deepEqual(
      oom.maxima.map((m) => [m.label, m.value]),
      [['vsz_limit', 512]],
    )
    assert.deepEqual(
      oom.evidence.map((e) => `${e.source}:${e.line}`),
      ['test.log:1', 'test.log:2', 'test.log:5'],
    )
    assert.match(oom.notes[0], /^Suggested: service imap \{ vsz_limit = 1536M \}, service lmtp \{ vsz_limit = 1536M \} \(now 512 MB\)/)
    assert.deepEqual(
      [oom.remedy.length, oom.remedy[0].slice(0, 56), oom.docs],
      [
        3,
        'Raise the limit of the service named in the finding, abo',
        'https://doc.dovecot.org/latest/core/admin/errors.html#dovecot-index-cache-is-too-large',
      ],
    )
  })

  it('orders problems by severity, then count', async () => {
    const lines = [
      'Nov 23 10:00:00 mail1 dovecot: master: Warning: Time moved forward by 0.150321 seconds - adjusting timeouts.',
      'Nov 23 10:00:01 mail1 dovecot: master: Warning: Time moved forward by 0.250321 seconds - adjusting timeouts.',
      'Nov 23 10:00:02 mail1 dovecot: imap(jdoe)<1><S>: Error: Mailbox INBOX: Deleting corrupted cache: Cache file too large',
      OOM('jdoe', '10:00:03', 7),
      'Nov 23 10:00:04 mail1 dovecot: master: Warning: service(imap): process_limit (100) reached, client connections are being dropped',
      'Nov 23 10:00:05 mail1 dovecot: master: Warning: service(imap): process_limit (100) reached, client connections are being dropped',
    ]
    const {findings} = await diagnose(records(lines))
    assert.deepEqual(
      findings.map((f) => `${f.severity} ${f.rule} ${f.count}`),
      ['high process-limit-reached 2', 'high vsz-limit-oom 1', 'medium index-cache-too-large 1', 'low time-moved-forwards 2'],
    )
    assert.ok(hasFindingAtOrAbove({findings} as never, 'high'))
    assert.ok(!hasFindingAtOrAbove({findings} as never, 'critical'))
  })

  it('says EAGAIN and process_limit are one cause, and that an ntpd step explains a time jump', async () => {
    const lines = [
      'Nov 23 10:00:00 mail1 dovecot: master: Warning: service(imap): process_limit (100) reached, client connections are being dropped',
      'Nov 23 10:00:01 mail1 dovecot: imap-login: Error: net_connect_unix(imap) failed: Resource temporarily unavailable',
      'Nov 23 11:59:58 mail1 ntpd[17697]: time reset -2.075483 s',
      'Nov 23 12:00:00 mail1 dovecot: master: Warning: Time moved backwards by 2.075000 seconds, waiting for 2.075 seconds until new services are launched again.',
    ]
    const {findings, activity} = await diagnose(records(lines))
    const byRule = Object.fromEntries(findings.map((f) => [f.rule, f]))
    assert.match(byRule['net-connect-unix-eagain'].notes[0], /one cause/)
    assert.match(byRule['process-limit-reached'].notes[0], /one cause/)
    assert.match(
      byRule['time-moved-backwards'].notes[0],
      /^Corroborated: ntpd stepped the clock by -2.075483 s at 2026-11-23T11:59:58.000Z \(test.log:3\)/,
    )
    assert.equal(activity.clockSteps, 1)
  })

  it('does not corroborate a time jump with a clock step hours away', async () => {
    const lines = [
      'Nov 23 06:00:00 mail1 ntpd[1]: time reset -2.075483 s',
      'Nov 23 12:00:00 mail1 dovecot: imap-login: Warning: Time moved backwards by 2.000000 seconds.',
    ]
    const {findings} = await diagnose(records(lines))
    assert.deepEqual(findings[0].notes, [])
  })

  it("ties a SIGKILLed child to the kernel's OOM killer, but not a crash or a kill hours away", async () => {
    const kernel =
      'Nov 23 10:00:06 mail1 kernel: [81234.567890] Out of memory: Killed process 1234 (imap) total-vm:300000kB, anon-rss:250000kB'
    const child = (time: string, signal: number) =>
      `Nov 23 ${time} mail1 dovecot: imap(jdoe)<1234><AbCd>: Fatal: master: service(imap): child 1234 killed with signal ${signal}`
    const [killed] = (await diagnose(records([kernel, child('10:00:07', 9)]))).findings
    assert.equal(killed.rule, 'child-killed-signal')
    assert.match(
      killed.notes[0],
      /^Corroborated: the kernel's OOM killer killed process 1234 \(imap\) at 2026-11-23T10:00:06.000Z \(test.log:1\)/,
    )
    assert.deepEqual((await diagnose(records([kernel, child('10:00:07', 11)]))).findings[0].notes, [], 'a segfault is not the OOM killer')
    assert.deepEqual((await diagnose(records([kernel, child('14:00:07', 9)]))).findings[0].notes, [], 'hours apart')
  })

  it('selects the remedy variant the line reveals', async () => {
    const lines = [
      "Nov 23 10:00:00 mail1 dovecot: imap(test)<1><S>: Error: Namespace '': mkdir(/home/mail/d/test/Maildir) failed: Permission denied (euid=1005(vmail) egid=1005(vmail) missing +w perm: /home/mail/d, UNIX perms appear ok (ACL/MAC wrong?))",
    ]
    const [finding] = (await diagnose(records(lines))).findings
    assert.deepEqual(
      finding.variants.map((v) => [v.id, v.count]),
      [['acl-mac', 1]],
    )
    assert.match(finding.variants[0].remedy.join(' '), /ReadWritePaths/)
  })

  it('counts logins, logouts, auth failures and deliveries as activity, and names an address with many failures', async () => {
    const failure = (i: number, ip: string) =>
      `Nov 23 10:00:${String(i).padStart(2, '0')} mail1 dovecot: imap-login: Disconnected: Connection closed (auth failed, 1 attempts in 2 secs): user=<admin>, method=PLAIN, rip=${ip}, lip=192.0.2.10, TLS, session=<S${i}>`
    const lines = [
      'Nov 23 09:00:00 mail1 dovecot: imap-login: Login: user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1, TLS, session=<A>',
      'Nov 23 09:10:00 mail1 dovecot: imap(jdoe)<1><A>: Disconnected: Logged out in=1 out=2 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0',
      'Nov 23 09:20:00 mail1 dovecot: lmtp(jdoe)<2><B>: msgid=<x@y>: saved mail to INBOX',
      ...Array.from({length: 12}, (_, i) => failure(i, '198.51.100.7')),
      failure(30, '203.0.113.9'),
    ]
    const diagnosis = await diagnose(records(lines))
    assert.deepEqual(diagnosis.findings, [])
    assert.deepEqual(diagnosis.activity, {
      logins: 1,
      logouts: 1,
      authFailures: 13,
      deliveries: 1,
      clockSteps: 0,
      authFailuresByIp: [{name: '198.51.100.7', count: 12}],
    })
    assert.equal(diagnosis.levels.info, 16)
  })
})

describe('severe but unrecognized', () => {
  it('groups Error lines no rule knows by their masked shape, with a count and an example', async () => {
    const lines = [
      'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<101><AbCd1>: Error: Mailbox INBOX: open(/var/vmail/jdoe/Maildir/cur/1700000000.M1P101.mail1,S=100:2,S) failed: Input/output error',
      'Nov 23 10:00:05 mail1 dovecot: imap(alice)<202><EfGh2>: Error: Mailbox Sent: open(/var/vmail/alice/Maildir/.Sent/cur/1700000099.M7P202.mail1,S=999:2,S) failed: Input/output error',
      'Nov 23 10:00:10 mail1 dovecot: imap(jdoe)<101><AbCd1>: Info: Something harmless happened in=1',
    ]
    const {unrecognized, findings} = await diagnose(records(lines))
    assert.deepEqual(findings, [])
    assert.deepEqual(
      unrecognized.map((g) => [g.count, g.level, g.service, g.template]),
      [[2, 'error', 'imap', 'Mailbox <*>: open(<path>) failed: Input/output error']],
    )
    assert.deepEqual(
      [unrecognized[0].example.line, unrecognized[0].firstSeen, unrecognized[0].lastSeen],
      [1, '2026-11-23T10:00:00.000Z', '2026-11-23T10:00:05.000Z'],
    )
  })

  it('makes a Fatal or Panic no rule knows a high finding of its own, grouped by shape, with evidence and remedy', async () => {
    const lines = [
      "Nov 23 10:00:09 mail1 dovecot: auth-worker(303): Fatal: Unknown passdb driver 'sqll'",
      "Nov 23 10:00:19 mail1 dovecot: auth-worker(304): Fatal: Unknown passdb driver 'sqll'",
      'Nov 23 10:00:29 mail1 dovecot: master: Panic: kevent(): Bad file descriptor',
      'Nov 23 10:00:39 mail1 dovecot: master: Fatal: Dovecot is already running with PID 812 (read from /run/dovecot/master.pid)',
    ]
    const diagnosis = await diagnose(records(lines))
    assert.deepEqual(diagnosis.unrecognized, [])
    const finding = diagnosis.findings.find((f) => f.rule === 'fatal-unrecognized')
    assert.ok(finding, 'a fatal-unrecognized finding')
    assert.equal(finding.severity, 'high')
    assert.equal(finding.count, 3, 'the recognized already-running Fatal is not counted again')
    assert.deepEqual(finding.facts, [
      "auth-worker: Fatal: Unknown passdb driver '*': 2 time(s)",
      'master: Panic: kevent(): Bad file descriptor: 1 time(s)',
    ])
    assert.deepEqual(
      finding.evidence.map((e) => e.line),
      [1, 2, 3],
    )
    assert.ok(finding.remedy.some((step) => step.includes('doveconf -n')))
    assert.ok(hasFindingAtOrAbove(diagnosis, 'high'), '--fail-on high sees it')
  })

  it('masks users, numbers, sessions, hex ids and paths', () => {
    assert.equal(
      messageTemplate(
        'user jdoe@example.com: read(/home/jdoe/x) failed after 123 ms, guid 9f8e7d6c5b4a, session=<Ab12Cd>',
        'jdoe@example.com',
      ),
      'user <user>: read(<path>) failed after # ms, guid <hex>, session=<*>',
    )
    assert.equal(messageTemplate('copy from old.user+tag@mx.example.org failed', null), 'copy from <email> failed')
  })

  it('groups a huge message by its start, so one long line costs no more than a short one', () => {
    const huge = `Mailbox INBOX: ${'x'.repeat(1_000_000)}@example.com`
    const template = messageTemplate(huge, null)
    assert.ok(template.length < 2100, `template of ${template.length} characters`)
    assert.equal(template, messageTemplate(huge.slice(0, 2000) + 'anything after the cut', null))
  })
})

describe('vsz_limit suggestion', () => {
  it('goes above the largest cache with room, as the docs advise (1500M for the default 1 GB cache)', () => {
    assert.equal(suggestVszLimitMb(256, undefined), 1536)
    assert.equal(suggestVszLimitMb(256, 2 * 1024 ** 3), 2560)
    assert.equal(suggestVszLimitMb(2048, 1024 ** 3), 3072)
  })
})

describe('companions', () => {
  it('attaches the Error a process logs right after a finding, as the rule names it, instead of listing it as unrecognized', async () => {
    const lines = [
      'Nov 23 10:27:03 imap(jdoe)<17022><OjXmCO9gIOV/AAAB>: Error: mkdir(/tmp/dv/mail/jdoe) failed: Permission denied (euid=65534(nobody) egid=65534(nogroup) missing +w perm: /tmp/dv, dir owned by 0:0 mode=0755)',
      'Nov 23 10:27:03 imap(jdoe)<17022><OjXmCO9gIOV/AAAB>: Error: Mailbox INBOX: Failed to autocreate mailbox: Internal error occurred. Refer to server log for more information. [2026-11-23 10:27:03]',
      // Another process, and the same process minutes later: not companions.
      'Nov 23 10:27:03 imap(alice)<17023><PjXmCO9gIOV/AAAB>: Error: Mailbox INBOX: Failed to autocreate mailbox: Internal error occurred. Refer to server log for more information. [2026-11-23 10:27:03]',
      'Nov 23 10:37:03 imap(jdoe)<17022><OjXmCO9gIOV/AAAB>: Error: Mailbox Sent: Failed to autocreate mailbox: Internal error occurred. Refer to server log for more information. [2026-11-23 10:37:03]',
    ]
    const {findings, unrecognized} = await diagnose(records(lines))
    assert.deepEqual(
      findings.map((f) => [f.rule, f.count, f.related.count, f.related.evidence.map((e) => e.line)]),
      [['mkdir-eacces', 1, 1, [2]]],
    )
    assert.deepEqual(
      unrecognized.map((g) => g.count),
      [2],
    )
  })
})
