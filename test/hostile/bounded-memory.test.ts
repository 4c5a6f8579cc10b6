import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, it} from 'node:test'
import {gzipSync} from 'node:zlib'

import {ExitStatus} from '../../src/exit-status.js'
import {MAX_LINE_BYTES} from '../../src/input/limits.js'
import {root, run, spawnCli} from '../helpers/run.js'

/**
 * Issue 14, point 11: what is held of one line or record is bounded (MAX_LINE_BYTES) whatever the input; the
 * cut line is a problem naming file:line, and the good lines around it keep their full result.
 */
const dir = mkdtempSync(join(tmpdir(), 'dovediag-bounded-'))
const sample = readFileSync(resolve(root, 'fixtures/sample.log'), 'utf8')
const longLine = 'x'.repeat(3 * MAX_LINE_BYTES + 5)

interface Measured {
  status: number
  stdout: string
  stderr: string
  maxRssMiB: number
}

/**
 * Runs the built CLI with `size` bytes of generated stdin (`head` first, then `fill` repeated, then `tail`),
 * written as the CLI reads it, and reports its peak RSS (process.resourceUsage, written at exit by a
 * preloaded module): the data is made here, never stored.
 */
function runOnStream(args: string[], stream: {head: string; fill: string; size: number; tail: string}): Promise<Measured> {
  const rssFile = join(dir, `rss-${Math.random().toString(36).slice(2)}`)
  const preload = join(dir, 'max-rss.cjs')
  writeFileSync(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)))\n`,
  )
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--require', preload, resolve(root, 'bin/run.js'), ...args], {
      cwd: root,
      env: {...process.env, NO_COLOR: '1'},
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdin.on('error', () => {}) // the CLI may stop reading early (binary input)
    child.on('error', fail)
    child.on('close', (status) => done({status: status ?? -1, stdout, stderr, maxRssMiB: Number(readFileSync(rssFile, 'utf8')) / 1024}))
    const fill = Buffer.from(stream.fill.repeat(Math.ceil((1024 * 1024) / stream.fill.length)))
    let left = stream.size
    const write = (): void => {
      while (left > 0) {
        left -= fill.length
        if (!child.stdin.write(fill)) return void child.stdin.once('drain', write)
      }
      child.stdin.end(stream.tail)
    }
    child.stdin.write(stream.head)
    write()
  })
}

describe('bounded memory whatever the line length', () => {
  it('logs /dev/zero: one line saying it is binary, at once; the good log beside it gives its full result', {timeout: 60_000}, async () => {
    const alone = await spawnCli(['logs', 'fixtures/sample.log', '--json'])
    const result = await spawnCli(['logs', '/dev/zero', 'fixtures/sample.log', '--json'])
    assert.equal(result.status, alone.status === ExitStatus.OK ? ExitStatus.INPUT_ERROR : alone.status, result.stderr)
    assert.deepEqual(result.stderr.trim().split('\n'), [
      'dovediag: /dev/zero: is binary, not a text log (NUL bytes in its first 4 KiB): skipped',
    ])
    const findings = (stdout: string) =>
      (JSON.parse(stdout) as {findings: {rule: string; count: number}[]}).findings.map((f) => [f.rule, f.count])
    assert.deepEqual(findings(result.stdout), findings(alone.stdout))
  })

  it('logs: a gzip holding a 3 MiB line: cut, reported as file:line, the lines around it read', async () => {
    const lines = sample.trimEnd().split('\n')
    const gz = join(dir, 'long-line.log.gz')
    writeFileSync(gz, gzipSync([...lines.slice(0, 3), longLine, ...lines.slice(3)].join('\n') + '\n'))
    const result = await spawnCli(['logs', gz, '--json'])
    const alone = await spawnCli(['logs', 'fixtures/sample.log', '--json'])
    assert.match(result.stderr, /long-line\.log\.gz:4: line is 3\.0 MB long: read its first 1048576 bytes, cut the rest/)
    const report = (stdout: string) => JSON.parse(stdout) as {findings: {rule: string; count: number}[]; inputs: {lines: number}[]}
    assert.deepEqual(
      report(result.stdout).findings.map((f) => [f.rule, f.count]),
      report(alone.stdout).findings.map((f) => [f.rule, f.count]),
    )
    assert.equal(report(result.stdout).inputs[0].lines, lines.length + 1)
  })

  it(
    'logs -: a 200 MB line without end on stdin keeps the peak RSS bounded; the line after it still read',
    {timeout: 120_000},
    async () => {
      const failed = 'Nov 23 10:00:00 mail dovecot: imap(jdoe)<1234><AbCd>: Error: write(/var/vmail/x) failed: No space left on device\n'
      const result = await runOnStream(['logs', '-', '--json'], {head: failed, fill: 'x', size: 200 * 1024 * 1024, tail: '\n' + failed})
      assert.match(result.stderr, /-:2: line is 200\.0 MB long/)
      const report = JSON.parse(result.stdout) as {findings: {rule: string; count: number}[]}
      assert.deepEqual(
        report.findings.filter((f) => f.rule === 'disk-full').map((f) => f.count),
        [2],
      )
      // Node and the CLI take about 100 MiB; holding the line would take 200 more.
      assert.ok(result.maxRssMiB < 200, `peak RSS ${result.maxRssMiB.toFixed(0)} MiB`)
    },
  )

  it('migration check -: a 200 MB CSV row keeps the peak RSS bounded; the rows around it are kept', {timeout: 120_000}, async () => {
    const result = await runOnStream(['migration', 'check', '-', '--json'], {
      head: 'user,exit_code,attempt\nalice@example.com,0,1\nbob@example.com,75,1,',
      fill: 'stderr text ',
      size: 200 * 1024 * 1024,
      tail: '\ncarol@example.com,75,1\n',
    })
    assert.match(result.stderr, /^dovediag: -:3: row is 200\.0 MB long, over the 1 MiB limit for one row; row skipped$/m)
    const report = JSON.parse(result.stdout) as {users: {user: string; code: number}[]}
    assert.deepEqual(report.users.map((u) => [u.user, u.code]).sort(), [
      ['alice@example.com', 0],
      ['carol@example.com', 75],
    ])
    assert.ok(result.maxRssMiB < 200, `peak RSS ${result.maxRssMiB.toFixed(0)} MiB`)
  })

  it('migration check: a CSV quote never closed leaves out its line only; the valid rows after it are kept', async () => {
    const csv = join(dir, 'quote.csv')
    writeFileSync(
      csv,
      'user,exit_code,attempt\nalice@example.com,0,1\nbob@example.com,"75,1\ncarol@example.com,75,1\ndave@example.com,0,1\n',
    )
    const result = await run<{users: {user: string; code: number}[]; problems: {line: number; message: string}[]}>([
      'migration',
      'check',
      csv,
      '--json',
    ])
    assert.deepEqual(result.result!.users.map((u) => [u.user, u.code]).sort(), [
      ['alice@example.com', 0],
      ['carol@example.com', 75],
      ['dave@example.com', 0],
    ])
    assert.deepEqual(
      result.result!.problems.map((p) => [p.line, p.message]),
      [[3, 'a quote opened on this line is not closed (within 1 MiB, or before the end); line skipped, reading on from the next line']],
    )
  })

  it('migration check: a quoted multi-line stderr field is still one row (the guard leaves good quoting alone)', async () => {
    const result = await run<{users: {user: string}[]; problems: unknown[]}>([
      'migration',
      'check',
      'fixtures/migration/wave.csv',
      '--json',
    ])
    assert.deepEqual(result.result!.problems, [])
    assert.ok(result.result!.users.length > 10)
  })

  it('migration check: a 3 MiB JSON Lines row is skipped as file:line; the rows around it are kept', async () => {
    const jsonl = join(dir, 'long.jsonl')
    writeFileSync(
      jsonl,
      [
        JSON.stringify({user: 'alice@example.com', exit_code: 0, attempt: 1}),
        JSON.stringify({user: 'bob@example.com', exit_code: 75, attempt: 1, stderr: longLine}),
        JSON.stringify({user: 'carol@example.com', exit_code: 75, attempt: 1}),
      ].join('\n') + '\n',
    )
    const result = await run<{users: {user: string}[]; problems: {line: number; message: string}[]}>([
      'migration',
      'check',
      jsonl,
      '--json',
    ])
    assert.deepEqual(result.result!.users.map((u) => u.user).sort(), ['alice@example.com', 'carol@example.com'])
    assert.deepEqual(
      result.result!.problems.map((p) => [p.line, p.message]),
      [[2, 'line is 3.0 MB long, over the 1 MiB limit for one row; line skipped']],
    )
  })

  it('match - </dev/zero: one line, status 2, no RangeError; a good line on stdin still matches', {timeout: 60_000}, async () => {
    const zero = await new Promise<{status: number; stderr: string}>((done) => {
      const child = spawn(process.execPath, [resolve(root, 'bin/run.js'), 'match', '-'], {cwd: root, stdio: ['pipe', 'ignore', 'pipe']})
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      child.stdin.on('error', () => {})
      child.stdin.end(Buffer.alloc(8 * 1024 * 1024))
      child.on('close', (status) => done({status: status ?? -1, stderr}))
    })
    assert.equal(zero.status, ExitStatus.INPUT_ERROR, zero.stderr)
    assert.deepEqual(zero.stderr.trim().split('\n'), ['dovediag: -: is binary, not log lines (NUL bytes in its first 4 KiB)'])
    const good = await spawnCli(['match', '-'], {
      input: 'imap(jdoe)<1234><AbCd>: Error: write(/var/vmail/x) failed: No space left on device\n',
    })
    assert.equal(good.status, ExitStatus.OK, good.stderr)
    assert.match(good.stdout, /disk-full/)
  })
})
