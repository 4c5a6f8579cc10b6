import assert from 'node:assert/strict'
import {execFileSync, spawn} from 'node:child_process'
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {gzipSync} from 'node:zlib'

import {root, run} from '../helpers/run.js'
import {skipWithout} from '../helpers/tools.js'

/** A scratch directory with one live log and a state file beside it. */
function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'dovediag-state-'))
  return {dir, log: join(dir, 'dovecot.log'), state: join(dir, 'state.json')}
}

let written = 0
/** Appends `count` numbered Dovecot lines; each line's number says which it is. */
function append(path: string, count: number): number[] {
  const numbers: number[] = []
  let text = ''
  for (let i = 0; i < count; i++) {
    const n = ++written
    numbers.push(n)
    const second = String(n % 60).padStart(2, '0')
    text += `Nov 30 10:${String(Math.floor(n / 60) % 60).padStart(2, '0')}:${second} imap(user${n}): Info: Disconnected: Logged out in=${n} out=1\n`
  }
  appendFileSync(path, text)
  return numbers
}

/** The numbers of the lines one `--state` run read (from --records), with the source and line of each. */
async function readOnce(
  state: string,
  ...inputs: string[]
): Promise<{numbers: number[]; where: string[]; stderr: string; errorDocument: string | null; status: number}> {
  const {stdout, stderr, status} = await run(['logs', ...inputs, '--state', state, '--records', '--json'])
  // Under --json an error is one (pretty-printed) error document on stdout instead of records.
  const errorDocument = stdout.startsWith('{\n  "error"') ? stdout : null
  const records =
    stdout.trim() === '' || errorDocument !== null
      ? []
      : stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as {text: string; source: string; line: number})
  return {
    numbers: records.map((record) => Number(/in=(\d+)/.exec(record.text)![1])),
    where: records.map((record) => `${record.source}:${record.line}`),
    stderr,
    errorDocument,
    status,
  }
}

const gzip = (path: string): void => {
  writeFileSync(`${path}.gz`, gzipSync(readFileSync(path)))
  unlinkSync(path)
}

