import assert from 'node:assert/strict'
import {chmod, lstat, mkdir, mkdtemp, readdir, readFile, stat, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {gzipSync} from 'node:zlib'

import {ExitStatus} from '../../src/exit-status.js'
import type {MigrationReport} from '../../src/migration/check.js'
import {run} from '../helpers/run.js'

/**
 * Issue 14, points 1–10: the lists a team feeds to `doveadm -F` are data. Each attack next to a good input
 * that still gives its full result.
 */
async function workDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'dovediag-lists-'))
}

const GOOD = 'user,exit_code,attempt\nretry1@example.com,75,1\nremove1@example.com,67,1\ndone1@example.com,0,1\n'

async function check(args: string[]): Promise<{report: MigrationReport; stderr: string; status: number}> {
  const {result, stderr, status} = await run<MigrationReport>(['migration', 'check', ...args, '--json'])
  assert.ok(result, stderr)
  return {report: result, stderr, status}
}

const usersOf = (report: MigrationReport) => Object.fromEntries(report.users.map((user) => [user.user, user.action]))

describe('migration check: the user lists are never wrong', () => {
  it('1: any input problem keeps the old --retry-file and --remove-file, and says so; a clean read writes them', async () => {
    const work = await workDir()
    const good = join(work, 'good.csv')
    await writeFile(good, GOOD)
    const retry = join(work, 'retry.txt')
    const remove = join(work, 'remove.txt')
    const bad: Record<string, string | Buffer> = {
      'truncated.csv.gz': gzipSync(Buffer.from(GOOD.repeat(200))).subarray(0, 60),
      'bad-row.csv': 'user,exit_code\nx@example.com,seventy\n',
    }
    for (const [name, content] of Object.entries(bad)) await writeFile(join(work, name), content)
    for (const input of [...Object.keys(bad).map((name) => join(work, name)), join(work, 'missing.csv')]) {
      await writeFile(retry, 'old-retry@example.com\n')
      await writeFile(remove, 'old-remove@example.com\n')
      const {report, stderr, status} = await check([good, input, '--retry-file', retry, '--remove-file', remove])
      assert.equal(status, ExitStatus.ACTION_NEEDED, input) // users need action: 1 outranks the input problem (README's status order); the problem is in report.problems
      assert.equal(usersOf(report)['retry1@example.com'], 'retry', 'the good input is still read whole')
      assert.match(stderr, /input problem\(s\): --retry-file and --remove-file not written \(the old lists are kept\)/)
      assert.equal(await readFile(retry, 'utf8'), 'old-retry@example.com\n', input)
      assert.equal(await readFile(remove, 'utf8'), 'old-remove@example.com\n', input)
    }
    const clean = await check([good, '--retry-file', retry, '--remove-file', remove])
    assert.equal(clean.status, ExitStatus.ACTION_NEEDED)
    assert.equal(await readFile(retry, 'utf8'), 'retry1@example.com\n')
    assert.equal(await readFile(remove, 'utf8'), 'remove1@example.com\n')
  })

  it('2: a user name with a newline, NUL or ESC is refused (file:line), never split into list lines', async () => {
    const work = await workDir()
    const input = join(work, 'names.csv')
    await writeFile(
      input,
      `${GOOD}"ghost@example.com\nalice@example.com",67,1\n"bell\u0007@example.com",75,1\n"esc\u001b[2J@example.com",75,1\n`,
    )
    const {report, stderr, status} = await check([input])
    assert.equal(status, ExitStatus.ACTION_NEEDED)
    assert.match(stderr, /names\.csv:5: user name "ghost@example.com\\nalice@example.com" holds control characters; row skipped/)
    assert.match(stderr, /names\.csv:7: .*control characters/)
    assert.match(stderr, /names\.csv:8: .*control characters/)
    assert.deepEqual(Object.keys(usersOf(report)).sort(), ['done1@example.com', 'remove1@example.com', 'retry1@example.com'])
    // JSON Lines and API requests too.
    const jsonl = join(work, 'names.jsonl')
    await writeFile(
      jsonl,
      '{"user": "a\\nb@example.com", "exit_code": 67}\n{"user": "nul\\u0000@example.com", "exit_code": 67}\n{"user": "ok@example.com", "exit_code": 67}\n',
    )
    const fromJson = await check([jsonl])
    assert.match(fromJson.stderr, /names\.jsonl:1: user name "a\\nb@example.com" holds control characters/)
    assert.match(fromJson.stderr, /names\.jsonl:2: user name "nul\\u0000@example.com" holds control characters/)
    assert.deepEqual(usersOf(fromJson.report), {'ok@example.com': 'remove-user'})
  })

  it('3: HTTP API: only sync/backup responses are results, a shared tag is a problem, error types are own properties', async () => {
    const work = await workDir()
    const api = join(work, 'api.jsonl')
    await writeFile(
      api,
      [
        '["sync", {"user": "alice@example.com"}, "t1"]',
        '["quotaGet", {"user": "alice@example.com"}, "t2"]',
        '["sync", {"user": "bob@example.com"}, "t3"]',
        '["sync", {"user": "carol@example.com"}, "t3"]',
        '["backup", {"user": "dave@example.com"}, "t4"]',
        '["error", {"type": "exitCode", "exitCode": 75}, "t1"]',
        '["doveadmResponse", [], "t2"]',
        '["doveadmResponse", [], "t3"]',
        '["doveadmResponse", [], "t4"]',
        '["error", {"type": "constructor"}, "proto1@example.com"]',
        '["error", {"type": "toString"}, "proto2@example.com"]',
        '["error", {"type": "__proto__"}, "proto3@example.com"]',
      ].join('\n'),
    )
    const {report, stderr, status} = await check([api])
    assert.equal(status, ExitStatus.ACTION_NEEDED)
    const users = usersOf(report)
    assert.equal(users['alice@example.com'], 'retry', 'a quotaGet that succeeded does not make a failed sync done')
    assert.equal(users['dave@example.com'], 'done', 'backup is a sync')
    assert.equal(users['bob@example.com'], undefined)
    assert.equal(users['carol@example.com'], undefined)
    assert.match(
      stderr,
      /api\.jsonl:8: response tag 't3' is given by 2 requests \(sync for bob@example.com at \S*api\.jsonl:3, sync for carol@example.com at \S*api\.jsonl:4\)/,
    )
    assert.match(stderr, /warning: doveadm HTTP API responses to requests other than sync\/backup ignored \(quotaGet ×1\)/)
    for (const user of ['proto1@example.com', 'proto2@example.com', 'proto3@example.com']) assert.equal(users[user], 'fail', user)
    // Every renderer copes with such types, and GitHub does not call the wave done.
    const text = await run(['migration', 'check', api])
    assert.match(text.stdout, /proto1@example\.com/)
    const github = await run(['migration', 'check', api, '--format', 'github'])
    assert.doesNotMatch(github.stdout, /are done/)
    assert.match(github.stdout, /::error title=2 user\(s\)%3A fail::|::error title=3 user\(s\)%3A fail::/)
  })

  it('4: tags that name no user stay out of the lists unless a request or --tag-pattern maps them', async () => {
    const work = await workDir()
    const api = join(work, 'responses.jsonl')
    await writeFile(
      api,
      '["error", {"type": "exitCode", "exitCode": 75}, "req-16"]\n["error", {"type": "exitCode", "exitCode": 75}, "jdoe@example.com#2"]\n',
    )
    const retry = join(work, 'retry.txt')
    const {report, stderr} = await check([api, '--retry-file', retry])
    assert.match(stderr, /warning: 1 doveadm HTTP API tag\(s\) name no user \(req-16\)/)
    assert.equal(report.users.find((user) => user.user === 'req-16')?.unmappedTag, true)
    assert.equal(await readFile(retry, 'utf8'), 'jdoe@example.com\n', 'an address tag is a user; req-16 is not')
    // Mapped by a request, or by a pattern the user gave: on the list.
    const requests = join(work, 'requests.json')
    await writeFile(requests, '[["sync", {"user": "pat@example.com"}, "req-16"]]')
    await check([api, requests, '--retry-file', retry])
    assert.equal(await readFile(retry, 'utf8'), 'jdoe@example.com\npat@example.com\n')
    await check([api, '--retry-file', retry, '--tag-pattern', '^(?<user>[^#]+)(?:#(?<attempt>\\d+))?$'])
    assert.equal(await readFile(retry, 'utf8'), 'jdoe@example.com\nreq-16\n')
  })

  it('5: one attempt number with two results is a problem and never done', async () => {
    const work = await workDir()
    const input = join(work, 'conflict.csv')
    await writeFile(input, `${GOOD}alice@example.com,0,1\nalice@example.com,75,1\n`)
    const {report, stderr, status} = await check([input])
    assert.equal(status, ExitStatus.ACTION_NEEDED)
    assert.match(
      stderr,
      /conflict\.csv:6: attempt 1 of alice@example.com is 75 EX_TEMPFAIL here but 0 EX_OK at \S*conflict\.csv:5: conflicting results/,
    )
    const alice = report.users.find((user) => user.user === 'alice@example.com')!
    assert.equal(alice.action, 'fail')
    assert.equal(alice.investigate, true)
    assert.deepEqual(usersOf(report), {
      'alice@example.com': 'fail',
      'done1@example.com': 'done',
      'remove1@example.com': 'remove-user',
      'retry1@example.com': 'retry',
    })
    // The same attempt with the same result in two inputs is still one attempt, no problem.
    const [copy, again] = [join(work, 'copy.csv'), join(work, 'copy.jsonl')]
    await writeFile(copy, 'user,exit_code,attempt\nalice@example.com,0,1\n')
    await writeFile(again, '{"user": "alice@example.com", "exit_code": 0, "attempt": 1}\n')
    const merged = await check([copy, again])
    assert.equal(merged.status, ExitStatus.OK)
    assert.equal(merged.report.totals.duplicateAttempts, 1)
  })

  it('6: exit 0 with errors on stderr is "done, with errors" in every format; --strict fails it', async () => {
    const work = await workDir()
    const input = join(work, 'stderr.csv')
    await writeFile(
      input,
      'user,exit_code,stderr\nperm@example.com,0,"dsync-local(perm@example.com)<abc>: Error: mkdir(/srv/mail/perm/Sent) failed: Permission denied (euid=5000)"\nclean@example.com,0,\nwarned@example.com,0,"dsync-local(warned@example.com): Warning: something minor"\n',
    )
    const {report, status} = await check([input])
    assert.equal(status, ExitStatus.OK)
    const perm = report.users.find((user) => user.user === 'perm@example.com')!
    assert.equal(perm.action, 'done')
    assert.equal(perm.doneWithErrors, true)
    assert.equal(report.users.find((user) => user.user === 'clean@example.com')!.doneWithErrors, false)
    assert.equal(report.users.find((user) => user.user === 'warned@example.com')!.doneWithErrors, false, 'a warning is not an error')
    assert.equal(report.totals.doneWithErrors, 1)
    const text = await run(['migration', 'check', input])
    assert.match(text.stdout, /done, with errors \(1\)/)
    assert.match(text.stdout, /perm@example\.com/)
    const junit = await run(['migration', 'check', input, '--format', 'junit'])
    assert.match(junit.stdout, /name="perm@example.com"><system-out>[^<]*<\/system-out><system-err>[^<]*Permission denied/)
    assert.doesNotMatch(junit.stdout, /<failure/)
    const github = await run(['migration', 'check', input, '--format', 'github'])
    assert.match(github.stdout, /^::warning title=1 user\(s\)%3A done%2C with errors::/m)
    const strict = await check([input, '--strict'])
    assert.equal(strict.status, ExitStatus.ACTION_NEEDED)
    assert.deepEqual(usersOf(strict.report), {'clean@example.com': 'done', 'perm@example.com': 'fail', 'warned@example.com': 'done'})
  })

  it('7: users differing only in case are warned about; --fold-case makes them one', async () => {
    const work = await workDir()
    const input = join(work, 'case.csv')
    await writeFile(input, `${GOOD}Alice@Example.com,75,1\nalice@example.com,0,2\n  bob@example.com ,0,1\n`)
    const {report, stderr} = await check([input])
    assert.match(stderr, /warning: 1 user name\(s\) differ only in case \(Alice@Example.com \/ alice@example.com\).*--fold-case/)
    assert.equal(report.warnings[0].kind, 'case-variants')
    assert.equal(usersOf(report)['bob@example.com'], 'done', 'surrounding spaces are not part of the name')
    const folded = await check([input, '--fold-case'])
    assert.equal(folded.report.warnings.length, 0)
    const alice = folded.report.users.find((user) => user.user === 'alice@example.com')!
    assert.equal(alice.action, 'done', 'attempt 2 decides')
    assert.equal(alice.attempts, 2)
    assert.equal(folded.report.users.length, 5)
  })

  it('8: a file named twice through a symbolic link (or a glob matching the link) is read once', async () => {
    const work = await workDir()
    const input = join(work, 'wave.csv')
    await writeFile(input, 'user,exit_code\na@example.com,75\n')
    await symlink(input, join(work, 'link.csv'))
    const {report} = await check([input, join(work, 'link.csv')])
    assert.equal(report.totals.rows, 1)
    assert.equal(report.users[0].attempts, 1)
    const globbed = await check([join(work, '*.csv')])
    assert.equal(globbed.report.totals.rows, 1)
    assert.equal(globbed.report.inputs.length, 1)
  })

  it('8: logs reads a file and a link to it once too', async () => {
    const work = await workDir()
    const log = join(work, 'mail.log')
    await writeFile(log, await readFile('fixtures/logs/mail.log'))
    await symlink(log, join(work, 'mail-link.log'))
    const {stdout} = await run(['logs', log, join(work, 'mail-link.log'), '--json'])
    const inputs = (JSON.parse(stdout) as {inputs: {input: string}[]}).inputs
    assert.deepEqual(
      inputs.map((input) => input.input),
      [log],
    )
  })

  it('9: a deeply nested JSON Lines row is skipped alone (file:line); a UTF-8 BOM is accepted', async () => {
    const work = await workDir()
    const deep = join(work, 'deep.jsonl')
    await writeFile(
      deep,
      `{"user": "a@example.com", "exit_code": 75}\n${'['.repeat(100_000)}${']'.repeat(100_000)}\n{"user": ${'['.repeat(50_000)}${']'.repeat(50_000)}, "exit_code": 0}\n{"user": "b@example.com", "exit_code": 0}\n`,
    )
    const {report, stderr} = await check([deep])
    assert.match(stderr, /deep\.jsonl:2: arrays nested more than \d+ deep/)
    assert.match(stderr, /deep\.jsonl:3: /)
    assert.doesNotMatch(stderr, /Maximum call stack/)
    assert.deepEqual(usersOf(report), {'a@example.com': 'retry', 'b@example.com': 'done'})
    const bomLines = join(work, 'bom.jsonl')
    await writeFile(bomLines, '\uFEFF{"user": "a@example.com", "exit_code": 75}\n{"user": "b@example.com", "exit_code": 0}\n')
    const lines = await check([bomLines])
    assert.equal(lines.status, ExitStatus.ACTION_NEEDED, lines.stderr)
    assert.deepEqual(usersOf(lines.report), {'a@example.com': 'retry', 'b@example.com': 'done'})
    const bomDocument = join(work, 'bom.json')
    await writeFile(bomDocument, '\uFEFF[{"user": "a@example.com", "exit_code": 75}]')
    assert.deepEqual(usersOf((await check([bomDocument])).report), {'a@example.com': 'retry'})
  })

  it('10: a symlinked --retry-file is written through to its target; an unwritable one is refused before reading', async () => {
    const work = await workDir()
    const input = join(work, 'wave.csv')
    await writeFile(input, GOOD)
    const target = join(work, 'real-list.txt')
    await writeFile(target, 'old@example.com\n')
    await chmod(target, 0o640)
    const link = join(work, 'next-wave.txt')
    await symlink(target, link)
    await check([input, '--retry-file', link])
    assert.equal(await readFile(target, 'utf8'), 'retry1@example.com\n')
    assert.ok((await lstat(link)).isSymbolicLink(), 'the link stays a link')
    assert.equal((await stat(target)).mode & 0o777, 0o640)
    const dangling = join(work, 'dangling.txt')
    await symlink(join(work, 'nowhere', 'x.txt'), dangling)
    const refused = await run(['migration', 'check', input, '--retry-file', dangling])
    assert.equal(refused.status, ExitStatus.USAGE)
    assert.match(refused.stderr, /symbolic link to a file that does not exist/)

    // Checked before any input is read: under --json the error is the whole answer, at once.
    const readonly = join(work, 'ro')
    await mkdir(readonly, {mode: 0o500})
    if (process.getuid?.() !== 0) {
      const denied = await run(['migration', 'check', input, '--json', '--retry-file', join(readonly, 'list.txt')])
      assert.equal(denied.status, ExitStatus.USAGE)
      assert.match(denied.stdout, /permission denied/)
    }
    assert.deepEqual(
      (await readdir(work)).filter((name) => name.endsWith('.tmp')),
      [],
    )
  })
})
