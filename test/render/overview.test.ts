import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {Diagnoser} from '../../src/diagnosis/diagnose.js'
import {isRecord, parseLine} from '../../src/ingest/parse-line.js'
import {colors} from '../../src/render/color.js'
import {bar, renderOverview, sparkline} from '../../src/render/overview.js'
import {terminalWidth, unicodeEnabled} from '../../src/render/terminal.js'

describe('overview pictures', () => {
  it('sparkline: one character per slice, blank where nothing happened, the tallest at the peak', () => {
    assert.equal(sparkline([0, 1, 8, 4, 0], true), ' ▁█▄ ')
    assert.equal(sparkline([0, 1, 8, 4, 0], false), ' .@= ')
    assert.equal(sparkline([0, 0], true), '  ')
  })

  it('bar: scaled to the largest, a sliver for anything above zero, eighths only with block glyphs', () => {
    assert.equal(bar(10, 10, 4, true), '████')
    assert.equal(bar(5, 10, 4, true), '██')
    assert.equal(bar(1, 1000, 4, true), '▏')
    assert.equal(bar(1, 1000, 4, false), '#')
    assert.equal(bar(0, 10, 4, true), '')
  })
})

describe('terminal', () => {
  it('width: the terminal, else $COLUMNS, else 80', () => {
    assert.equal(terminalWidth({isTTY: true, columns: 132}, {COLUMNS: '100'}), 132)
    assert.equal(terminalWidth({isTTY: false}, {COLUMNS: '100'}), 100)
    assert.equal(terminalWidth({isTTY: false}, {}), 80)
    assert.equal(terminalWidth({isTTY: false}, {COLUMNS: 'wide'}), 80)
  })

  it('block glyphs unless the locale is not UTF-8, the console cannot, or DOVEDIAG_ASCII asks', () => {
    assert.equal(unicodeEnabled({LANG: 'en_US.UTF-8'}), true)
    assert.equal(unicodeEnabled({}), true)
    assert.equal(unicodeEnabled({LANG: 'C'}), false)
    assert.equal(unicodeEnabled({LC_ALL: 'POSIX', LANG: 'en_US.UTF-8'}), false)
    assert.equal(unicodeEnabled({LANG: 'en_US.utf8', TERM: 'linux'}), false)
    assert.equal(unicodeEnabled({LANG: 'en_US.UTF-8', DOVEDIAG_ASCII: '1'}), false)
  })
})

function diagnoserOf(lines: string[]): Diagnoser {
  const diagnoser = new Diagnoser()
  lines.forEach((text, index) => {
    const record = parseLine(text, {source: 't.log', line: index + 1, reference: Date.UTC(2026, 11, 31), timeZone: 'UTC'})
    assert.ok(isRecord(record), text)
    diagnoser.add(record)
  })
  return diagnoser
}

describe('renderOverview', () => {
  const lines = [
    'Nov 22 06:00:01 imap-login: Info: Login: user=<alice@example.com>, method=PLAIN, rip=192.0.2.10, lip=192.0.2.1, mpid=1234, TLS, session=<abc>',
    'Nov 22 06:10:00 master: Warning: Time moved backwards by 18 seconds.',
    'Nov 22 08:59:00 imap(bob@example.com)<24096><JRapgwnQDG9TsnJw>: Panic: file mail-index-map.c: line 547 (mail_index_map_lookup_seq_range): assertion failed: (first_uid > 0)',
  ]

  it('a row per finding and an hourly histogram, fitting 80 columns, in plain characters when asked', () => {
    const diagnoser = diagnoserOf(lines)
    const diagnosis = diagnoser.finish()
    const text = renderOverview(diagnosis, diagnoser.overview(), colors(false), {width: 80, unicode: false, timeZone: 'UTC'}).join('\n\n')
    const rows = text.split('\n')
    assert.match(rows[0], /^severity +rule +count +first +last +users +06:00 → 08:59$/)
    assert.match(rows[1], /^CRITICAL +panic +1 +08:59 +08:59 +1 +@$/)
    assert.match(rows[2], /^HIGH +time-moved-backwards +1 +06:10 +06:10 +- +@$/)
    assert.equal(rows[4], 'Errors, failed logins and logins per hour, 2026-11-22 (UTC)')
    assert.deepEqual(
      rows.slice(5).map((row) => row.split(/ {2,}/).map((cell) => cell.replace(/^#+ /, '# '))),
      [
        ['hour', 'errors', 'failed logins', 'logins'],
        ['06:00', '0', '0', '# 1'],
        ['07:00', '0', '0', '0'],
        ['08:00', '# 1', '0', '0'],
      ],
    )
    for (const row of rows) assert.ok(row.length <= 80, row)
    assert.doesNotMatch(text, /[^\x20-\x7e\n→]/, 'plain characters only (but the arrow of the span)')
  })

  it('narrows to the width and leaves the sparkline out when it would say nothing', () => {
    const diagnoser = diagnoserOf(lines)
    const diagnosis = diagnoser.finish()
    const text = renderOverview(diagnosis, diagnoser.overview(), colors(false), {width: 50, unicode: true, timeZone: 'UTC'}).join('\n\n')
    for (const row of text.split('\n')) assert.ok(row.length <= 50, row)
    assert.match(text, /^severity +rule +count +last\n/)
    assert.doesNotMatch(text.split('\n')[1], /█/)
  })
})