describe('logs --state: only what is new since the last run', () => {
  it('reads everything the first time, nothing when nothing changed, then only the new lines, numbered on', async () => {
    const {log, state} = scratch()
    const first = append(log, 3)
    const one = await readOnce(state, log)
    assert.deepEqual(one.numbers, first)
    assert.match(one.stderr, /no state in .* yet: reading everything/)
    assert.ok(existsSync(state))
    assert.deepEqual((await readOnce(state, log)).numbers, [])
    const more = append(log, 2)
    const three = await readOnce(state, log)
    assert.deepEqual(three.numbers, more)
    assert.deepEqual(three.where, [`${log}:4`, `${log}:5`])
    assert.equal(three.stderr, '')
  })

  it('leaves a last line without its newline (still being written) for the next run', async () => {
    const {log, state} = scratch()
    const first = append(log, 2)
    appendFileSync(log, 'Nov 30 11:00:00 imap(half): Info: Disconnected: Logged out in=9')
    assert.deepEqual((await readOnce(state, log)).numbers, first)
    appendFileSync(log, '99 out=1\n')
    assert.deepEqual((await readOnce(state, log)).numbers, [999])
  })

  it('create: the rest of the renamed file, then the new one from its start', async () => {
    const {log, state} = scratch()
    const before = append(log, 3)
    assert.deepEqual((await readOnce(state, log)).numbers, before)
    const late = append(log, 2) // written after the last run, before the rotation
    renameSync(log, `${log}.1`)
    const fresh = append(log, 2)
    const next = await readOnce(state, log)
    assert.deepEqual(next.numbers, [...late, ...fresh])
    assert.deepEqual(next.where, [`${log}.1:4`, `${log}.1:5`, `${log}:1`, `${log}:2`])
    assert.match(next.stderr, /was rotated since the last run: reading the rest of .*dovecot\.log\.1 from byte/)
    assert.deepEqual((await readOnce(state, log)).numbers, [])
  })

  it('compress: the rest of the rotated file found by its first bytes inside the gzip', async () => {
    const {log, state} = scratch()
    append(log, 3)
    await readOnce(state, log)
    const late = append(log, 2)
    renameSync(log, `${log}.1`)
    gzip(`${log}.1`)
    const fresh = append(log, 1)
    assert.deepEqual((await readOnce(state, log)).numbers, [...late, ...fresh])
  })

  it('delaycompress: rotated twice between runs, the gzipped older copy, the plain newer one, then the live file', async () => {
    const {log, state} = scratch()
    append(log, 2)
    await readOnce(state, log)
    const late = append(log, 2)
    renameSync(log, `${log}.1`)
    const middle = append(log, 3)
    // second rotation: .1 is compressed to .2.gz only now, the live file becomes .1
    renameSync(`${log}.1`, `${log}.2`)
    gzip(`${log}.2`)
    renameSync(log, `${log}.1`)
    const fresh = append(log, 1)
    assert.deepEqual((await readOnce(state, log)).numbers, [...late, ...middle, ...fresh])
  })

  it('dateext: the rest of x.log-YYYYMMDD, and a glob naming the whole set reads nothing twice', async () => {
    const {dir, log, state} = scratch()
    const before = append(log, 2)
    assert.deepEqual((await readOnce(state, join(dir, 'dovecot.log*'))).numbers, before)
    const late = append(log, 1)
    renameSync(log, `${log}-20261130`)
    const fresh = append(log, 2)
    assert.deepEqual((await readOnce(state, join(dir, 'dovecot.log*'))).numbers, [...late, ...fresh])
    assert.deepEqual((await readOnce(state, join(dir, 'dovecot.log*'))).numbers, [])
  })

  it('copytruncate: the rest of the copy, then the truncated file from its start, and says so', async () => {
    const {log, state} = scratch()
    append(log, 3)
    await readOnce(state, log)
    const late = append(log, 2)
    copyFileSync(log, `${log}.1`)
    truncateSync(log, 0)
    const fresh = append(log, 2)
    const next = await readOnce(state, log)
    assert.deepEqual(next.numbers, [...late, ...fresh])
    assert.match(next.stderr, /was truncated since the last run \(copytruncate\)/)
  })

  it('truncated with no copy anywhere: starts over and says what was lost', async () => {
    const {log, state} = scratch()
    append(log, 3)
    await readOnce(state, log)
    truncateSync(log, 0)
    const fresh = append(log, 1)
    const next = await readOnce(state, log)
    assert.deepEqual(next.numbers, fresh)
    assert.match(next.stderr, /was truncated since the last run and no rotated copy holds its earlier content: reading it from its start/)
  })

  it('a corrupt or foreign state file is an error (exit 2) and is left as it was', async () => {
    const {log, state} = scratch()
    append(log, 1)
    for (const text of [
      '{"inputs": {',
      '{"some": "other tool"}',
      JSON.stringify({format: 'dovediag-state', version: 1, created: 'x', inputs: {}, findings: {}, metrics: {}}),
    ]) {
      writeFileSync(state, text)
      const {stderr, status, numbers, errorDocument} = await readOnce(state, log)
      assert.equal(status, 2, text)
      assert.deepEqual(numbers, [])
      assert.match(errorDocument ?? stderr, /state file|not a dovediag state file/)
      assert.equal(readFileSync(state, 'utf8'), text)
    }
  })

  it('an interrupted run (Ctrl-C, 130) leaves the old state; a state that cannot be written is exit 2', async () => {
    const {dir, log, state} = scratch()
    append(log, 2)
    await readOnce(state, log)
    const before = readFileSync(state, 'utf8')
    append(log, 2)
    // The file is read, then stdin, which stays open with nothing to read until Ctrl-C.
    const child = spawn(process.execPath, [join(root, 'bin/run.js'), 'logs', log, '-', '--state', state], {stdio: ['pipe', 'pipe', 'pipe']})
    let stderr = ''
    let sent = false
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString()
      // Once: a second SIGINT (scheduled by a later stderr chunk) would kill a run still reporting on a busy machine.
      if (!sent && stderr.includes('read whole each run')) {
        sent = true
        setTimeout(() => child.kill('SIGINT'), 300)
      }
    })
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
    assert.equal(status, 130, stderr)
    assert.equal(readFileSync(state, 'utf8'), before)

    const unwritable = await run(['logs', log, '--state', join(dir, 'no-such-dir', 'state.json')])
    assert.equal(unwritable.status, 2)
    // Found before reading anything: the lock beside it cannot be made.
    assert.match(unwritable.stderr, /cannot keep the state file .*no-such-dir\/state\.json: its directory .*no-such-dir does not exist/)
    assert.equal(unwritable.stdout, '')
  })

  it('findings keep their first-seen time across runs: new since the last run, or still happening', async () => {
    const {log, state} = scratch()
    const panic = (time: string) =>
      appendFileSync(
        log,
        `Nov 30 ${time} imap(jdoe)<1234><AbCdEf12>: Panic: file mail-transaction-log-file.c: line 105 (mail_transaction_log_file_free): assertion failed: (!file->locked)\n`,
      )
    const moved = (time: string) => appendFileSync(log, `Nov 30 ${time} master: Warning: Time moved backwards by 18 seconds.\n`)
    panic('10:00:00')
    const one = await run<{findings: {rule: string; sinceLastRun: {new: boolean; firstSeen: string}}[]}>([
      'logs',
      log,
      '--state',
      state,
      '--json',
    ])
    assert.deepEqual(
      one.result!.findings.map((f) => [f.rule, f.sinceLastRun.new]),
      [['panic', true]],
    )
    panic('11:00:00')
    moved('11:00:01')
    const two = await run<{findings: {rule: string; sinceLastRun: {new: boolean; firstSeen: string}}[]}>([
      'logs',
      log,
      '--state',
      state,
      '--json',
    ])
    const byRule = Object.fromEntries(two.result!.findings.map((f) => [f.rule, f.sinceLastRun]))
    assert.equal(byRule.panic.new, false)
    assert.match(byRule.panic.firstSeen, /T10:00:00/)
    assert.equal(byRule['time-moved-backwards'].new, true)
    panic('12:00:00')
    const text = await run(['logs', log, '--state', state])
    assert.match(text.stdout, /still happening: first seen .*10:00:00/)
  })
})

