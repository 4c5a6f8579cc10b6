import assert from 'node:assert/strict'
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {Readable} from 'node:stream'
import {describe, it} from 'node:test'
import {gzipSync} from 'node:zlib'

import {compileTagPattern, DEFAULT_TAG_READER} from '../../src/migration/api-tags.js'
import {collectRows} from '../../src/migration/collect.js'
import {userFromCommand} from '../../src/migration/columns.js'
import {detectFormat} from '../../src/migration/detect.js'
import type {MigrationRow} from '../../src/policy/migration-row.js'
import type {MigrationProblem} from '../../src/migration/record.js'
import {MigrationLedger} from '../../src/policy/migration.js'

const FIXTURES = 'fixtures/migration'

async function collect(args: string[], options: {stdin?: Readable; tagPattern?: string; format?: 'csv'} = {}) {
  const rows: MigrationRow[] = []
  const result = await collectRows(args, {
    overrides: {},
    tags: {pattern: await compileTagPattern(options.tagPattern), given: options.tagPattern !== undefined},
    stdin: options.stdin,
    format: options.format,
    onRow: (row) => rows.push(row),
  })
  return {rows, problems: result.problems, inputs: result.inputs}
}

async function verdictsOf(args: string[]) {
  const ledger = new MigrationLedger({phase: 'final', maxRetries: null})
  const {rows, problems} = await collect(args)
  for (const row of rows) ledger.add(row)
  return {verdicts: ledger.verdicts().map((v) => `${v.user} ${v.action} ${v.label} ${v.attempts}`), problems}
}

async function temp(name: string, content: string | Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dovediag-migration-'))
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}

const message = (problems: MigrationProblem[]) => problems.map((p) => `${p.line ?? '-'}: ${p.message}`)

