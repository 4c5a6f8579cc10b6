import assert from 'node:assert/strict'
import {mkdtemp, readdir, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {XMLParser, XMLValidator} from 'fast-xml-parser'

import {ExitStatus} from '../../src/exit-status.js'
import type {MigrationReport} from '../../src/migration/check.js'
import {run, spawnCli} from '../helpers/run.js'

const WAVE = 'fixtures/migration/wave.csv'

async function dir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'dovediag-check-'))
}

async function csv(content: string): Promise<string> {
  const path = join(await dir(), 'results.csv')
  await writeFile(path, content)
  return path
}

describe('dovediag migration check', () => {
  it('text lists at most 200 users per action and says where the rest are; --json keeps them all', async () => {
    const rows = Array.from({length: 250}, (_, i) => `user${String(i).padStart(3, '0')}@example.com,75`)
    const input = await csv(`user,exit_code\n${rows.join('\n')}\n`)
    const {stdout} = await run(['migration', 'check', input])
    assert.match(stdout, /user199@example\.com/)
    assert.doesNotMatch(stdout, /user200@example\.com/)
    assert.match(stdout, /… and 50 more: the full list is in --json/)
    const {result} = await run<MigrationReport>(['migration', 'check', input, '--json'])
    assert.equal(result!.users.filter((user) => user.action === 'retry').length, 250)
  })

  it('exits 0 when every user is done for the phase, 1 when some need action', async () => {
    const path = await csv('user,exit_code\na@example.com,0\nb@example.com,2\n')
    const intermediate = await run(['migration', 'check', path])
    assert.equal(intermediate.status, ExitStatus.OK)
    assert.match(intermediate.stdout, /every user is done for the intermediate phase/)
    const final = await run(['migration', 'check', path, '--phase', 'final'])
    assert.equal(final.status, ExitStatus.ACTION_NEEDED)
    assert.match(final.stdout, /rerun \(1\)/)
  })

  it('puts suspend-all first and exits 3, even with bad rows', async () => {
    const {stdout, stderr, status} = await run(['migration', 'check', WAVE, 'fixtures/migration/bad/bad-rows.csv'])
    assert.equal(status, ExitStatus.SUSPEND_ALL)
    assert.match(
      stdout.split('\n')[0],
      /^SUSPEND ALL MIGRATIONS: suspend-all codes seen on any attempt \(users per code\): 77 EX_NOPERM ×1, 78 EX_CONFIG ×2; 2 user\(s\) whose latest result is suspend-all, 1 more only on an earlier attempt$/,
    )
    assert.match(stderr, /bad-rows\.csv:4: exit code 'seventy-five'/)
    assert.match(stdout, /4 input problem\(s\), listed on stderr/)
  })

  it('exits 2 for bad rows and unreadable input, and still reports the rest', async () => {
    const path = await csv('user,exit_code\na@example.com,0\n,75\n')
    const {result, stderr, status} = await run<MigrationReport>(['migration', 'check', path, 'missing.csv', '--json'])
    assert.equal(status, ExitStatus.INPUT_ERROR)
    assert.match(stderr, /results\.csv:3: no user in this row; row skipped/)
    assert.match(stderr, /missing\.csv: not found/)
    assert.equal(result?.totals.problems, 2)
    assert.deepEqual(
      result?.users.map((user) => user.user),
      ['a@example.com'],
    )
  })

  it('exits 2 for an input with no user results, as for an empty CSV or []', async () => {
    for (const input of ['fixtures/migration/wave-http-requests.json', await csv('user,exit_code\n'), await csv('[]')]) {
      const {stdout, stderr, status} = await run(['migration', 'check', input])
      assert.equal(status, ExitStatus.INPUT_ERROR, input)
      assert.match(stderr, new RegExp(`^dovediag: ${input.replaceAll('.', '\\.')}: `), input)
      assert.match(stdout, /0 users .*1 input problem\(s\)/, input)
    }
  })

  it('counts an attempt once when overlapping exports report it, and says so', async () => {
    const single = await run<MigrationReport>(['migration', 'check', WAVE, '--max-retries', '2', '--json'])
    const overlapping = ['fixtures/migration/wave.csv*', 'fixtures/migration/wave.jsonl', 'fixtures/migration/wave.joblog']
    const merged = await run<MigrationReport>(['migration', 'check', ...overlapping, '--max-retries', '2', '--json'])
    assert.equal(merged.result?.totals.inputs, 4)
    assert.equal(merged.result?.totals.duplicateAttempts, 3 * single.result!.totals.rows)
    assert.deepEqual(merged.result?.totals.byAction, single.result?.totals.byAction)
    assert.deepEqual(
      merged.result?.users.map((user) => [user.user, user.attempts, user.action]),
      single.result?.users.map((user) => [user.user, user.attempts, user.action]),
    )
    const text = await run(['migration', 'check', ...overlapping, '--max-retries', '2'])
    assert.match(text.stdout, /in 4 input\(s\); 1104 duplicate attempt\(s\) merged/)
    const markdown = await run(['migration', 'check', ...overlapping, '--format', 'markdown'])
    assert.match(markdown.stdout, /1104 duplicate attempt\(s\) merged/)
  })

  it('--json has the documented shape', async () => {
    const {result, status} = await run<MigrationReport>(['migration', 'check', WAVE, '--json', '--phase', 'final', '--max-retries', '3'])
    assert.equal(status, ExitStatus.SUSPEND_ALL)
    assert.equal(result?.status, ExitStatus.SUSPEND_ALL)
    assert.deepEqual(Object.keys(result).sort(), [
      'complete',
      'inputs',
      'maxRetries',
      'phase',
      'problems',
      'status',
      'suspendAll',
      'suspendAllCauses',
      'suspendAllSummary',
      'totals',
      'users',
      'warnings',
    ])
    assert.equal(result?.suspendAll, true)
    assert.equal(result?.totals.users, 300)
    const user = result.users.find((each) => each.code === 73)!
    for (const key of [
      'user',
      'code',
      'label',
      'action',
      'attempts',
      'reason',
      'advice',
      'investigate',
      'doneWithErrors',
      'unmappedTag',
      'signal',
      'diagnosis',
      'host',
      'source',
    ])
      assert.ok(key in user, key)
    assert.equal(user.investigate, true)
    assert.equal(
      Object.values(result.totals.byAction).reduce((a, b) => a + b, 0),
      300,
    )
  })

  it('every format gives the same suspend-all counts, and names users whose code was on an earlier attempt', async () => {
    const {result} = await run<MigrationReport>(['migration', 'check', WAVE, '--json'])
    const summary = result!.suspendAllSummary
    assert.deepEqual(summary, {
      codesSeen: [
        {code: 77, label: 'EX_NOPERM', users: 1, attempts: 1},
        {code: 78, label: 'EX_CONFIG', users: 2, attempts: 2},
      ],
      usersSeen: 3,
      usersDeciding: 2,
      usersEarlierOnly: 1,
    })
    assert.equal(summary.usersDeciding, result!.totals.byAction['suspend-all'], 'the deciding count is the suspend-all action count')
    assert.deepEqual(
      result!.suspendAllCauses.map((cause) => [cause.user, cause.deciding]),
      [
        ['user016@example.com', true],
        ['user017@example.com', true],
        ['user200@example.com', false],
      ],
    )
    const sentence =
      'suspend-all codes seen on any attempt (users per code): 77 EX_NOPERM ×1, 78 EX_CONFIG ×2; 2 user(s) whose latest result is suspend-all, 1 more only on an earlier attempt'
    for (const format of ['text', 'github', 'markdown', 'junit']) {
      const {stdout} = await run(['migration', 'check', WAVE, '--format', format])
      assert.ok(stdout.includes(sentence), `${format}: ${stdout.slice(0, 600)}`)
      assert.match(
        stdout,
        /user200@example\.com`?:? .*78 EX_CONFIG \(attempt 1, earlier attempt\)|user200@example\.com \(earlier attempt\)/,
        format,
      )
      assert.doesNotMatch(stdout, /78 EX_CONFIG ×1/, format)
    }
    const text = await run(['migration', 'check', WAVE])
    assert.match(text.stdout, /users by latest result: suspend-all 2 · /)
  })

  it('--format junit is valid XML with one uniquely named testcase per user', async () => {
    const {stdout} = await run(['migration', 'check', WAVE, 'fixtures/migration/bad/bad-rows.csv', '--format', 'junit', '--phase', 'final'])
    assert.equal(XMLValidator.validate(stdout), true)
    const xml = new XMLParser({ignoreAttributes: false, attributeNamePrefix: ''}).parse(stdout)
    const suite = xml.testsuites.testsuite
    const cases = suite.testcase as {name: string; failure?: {type: string; message: string}; error?: {type: string}}[]
    const names = cases.map((testCase) => testCase.name)
    assert.equal(new Set(names).size, names.length, 'unique names')
    assert.equal(names.filter((name) => name.endsWith('@example.com')).length, 300 + 3)
    assert.equal(Number(suite.tests), cases.length)
    assert.equal(Number(suite.failures), cases.filter((testCase) => testCase.failure).length)
    assert.equal(Number(suite.errors), cases.filter((testCase) => testCase.error).length)
    const suspend = cases.find((testCase) => testCase.error?.type === 'suspend-all')
    assert.ok(suspend)
    const retry = cases.find((testCase) => testCase.failure?.type === 'retry')!
    assert.match(retry.failure!.message, /^retry: 75 EX_TEMPFAIL/)
    assert.ok(cases.some((testCase) => testCase.name.startsWith('input problem: fixtures/migration/bad/bad-rows.csv:3') && testCase.error))
  })

  it('--format junit names an input problem apart from a user who has its name', async () => {
    const path = await csv('user,exit_code\nplaceholder,0\nbad@example.com,not-a-code\n')
    const clash = await csv(`user,exit_code\n"input problem: ${path}:3",0\n`)
    const {stdout} = await run(['migration', 'check', clash, path, '--format', 'junit'])
    assert.equal(XMLValidator.validate(stdout), true)
    const cases = new XMLParser({ignoreAttributes: false, attributeNamePrefix: ''}).parse(stdout).testsuites.testsuite.testcase as {
      name: string
      error?: unknown
    }[]
    assert.deepEqual(
      cases.map((testCase) => [testCase.name, Boolean(testCase.error)]),
      [
        [`input problem: ${path}:3`, false],
        ['placeholder', false],
        [`input problem: ${path}:3 (1)`, true],
      ],
    )
  })

  it('--format junit escapes what stderr and user names hold', async () => {
    const path = await csv('user,exit_code,stderr\n"<x&\'y"">@example.com",75,"Error: a < b & \u0001 c"\n')
    const {stdout} = await run(['migration', 'check', path, '--format', 'junit'])
    assert.equal(XMLValidator.validate(stdout), true)
    const xml = new XMLParser({ignoreAttributes: false, attributeNamePrefix: ''}).parse(stdout)
    const testCase = xml.testsuites.testsuite.testcase
    assert.equal(testCase.name, `<x&'y">@example.com`)
    assert.match(testCase.failure['#text'], /advice: /)
    assert.doesNotMatch(stdout, /\u0001/, 'control characters cannot appear in XML 1.0')
  })

  it('--format github aggregates annotations within the per-step limits and writes the step summary', async () => {
    const summary = join(await dir(), 'summary.md')
    const {stdout, status} = await spawnCli(['migration', 'check', WAVE, 'fixtures/migration/bad/bad-rows.csv', '--format', 'github'], {
      env: {GITHUB_STEP_SUMMARY: summary},
    })
    assert.equal(status, ExitStatus.SUSPEND_ALL)
    const lines = stdout.trim().split('\n')
    const errors = lines.filter((line) => line.startsWith('::error '))
    const warnings = lines.filter((line) => line.startsWith('::warning '))
    assert.ok(errors.length >= 2 && errors.length <= 10, stdout)
    assert.ok(warnings.length >= 1 && warnings.length <= 10, stdout)
    assert.equal(lines.length, errors.length + warnings.length, 'nothing but annotations, one per line')
    assert.match(stdout, /^::error title=Suspend all migrations::/m)
    assert.match(stdout, /EX_TEMPFAIL ×\d+/)
    const markdown = await readFile(summary, 'utf8')
    assert.match(markdown, /^## dovediag migration check \(intermediate phase\)/)
    assert.match(markdown, /\| user \| action \| code \| label \| attempts \| reason \|/)
  })

  it('shows control characters from the export as escapes, never raw', async () => {
    // A user name with one is refused (it could not go on a list); other text is shown escaped.
    const path = await csv('user,exit_code,stderr\n"evil\u001b[2J@example.com",75,\nplain@example.com,75,"Error: \u001b]0;owned\u0007"\n')
    for (const format of ['text', 'markdown', 'github']) {
      const {stdout, stderr} = await run(['migration', 'check', path, '--format', format])
      assert.doesNotMatch(stdout + stderr, /\u001b|\u0007/, format)
      assert.match(stderr, /evil\\u001b\[2J@example\.com/, format)
      if (format !== 'github') assert.match(stdout, /Error: \\e\]0;owned\\x07/, format)
    }
  })

  it('--format markdown keeps table rows whole', async () => {
    const path = await csv('user,exit_code,stderr\na|b@example.com,75,"line one\nError: line | two"\n')
    const {stdout} = await run(['migration', 'check', path, '--format', 'markdown'])
    const row = stdout.split('\n').find((line) => line.includes('a\\|b@example.com'))!
    assert.match(row, /^\| `a\\\|b@example.com` \| retry \| 75 \| EX_TEMPFAIL \| 1 \| .*Error: line \\\| two \|$/)
  })

  it('writes the retry and remove lists whole, one user per line, never over an input', async () => {
    const work = await dir()
    const input = join(work, 'wave.csv')
    await writeFile(
      input,
      'user,exit_code,attempt\na@example.com,75,1\nb@example.com,0,1\nc@example.com,67,1\nd@example.com,2,1\na@example.com,75,2\n',
    )
    const retry = join(work, 'retry.txt')
    const remove = join(work, 'remove.txt')
    await writeFile(retry, 'stale\n')
    const {status} = await run(['migration', 'check', input, '--phase', 'final', '--retry-file', retry, '--remove-file', remove])
    assert.equal(status, ExitStatus.ACTION_NEEDED)
    assert.equal(await readFile(retry, 'utf8'), 'a@example.com\nd@example.com\n')
    assert.equal(await readFile(remove, 'utf8'), 'c@example.com\n')
    assert.deepEqual((await readdir(work)).sort(), ['remove.txt', 'retry.txt', 'wave.csv'], 'no temporary file left behind')

    const refused = await run(['migration', 'check', input, '--retry-file', join(work, '.', 'wave.csv')])
    assert.equal(refused.status, ExitStatus.USAGE)
    assert.match(refused.stderr, /--retry-file .* is one of the inputs; refusing to overwrite it/)
    assert.match(await readFile(input, 'utf8'), /^user,exit_code,attempt\n/)
  })

  it('reads stdin and says how to give input when there is none', async () => {
    const piped = await spawnCli(['migration', 'check', '-', '--json'], {input: 'user,rc\njdoe@example.com,78\n'})
    assert.equal(piped.status, ExitStatus.SUSPEND_ALL)
    assert.equal(JSON.parse(piped.stdout).users[0].action, 'suspend-all')
    const none = await run(['migration', 'check'])
    assert.equal(none.status, ExitStatus.USAGE)
    assert.match(none.stderr, /no input given/)
  })
})
