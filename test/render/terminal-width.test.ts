import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {renderFindingEvent} from '../../src/render/finding-event-text.js'
import {fitColumns, fitEvidence, wrap} from '../../src/render/terminal.js'
import {spawnCli} from '../helpers/run.js'

const plain = (line: string) => line.replace(/\u001B\[[\d;]*m/g, '')
/**
 * Lines wider than `width`, but a lone word longer than a line (a URL or path: never split, so it can still be
 * opened and copied), the logs verdict (one line, for grep) and explain's
 * `pattern` lines (a regular expression shown verbatim: a break would hide how many spaces it has).
 */
const tooWide = (text: string, width: number) =>
  text.split('\n').filter((line) => [...plain(line)].length > width && !/^\s*\S+(\s+--)?$|^ {2}pattern {3}|^Verdict: /.test(plain(line)))

describe('wrapping and fitting text to the terminal', () => {
  it('wraps at spaces, never inside a word, under a hanging indent, keeping the spaces inside a line', () => {
    assert.deepEqual(wrap('alpha beta gamma delta', 12, '  ', '    '), ['  alpha beta', '    gamma', '    delta'])
    assert.deepEqual(wrap('HIGH     rule  title words', 16), ['HIGH     rule', 'title words'])
    assert.deepEqual(wrap('a https://doc.dovecot.org/a/very/long/path b', 10), ['a', 'https://doc.dovecot.org/a/very/long/path', 'b'])
  })

  it('an evidence line keeps file:line whole and cuts the log line with …', () => {
    const line = fitEvidence('/var/log/dovecot.log:1234', 'Nov 22 08:00:08 imap(erin@example.com): Panic: file mail-index-map.c', 60, '  ')
    assert.equal(line, '  /var/log/dovecot.log:1234  Nov 22 08:00:08 imap(erin@exam…')
    assert.equal([...line].length, 60)
  })

  it('columns: natural widths when they fit, the widest narrowed first, null when no layout fits', () => {
    const cells = [
      ['id', 'title'],
      ['panic', 'Dovecot crashed: Panic or failed assertion'],
    ]
    assert.deepEqual(fitColumns(cells, 80), [7, 44])
    assert.deepEqual(fitColumns(cells, 40), [7, 30])
    assert.equal(fitColumns(cells, 12), null)
  })
})

describe('every text output fits the terminal width', () => {
  const commands: [string, string[]][] = [
    ['exit --all', ['exit', '--all']],
    ['exit 75 235', ['exit', '75', '235']],
    ['rules', ['rules']],
    ['explain tls-handshake-failed', ['explain', 'tls-handshake-failed']],
    ['migration check', ['migration', 'check', 'fixtures/migration/wave.csv']],
    ['logs', ['logs', 'fixtures/sample.log']],
    ['logs --records', ['logs', '--records', 'fixtures/logs/split-files/dovecot.log', 'fixtures/logs/split-files/dovecot-info.log']],
    [
      'match',
      [
        'match',
        'Nov 23 10:27:03 imap(jdoe)<17022><OjXmCO9gIOV/AAAB>: Error: mkdir(/tmp/dv/mail/jdoe) failed: Permission denied (euid=65534(nobody) egid=65534(nogroup) missing +w perm: /tmp/dv, dir owned by 0:0 mode=0755)',
        'Nov 23 10:27:03 imap(jdoe)<17022><OjXmCO9gIOV/AAAB>: Error: Mailbox INBOX: Failed to autocreate mailbox: Internal error occurred. Refer to server log for more information.',
      ],
    ],
  ]
  for (const width of [60, 80, 120]) {
    it(`at ${width} columns no line is wider (COLUMNS=${width}), and no table is cut`, async () => {
      for (const [name, args] of commands) {
        const {stdout} = await spawnCli(args, {env: {COLUMNS: String(width), TZ: 'UTC', LANG: 'C.UTF-8'}})
        assert.ok(stdout.length > 0, name)
        assert.deepEqual(tooWide(stdout, width), [], `${name} at ${width}`)
      }
    })
  }

  it('a logs --follow event wraps under its rule', () => {
    const event = {
      event: 'finding' as const,
      status: 'repeat' as const,
      rule: 'vsz-limit-oom',
      severity: 'high' as const,
      title: 'A Dovecot process ran out of memory (vsz_limit)',
      count: 12,
      added: 3,
      firstSeen: null,
      lastSeen: null,
      evidence: {source: '/var/log/dovecot.log', line: 1234, text: ''},
      docs: '',
    }
    assert.equal(
      renderFindingEvent(event, 60),
      [
        'repeat high     vsz-limit-oom (+3, 12× in all): A Dovecot',
        '                process ran out of memory (vsz_limit)',
        '                [/var/log/dovecot.log:1234]',
      ].join('\n'),
    )
    assert.equal(
      renderFindingEvent(event, 200),
      'repeat high     vsz-limit-oom (+3, 12× in all): A Dovecot process ran out of memory (vsz_limit) [/var/log/dovecot.log:1234]',
    )
  })

  it("a finding's title that does not fit goes on under the finding's lines, not under its severity", async () => {
    const {stdout} = await spawnCli(['logs', 'fixtures/sample.log'], {env: {COLUMNS: '80', TZ: 'UTC'}})
    const lines = stdout.split('\n')
    const at = lines.indexOf('HIGH     net-connect-unix-eagain  Login processes could not hand connections to')
    assert.ok(at > 0, stdout)
    assert.deepEqual(lines.slice(at + 1, at + 3), [
      '         mail processes (socket queue full)',
      '         3× 2026-11-22 07:25:19 → 2026-11-22 07:25:20',
    ])
  })

  it('the migration reason column does not repeat the code and label beside it', async () => {
    const {stdout} = await spawnCli(['migration', 'check', 'fixtures/migration/wave.csv'], {env: {COLUMNS: '160'}})
    const row = stdout.split('\n').find((line) => line.includes('user016@example.com') && line.includes('│ 77'))!
    assert.match(row, /│ Authentication failure/)
    assert.doesNotMatch(row, /│ 77 EX_NOPERM:/)
  })
})