describe('migration readers', () => {
  it('detects each format from its first line', () => {
    assert.equal(detectFormat('user,exit_code,stderr'), 'csv')
    assert.equal(detectFormat('username\texitcode'), 'tsv')
    assert.equal(detectFormat('Login;RC;Try'), 'semicolon')
    assert.equal(detectFormat('Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand'), 'joblog')
    assert.equal(detectFormat('{"user": "a", "code": 0}'), 'jsonl')
    assert.equal(detectFormat('[["doveadmResponse",[],"a"]]'), 'jsonl')
    assert.equal(detectFormat('['), 'json')
    assert.equal(detectFormat('  '), null)
  })

  it('gives the same verdict per user from every export format of the same wave', async () => {
    const reference = await verdictsOf([`${FIXTURES}/wave.csv`])
    assert.equal(reference.verdicts.length, 300)
    assert.deepEqual(reference.problems, [])
    // The wave itself written out (every format is compared with it below): actions per user, and the first users.
    const actions = new Map<string, number>()
    for (const verdict of reference.verdicts) actions.set(verdict.split(' ')[1], (actions.get(verdict.split(' ')[1]) ?? 0) + 1)
    assert.deepEqual(Object.fromEntries([...actions].sort()), {
      done: 185,
      fail: 39,
      'remove-user': 16,
      rerun: 35,
      retry: 23,
      'suspend-all': 2,
    })
    assert.deepEqual(reference.verdicts.slice(0, 3), [
      'user001@example.com fail FAILURE 1',
      'user002@example.com rerun DOVEADM_EX_CHANGED 1',
      'user003@example.com fail EX_USAGE 1',
    ])
    for (const file of [
      'wave.csv.gz',
      'wave.tsv',
      'wave-semicolon.csv',
      'wave.json',
      'wave.jsonl',
      'wave-http-api.jsonl',
      'wave.joblog',
      'wave-parallel-results.csv',
    ]) {
      const other = await verdictsOf([`${FIXTURES}/${file}`])
      assert.deepEqual(other.problems, [], file)
      assert.deepEqual(other.verdicts, reference.verdicts, file)
    }
  })

  it('keeps quoted multi-line stderr whole and numbers rows by their first line, CRLF or not', async () => {
    const {rows, problems} = await collect([`${FIXTURES}/bad/bad-rows.csv`])
    const multiline = rows.find((row) => row.user === 'multiline@example.com')!
    assert.equal(multiline.line, 6)
    assert.match(multiline.stderr!, /index\.log\ndsync-local\(multiline@example\.com\): Error: Mailbox INBOX: sync failed$/)
    assert.equal(rows.find((row) => row.user === 'ok2@example.com')!.line, 8 + 1, 'the line after a two-line record')
    assert.deepEqual(message(problems), [
      '3: no user in this row; row skipped',
      "4: exit code 'seventy-five' for user badcode@example.com is not a number or a known label; row skipped",
      '5: 2 fields where the header has 4; row skipped',
      '8: no exit code for user nocode@example.com; row skipped',
    ])
  })

  it('numbers CSV rows after blank lines by the line they are on', async () => {
    const {rows, problems} = await collect([await temp('blank.csv', 'user,code\n\n\na@example.com,0\n\nb@example.com,"75"\n\n')])
    assert.deepEqual(problems, [])
    assert.deepEqual(
      rows.map((row) => [row.user, row.line]),
      [
        ['a@example.com', 4],
        ['b@example.com', 6],
      ],
    )
  })

  it('reads a GNU parallel joblog: the user from -u, the signal from its column', async () => {
    const {rows} = await collect([`${FIXTURES}/wave.joblog`])
    // Seq 32: Starttime 1795395965.697, JobRuntime 283.340, Exitval 0, Signal 9, `-u 'user032@example.com'`.
    const killed = rows.find((row) => row.signal === 9)!
    assert.deepEqual(
      [killed.user, killed.code, killed.line, killed.started, killed.finished],
      ['user032@example.com', 0, 33, 1795395965697, 1795395965697 + 283340],
    )
    assert.equal(userFromCommand(`sh -c "doveadm backup -u 'a b@example.com' imapc:"`), 'a b@example.com')
    assert.equal(userFromCommand('doveadm backup -u jdoe imapc:'), 'jdoe')
    assert.equal(userFromCommand('doveadm backup -A imapc:'), null)
  })

  it('joins HTTP API responses to users by tag, not by position', async () => {
    const requests = JSON.stringify([
      ['sync', {user: 'alice@example.com'}, 't1'],
      ['sync', {user: 'bob@example.com'}, 't2'],
      ['sync', {user: 'carol@example.com'}, 't3'],
    ])
    // Answered in another order than asked, in one payload.
    const responses = JSON.stringify([
      ['error', {exitCode: 67, type: 'exitCode'}, 't3'],
      ['doveadmResponse', [], 't1'],
      ['error', {exitCode: 75, type: 'exitCode'}, 't2'],
    ])
    const {rows, problems} = await collect([await temp('requests.json', requests), await temp('responses.json', responses)])
    assert.deepEqual(problems, [])
    assert.deepEqual(rows.map((row) => [row.user, row.code]).sort(), [
      ['alice@example.com', 0],
      ['bob@example.com', 75],
      ['carol@example.com', 67],
    ])
  })

  it('reports an input of API requests only that no response answers: it gives no user results', async () => {
    const alone = await collect([`${FIXTURES}/wave-http-requests.json`])
    assert.deepEqual(alone.rows, [])
    assert.deepEqual(message(alone.problems), [
      '-: only doveadm HTTP API requests, and no input has a response to any of them: no user results',
    ])
    // Beside the responses it names the users for, it is no problem.
    const paired = await collect([`${FIXTURES}/wave-http-requests.json`, `${FIXTURES}/wave-http-responses.json`])
    assert.deepEqual(paired.problems, [])
    // The responses' tags (req-40, req-16, req-4...) read back as the users the requests named.
    assert.equal(paired.rows.length, 42)
    assert.deepEqual(
      paired.rows.slice(0, 3).map((row) => [row.user, row.code]),
      [
        ['user040@example.com', 0],
        ['user016@example.com', 77],
        ['user004@example.com', 65],
      ],
    )
  })

  it('reads the user and attempt from the tag, with a pattern of your own', async () => {
    const lines = [
      '[["error",{"exitCode":75,"type":"exitCode"},"jdoe@example.com#2"]]',
      '["doveadmResponse",[],"jdoe@example.com#3"]',
      '[["error",{"type":"unAuthorized"},"wave7/kim@example.com"]]',
    ].join('\n')
    const path = await temp('api.jsonl', lines)
    const {rows} = await collect([path])
    assert.deepEqual(
      rows.slice(0, 2).map((row) => [row.user, row.code, row.attempt]),
      [
        ['jdoe@example.com', 75, 2],
        ['jdoe@example.com', 0, 3],
      ],
    )
    assert.deepEqual([rows[2].user, rows[2].apiError], ['wave7/kim@example.com', 'unAuthorized'])
    const custom = await collect([path], {tagPattern: '^(?:wave\\d+/)?(?<user>[^#]+)(?:#(?<attempt>\\d+))?$'})
    assert.equal(custom.rows[2].user, 'kim@example.com')
  })

  it('reports JSON problems with their line and goes on', async () => {
    const jsonl = await collect([`${FIXTURES}/bad/bad.jsonl`])
    assert.deepEqual(
      jsonl.rows.map((row) => row.user),
      ['a@example.com', 'd@example.com'],
    )
    assert.deepEqual(
      message(jsonl.problems).map((text) => text.replace(/JSON: .*;/, 'JSON: …;')),
      [
        '2: not valid JSON: …; line skipped',
        '3: no user in this row; skipped',
        "5: exit code 'n/a' for user c@example.com is not a number or a known label; skipped",
      ],
    )
    // A whole document has no line per item: its problems name the item, through nested arrays.
    const nested = await collect([
      await temp('nested.json', JSON.stringify([{user: 'a', code: 0}, [{user: 'b'}, 5, ['doveadmResponse', 1]], 'x'], null, 2)),
    ])
    assert.deepEqual(
      nested.rows.map((row) => row.user),
      ['a'],
    )
    assert.deepEqual(message(nested.problems), [
      '-: item 2, item 1: no exit code for user b; skipped',
      '-: item 2, item 2: expected a result object or a doveadm API response, found 5',
      '-: item 2, item 3: doveadm HTTP API doveadmResponse of unknown shape: expected ["doveadmResponse", ..., "tag"]; skipped',
      '-: item 3: expected a result object or a doveadm API response, found "x"',
    ])
    const broken = await collect([`${FIXTURES}/bad/broken.json`])
    assert.equal(broken.problems[0].line, 4)
    assert.match(broken.problems[0].message, /not valid JSON/)
  })

  it('a big export whose header gives no rows is that one problem, not also a file that got shorter', async () => {
    // Over 1 MB: reading stops at the header, many reads before the end. It was also reported as truncated
    // ('got shorter while it was read'), which made the report incomplete.
    const rows = Array.from({length: 60_000}, (_, index) => `u${index}@example.com,0`).join('\n')
    const path = await temp('no-columns-big.csv', `name,result\n${rows}\n`)
    const {problems} = await collectRows([path], {
      overrides: {},
      tags: {pattern: DEFAULT_TAG_READER, given: false},
      onRow: () => {},
    })
    assert.deepEqual(
      problems.map((p) => [p.line, p.message.split(':')[0]]),
      [[1, 'not a migration result header']],
    )
  })

  it('reports empty, header-only, unrecognised and missing inputs, and reads the others', async () => {
    const {rows, problems} = await collect([
      `${FIXTURES}/bad/empty.csv`,
      `${FIXTURES}/bad/header-only.csv`,
      `${FIXTURES}/bad/no-columns.csv`,
      'no/such/file.csv',
      'no/such/*.csv',
      `${FIXTURES}/wave-semicolon.csv`,
    ])
    assert.equal(new Set(rows.map((row) => row.user)).size, 300)
    assert.deepEqual(
      problems.map((p) => [p.source, p.message.split(/[:(]/)[0]]),
      [
        ['no/such/file.csv', 'not found'],
        ['no/such/*.csv', 'matches no file'],
        [`${FIXTURES}/bad/empty.csv`, 'empty input'],
        [`${FIXTURES}/bad/header-only.csv`, 'no result rows after the header'],
        [`${FIXTURES}/bad/no-columns.csv`, 'not a migration result header'],
      ],
    )
  })

  it('reads stdin, gzipped or not, and a forced format', async () => {
    const csv = 'user;exit_code\njdoe@example.com;75\n'
    const plain = await collect(['-'], {stdin: Readable.from([Buffer.from(csv)])})
    assert.deepEqual(
      plain.rows.map((row) => [row.user, row.code, row.source]),
      [['jdoe@example.com', 75, '-']],
    )
    const gzipped = await collect(['-'], {stdin: Readable.from([gzipSync(csv)])})
    assert.deepEqual(
      gzipped.rows.map((row) => row.code),
      [75],
    )
    const forced = await collect([await temp('x.txt', 'user,rc\n"a;b",0\n')], {format: 'csv'})
    assert.deepEqual(
      forced.rows.map((row) => row.user),
      ['a;b'],
    )
  })

  it('refuses a directory, reads a file named twice once, and keeps the rows before a truncated gzip', async () => {
    const csv = await temp('wave.csv', 'user,exit_code\na@example.com,0\n')
    const rows = Array.from({length: 2000}, (_, i) => `u${i * 7919}@example.com,75`).join('\n')
    const whole = gzipSync(`user,exit_code\n${rows}\n`)
    const cut = await temp('cut.csv.gz', whole.subarray(0, whole.length - 100))
    const {rows: read, problems, inputs} = await collect([dirname(csv), csv, `${dirname(csv)}/./wave.csv`, cut])
    assert.deepEqual(
      inputs.map((input) => input.name),
      [dirname(csv), csv, cut],
    )
    assert.equal(read.filter((row) => row.source === csv).length, 1)
    assert.ok(read.filter((row) => row.source === cut).length > 1000)
    assert.deepEqual(
      problems.map((p) => [p.source, p.message.replace(/\(.*\)/, '(…)')]),
      [
        [dirname(csv), 'is a directory (…)'],
        [cut, 'compressed data is truncated or corrupt (…): what came before it was read'],
      ],
    )
  })
})