describe('logs --state under the real logrotate', {skip: skipWithout('logrotate', ['--version'], 'logrotate')}, () => {
  for (const options of [
    'create',
    'copytruncate',
    'compress',
    'compress\n  delaycompress',
    'dateext\n  dateformat -%Y%m%d%H%M%S\n  compress',
  ]) {
    it(`nothing read twice, nothing skipped: ${options.replaceAll('\n  ', ' + ')}`, async () => {
      const {dir, log, state} = scratch()
      const config = join(dir, 'logrotate.conf')
      writeFileSync(config, `${log} {\n  rotate 5\n  ${options}\n  missingok\n}\n`)
      const dated = options.includes('dateext')
      const rotate = () => {
        // dateext names a copy after the second it was made: two rotations need two seconds.
        if (dated)
          for (const start = Math.floor(Date.now() / 1000); Math.floor(Date.now() / 1000) === start;) execFileSync('sleep', ['0.05'])
        execFileSync('logrotate', ['-f', '-s', join(dir, 'logrotate.status'), config])
      }
      const all: number[] = []
      const seen: number[] = []
      for (let round = 0; round < 4; round++) {
        all.push(...append(log, 3))
        seen.push(...(await readOnce(state, log)).numbers)
        all.push(...append(log, 2))
        rotate()
        if (!existsSync(log)) writeFileSync(log, '')
        all.push(...append(log, 1))
        if (round % 2 === 1) rotate() // twice between two runs
        if (!existsSync(log)) writeFileSync(log, '')
      }
      seen.push(...(await readOnce(state, log)).numbers)
      assert.deepEqual(seen, all)
    })
  }
})
