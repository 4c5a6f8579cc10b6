import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {BoundedGroups} from '../../src/diagnosis/bounded-groups.js'
import {diagnose} from '../../src/diagnosis/diagnose.js'
import {records} from './records.js'

const CACHE = (i: number, user: string) =>
  `Nov 23 10:00:${String(i % 60).padStart(2, '0')} imap(${user})<${1000 + i}><S${i}>: Error: Corrupted index cache file /var/vmail/${user}/Maildir/dovecot.index.cache: Cache file too large`
const ODD = (i: number, shape: string) => `Nov 23 11:00:${String(i % 60).padStart(2, '0')} imap(u${i % 50})<${i}><S${i}>: Error: ${shape}`

describe('bounds that keep the largest groups (issue 14, point 17)', () => {
  it('BoundedGroups keeps a group that dominates late, and kept plus folded lines add up', () => {
    const groups = new BoundedGroups<{count: number}>(100, (group) => group.count)
    const add = (key: string) => groups.take(key, () => ({count: 0})).count++
    for (let i = 0; i < 1000; i++) add(`rare ${i}`)
    for (let i = 0; i < 5000; i++) {
      add('dominant')
      if (i % 5 === 0) add(`late rare ${i}`)
    }
    const kept = [...groups.values()]
    assert.ok(kept.length <= 100)
    assert.ok(
      kept.some((group) => group.count === 5000),
      'the dominant group is kept, with every one of its lines',
    )
    assert.equal(kept.reduce((sum, group) => sum + group.count, 0) + groups.foldedLines, 1000 + 5000 + 1000)
    assert.ok(groups.foldedGroups >= 1000)
  })

  it("a finding's facts show a cause that starts after 200 other groups, and say how many lines were folded", async () => {
    const lines = [
      ...Array.from({length: 300}, (_, i) => CACHE(i, `user${i}`)),
      ...Array.from({length: 5000}, (_, i) => CACHE(i, 'bigbox')),
    ]
    const cache = (await diagnose(records(lines))).findings.find((finding) => finding.rule === 'index-cache-too-large')!
    assert.equal(cache.count, 5300)
    assert.equal(cache.facts[0], '/var/vmail/bigbox/Maildir/dovecot.index.cache: 5000 time(s)')
    assert.match(cache.facts.at(-1)!, /^\d+ more line\(s\) in \d+ smaller group\(s\), not kept \(only the 200 largest are\)$/)
  })

  it('severe but unrecognized: a shape that starts after 1,000 others is listed with its count, the rest counted as other', async () => {
    const lines = [
      ...Array.from({length: 1500}, (_, i) =>
        ODD(
          i,
          `one-off trouble kind ${'abcdefghij'[i % 10]}${'klmnopqrst'[Math.floor(i / 10) % 10]}${'uvwxyzABCD'[Math.floor(i / 100) % 10]} here`,
        ),
      ),
      ...Array.from({length: 5000}, (_, i) => ODD(i, 'storage backend refused the write')),
    ]
    const diagnosis = await diagnose(records(lines))
    const top = diagnosis.unrecognized[0]
    assert.equal(top.template, 'storage backend refused the write')
    assert.equal(top.count, 5000)
    assert.ok(diagnosis.unrecognizedOther > 0)
    assert.equal(diagnosis.unrecognized.reduce((sum, group) => sum + group.count, 0) + diagnosis.unrecognizedOther, 6500)
  })
})
