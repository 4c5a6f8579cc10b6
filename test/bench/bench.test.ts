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
  it('generates a log, measures dovediag, grep, cat, migration check and adversarial lines, and writes the table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovediag-bench-'))
    const out = join(dir, 'RESULTS.md')
    const {stdout} = await promisify(execFile)(process.execPath, ['bench/run.mjs', '--sizes', '1MB', '--runs', '1', '--migration-rows', '500', '--adversarial', '1', '--data', dir, '--out', out], {cwd: root, env: {...process.env, DOVEDIAG_SPLIT_MIN_BYTES: '1'}})
    // Also run split in two (any size, here): the benchmark fails if that report differs from the one-core one.
    assert.match(stdout, /1MB: dovediag [\d.]+ s \d+ MB \(one core [\d.]+ s \d+ MB\) \| grep -E [\d.]+ s \| cat [\d.]+ s \| dovediag\/grep [\d.]+/)
    const table = readFileSync(out, 'utf8')
    assert.match(table, /\| 1MB \(1 MB\) \| 6\d{3} \| [\d.]+ s \| \d+ MB \| [\d.]+ s \| \d+ MB \| [\d.]+ s \(\d+ lines/)
    assert.match(table, /migration check --json, 500 rows \| [\d.]+ s/)
    assert.match(table, /migration check --json, 500 JSON Lines rows \| [\d.]+ s/)
    assert.match(table, /one 1 MB line \| [\d.]+ s/)
  })
})
