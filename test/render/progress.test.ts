import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {ProgressDisplay, progressLine, showsProgress} from '../../src/render/progress.js'

const MB = 1024 * 1024

describe('progress', () => {
  it('shows only on a terminal, never in CI or with --json', () => {
    assert.equal(showsProgress({isTTY: true}, {}, false), true)
    assert.equal(showsProgress({isTTY: false}, {}, false), false)
    assert.equal(showsProgress({}, {}, false), false)
    assert.equal(showsProgress({isTTY: true}, {CI: 'true'}, false), false)
    assert.equal(showsProgress({isTTY: true}, {}, true), false)
  })

  it('says bytes read of the total, the rate and the time left', () => {
    assert.equal(
      progressLine({input: 'mail.log', read: 300 * MB, total: 1200 * MB, done: false}, 2000),
      'mail.log  300.0 MB of 1.17 GB (25%)  150.0 MB/s  ETA 6 s',
    )
    assert.equal(progressLine({input: '-', read: 50 * MB, total: null, done: false}, 1000), '-  50.0 MB  50.0 MB/s')
  })

  it('stays quiet for a quick input, rewrites one line for a long one and keeps its last line', () => {
    let now = 0
    const written: string[] = []
    const display = new ProgressDisplay({write: (text: string) => written.push(text)}, () => now)
    display.update({input: 'quick.log', read: MB, total: 2 * MB, done: false})
    now = 500
    display.update({input: 'quick.log', read: 2 * MB, total: 2 * MB, done: true})
    assert.deepEqual(written, [])

    display.update({input: 'big.log', read: 0, total: 100 * MB, done: false})
    now = 1600
    display.update({input: 'big.log', read: 50 * MB, total: 100 * MB, done: false})
    now = 1700
    display.update({input: 'big.log', read: 60 * MB, total: 100 * MB, done: false}) // within 200 ms: skipped
    now = 2100
    display.update({input: 'big.log', read: 100 * MB, total: 100 * MB, done: true})
    assert.equal(written.length, 2)
    assert.match(written[0], /^\r\u001B\[Kbig\.log {2}50\.0 MB of 100\.0 MB \(50%\) .*ETA/)
    assert.match(written[1], /^\r\u001B\[Kbig\.log {2}100\.0 MB of 100\.0 MB \(100%\) {2}\d+\.\d MB\/s\n$/)
  })
})

describe('progress past the total', () => {
  it('never shows more bytes read than the total: a growing file or gzip count that runs past its starting size', () => {
    const line = progressLine({input: 'mail.log', read: 130 * MB, total: 100 * MB, done: false}, 1000)
    assert.equal(line, 'mail.log  130.0 MB of 130.0 MB (99%)  130.0 MB/s')
    const done = progressLine({input: 'mail.log.gz', read: 130 * MB, total: 100 * MB, done: true}, 1000)
    assert.equal(done, 'mail.log.gz  130.0 MB of 130.0 MB (100%)  130.0 MB/s')
  })
})
