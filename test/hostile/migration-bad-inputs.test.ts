import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {before, describe, it} from 'node:test'
import {gzipSync} from 'node:zlib'

import type {MigrationReport} from '../../src/migration/check.js'
import {root, spawnCli} from '../helpers/run.js'

/**
 * Each bad `migration check` input of issue 7, next to a good one: one stderr line naming the input (and
 * the line), status 2, and every user of the good input still reported. Real processes: real statuses.
 */
const dir = mkdtempSync(join(tmpdir(), 'dovediag-migration-hostile-'))
const at = (name: string) => join(dir, name)
// Good users, all done: users needing action (status 1) or a suspend-all code (3) would outrank the input
// problems' status 2.
const good = at('good.tsv')
writeFileSync(
  good,
  readFileSync(resolve(root, 'fixtures/migration/wave.tsv'), 'utf8')
    .split('\n')
    .filter((line, index) => index === 0 || /^\S+\t0\t/.test(line))
    .join('\n'),
)

writeFileSync(at('broken-quote.csv'), 'user,exit_code\nbad1@example.com,0\n"bad2@example.com,0\nbad3@example.com,0\n')
writeFileSync(at('ragged.csv'), 'user,exit_code\nbad1@example.com,0,surplus,fields\nbad2@example.com,0\n')
writeFileSync(at('no-user.csv'), 'user,exit_code\n,0\nbad2@example.com,0\n')
writeFileSync(at('bad-code.csv'), 'user,exit_code\nbad1@example.com,seventy-five\nbad2@example.com,0\n')
writeFileSync(at('syntax.json'), '[\n  {"user": "bad1@example.com", "exit_code": 0},\n  {"user": "bad2@example.com" "exit_code": 0}\n]\n')
writeFileSync(
  at('one-bad.jsonl'),
  '{"user": "bad1@example.com", "exit_code": 0}\n{"user": "bad2@example.com", "exit_code": \n{"user": "bad3@example.com", "exit_code": 0}\n',
)
writeFileSync(at('unknown-api.json'), '[["doveadmResponse", {"unexpected": true}]]\n')
writeFileSync(at('empty.csv'), '')
writeFileSync(at('binary.csv'), Buffer.from('user,exit_code\nbad1@example.com,0\u0000\u0001\u0002\n'))
writeFileSync(at('truncated.csv.gz'), gzipSync(readFileSync(good)).subarray(0, 200))
mkdirSync(at('given-dir'))

interface MigrationCase {
  name: string
  input: string
  stderr: RegExp
  /** Users of the bad input that are still read (the good rows beside the bad one). */
  users?: string[]
}

const CASES: MigrationCase[] = [
  {
    name: 'CSV with broken quoting',
    input: at('broken-quote.csv'),
    stderr: /broken-quote\.csv:3: /,
    users: ['bad1@example.com', 'bad3@example.com'],
  },
  {
    name: 'CSV with ragged rows',
    input: at('ragged.csv'),
    stderr: /ragged\.csv:2: 4 fields where the header has 2/,
    users: ['bad2@example.com'],
  },
  {name: 'a row without a user', input: at('no-user.csv'), stderr: /no-user\.csv:2: .*user/, users: ['bad2@example.com']},
  {name: 'a non-numeric exit code', input: at('bad-code.csv'), stderr: /bad-code\.csv:2: .*seventy-five/, users: ['bad2@example.com']},
  {name: 'JSON with a syntax error at line 3', input: at('syntax.json'), stderr: /syntax\.json:3: not valid JSON/},
  {
    name: 'JSON Lines with one bad line',
    input: at('one-bad.jsonl'),
    stderr: /one-bad\.jsonl:2: not valid JSON/,
    users: ['bad1@example.com', 'bad3@example.com'],
  },
  {name: 'an HTTP API payload of unknown shape', input: at('unknown-api.json'), stderr: /unknown-api\.json/},
  {name: 'an empty file', input: at('empty.csv'), stderr: /empty\.csv: empty input/},
  {name: 'a binary file', input: at('binary.csv'), stderr: /binary\.csv: .*binary/},
  {name: 'a truncated gzip', input: at('truncated.csv.gz'), stderr: /truncated\.csv\.gz: compressed data is truncated or corrupt/},
  {name: 'a missing file', input: at('missing.csv'), stderr: /missing\.csv: not found/},
  {name: 'a glob matching nothing', input: at('nothing-*.csv'), stderr: /nothing-\*\.csv: matches no file/},
  {name: 'a directory', input: at('given-dir'), stderr: /given-dir: .*directory/},
]

describe('dovediag migration check: each bad input next to a good one', () => {
  let goodUsers: string[] = []
  before(async () => {
    const {stdout} = await spawnCli(['migration', 'check', good, '--json'])
    goodUsers = (JSON.parse(stdout) as MigrationReport).users.map((user) => user.user)
    assert.ok(goodUsers.length > 100)
  })

  for (const c of CASES) {
    it(c.name, async () => {
      const {stdout, stderr, status} = await spawnCli(['migration', 'check', c.input, good, '--json'], {env: {NO_COLOR: '1'}})
      assert.equal(status, 2, stderr)
      const lines = stderr.split('\n').filter(Boolean)
      assert.equal(lines.length, 1, stderr)
      assert.match(lines[0], /^dovediag: /)
      assert.match(lines[0], c.stderr)
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace')
      const report = JSON.parse(stdout) as MigrationReport
      assert.equal(report.status, 2)
      const users = report.users.map((user) => user.user)
      for (const user of goodUsers) assert.ok(users.includes(user), `${user} of the good input is reported`)
      assert.deepEqual(users.filter((user) => user.startsWith('bad')).sort(), c.users ?? [])
    })
  }
})
