import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {promisify} from 'node:util'

import {root} from '../helpers/run.js'

// The benchmark at a tiny size, so it keeps working: what it measures is not asserted (speed is measured
// in bench/, never in tests), only that every measurement was made and written.
describe('the benchmark', () => {
  it('measures dovediag against the baselines on both logs, interleaved, and writes the table with the load average', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovediag-bench-'))
    const out = join(dir, 'RESULTS.md')
    // Peers are asked for but may be missing here: a missing one is a note, not a failure.
    const {stdout} = await promisify(execFile)(
      process.execPath,
      [
        'bench/run.mjs',
        '--size',
        '300KB',
        '--runs',
        '1',
        '--startup-runs',
        '1',
        '--peers',
        'rg,grep-all',
        '--rss-sizes',
        '',
        '--migration-rows',
        '500',
        '--adversarial',
        '1',
        '--data',
        dir,
        '--out',
        out,
      ],
      {cwd: root},
    )
    for (const log of ['gen', 'real-mix']) {
      assert.match(
        stdout,
        new RegExp(
          `${log} 300KB: dovediag median [\\d.]+ s best [\\d.]+ s cpu [\\d.]+ s \\d+ MB ×grep ([\\d.]+|–) \\(\\d+ findings, \\d+ records\\)`,
        ),
      )
      assert.match(stdout, new RegExp(`${log} 300KB: grep median .*\\(\\d+ lines\\)`))
    }
    const table = readFileSync(out, 'utf8')
    assert.match(table, /Load average \(1 min\) during the runs: [\d.]+–[\d.]+/)
    assert.match(
      table,
      /## real-mix, 0 MB[\s\S]*\| dovediag logs --json \| [\d.]+ s \| [\d.]+ s \| [\d.]+ s \| \d+ MB \| ([\d.]+|–) \| ([\d.]+|–) \| \d+ findings/,
    )
    assert.match(table, /\| cat > \/dev\/null \| [\d.]+ s/)
    assert.match(table, /ripgrep \(rg -c|rg: not installed, column skipped/)
    assert.match(table, /\| dovediag exit 75 \| [\d.]+ s/)
    assert.match(table, /migration check --json, 500 rows \(CSV\) \| [\d.]+ s/)
    assert.match(table, /migration check --json, 500 rows \(JSON Lines\) \| [\d.]+ s/)
    assert.match(table, /one 1 MB line \| [\d.]+ s/)
  })
})
