import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {root, spawnCli} from '../helpers/run.js'

const files = (dir: string): string[] =>
  readdirSync(join(root, dir), {withFileTypes: true})
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.mjs'))
    .map((entry) => join(dir, entry.name))

// The fast path (one search of each message for all the rules' literals) must change nothing a user sees.
describe('the fast path', () => {
  const sets: Record<string, string[]> = {
    sample: ['fixtures/sample.log'],
    'per-format logs': [...files('fixtures/logs'), 'fixtures/logs/rotated'],
    'ordinary traffic': files('fixtures/ordinary'),
  }
  for (const [name, inputs] of Object.entries(sets)) {
    it(`gives the same --json document as the slow path on the ${name} fixtures`, async () => {
      const fast = await spawnCli(['logs', '--json', ...inputs], {cwd: root})
      const slow = await spawnCli(['logs', '--json', ...inputs], {cwd: root, env: {...process.env, DOVEDIAG_FAST_PATH: '0'}})
      assert.equal(fast.status, slow.status)
      assert.ok(JSON.parse(fast.stdout).records > 0, 'the fixtures hold records')
      assert.equal(fast.stdout, slow.stdout)
    })
  }
})
