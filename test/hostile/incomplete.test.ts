import assert from 'node:assert/strict'
import {execFileSync, spawn} from 'node:child_process'
import {once} from 'node:events'
import {mkdtempSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, it} from 'node:test'

import {ExitStatus} from '../../src/exit-status.js'
import {fileInput} from '../../src/input/resolve.js'
import {readLogs, type LogEvent} from '../../src/ingest/read-logs.js'
import {root, run} from '../helpers/run.js'

/**
 * Issue 14, point 16: a report of part of the input says so (`complete: false`, INCOMPLETE in text), after
 * Ctrl-C, SIGTERM, or a file that shrank while it was read; Ctrl-C on a terminal's stdin stops at once.
 */
const dir = mkdtempSync(join(tmpdir(), 'dovediag-incomplete-'))
const FAILED = 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: write(/var/vmail/x) failed: No space left on device\n'
const CSV_HEADER = 'user,exit_code,attempt\n'
const csvRows = (count: number) => Array.from({length: count}, (_, n) => `user${n}@example.com,${n % 5 === 0 ? 75 : 0},1\n`).join('')

function start(args: string[]) {
  const child = spawn(process.execPath, [resolve(root, 'bin/run.js'), ...args], {env: {...process.env, NO_COLOR: '1'}})
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  child.stdin.on('error', () => {})
  const done = once(child, 'close').then(([status]) => ({status: status as number | null, stdout, stderr}))
  return {child, done}
}

/** Writes `text` to the CLI's stdin (left open), then sends `signal`. */
async function signalAfter(args: string[], text: string, signal: NodeJS.Signals) {
  const {child, done} = start(args)
  await new Promise<void>((written) => child.stdin.write(text, () => written()))
  child.kill(signal)
  return done
}

const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', 'import pty'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
})()

/**
 * Runs the CLI on a pseudo-terminal (python3's pty module), types `typed`, then Ctrl-C: the terminal's line
 * discipline sends SIGINT, as for a user at a shell. Gives the exit status and what the terminal showed.
 */
function ctrlCOnTerminal(args: string[], typed: string): {status: number | null; screen: string} {
  const script = `
import os, pty, select, signal, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
# Wait until the CLI has started and waits on the terminal: asleep, its CPU time unchanged for a second (a
# fixed delay is too short on a loaded machine, and Ctrl-C before the CLI handles it kills it).
def cpu():
    with open('/proc/%d/stat' % pid) as stat:
        fields = stat.read().rsplit(')', 1)[1].split()
    return fields[0], int(fields[11]) + int(fields[12])
deadline, last, still = time.time() + 60, None, 0
while time.time() < deadline:
    try:
        state, ticks = cpu()
    except OSError:
        break
    still = still + 1 if (state == 'S' and ticks == last) else 0
    last = ticks
    if still >= 10:
        break
    time.sleep(0.1)
typed = os.environ['TYPED']
if typed:
    os.write(fd, typed.encode()); time.sleep(1)
os.write(fd, b'\\x03')
out, status, deadline = b'', None, time.time() + 30
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if ready:
        try: out += os.read(fd, 65536)
        except OSError: pass
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = os.waitstatus_to_exitcode(st); break
if status is None:
    os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
try:
    while True:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready: break
        out += os.read(fd, 65536)
except OSError: pass
sys.stdout.write('STATUS %s\\n' % status)
sys.stdout.write(out.decode('utf8', 'replace'))
`
  const output = execFileSync('python3', ['-c', script, process.execPath, resolve(root, 'bin/run.js'), ...args], {
    cwd: root,
    env: {...process.env, NO_COLOR: '1', TYPED: typed},
    encoding: 'utf8',
  })
  const [first, ...rest] = output.split('\n')
  const status = first.replace('STATUS ', '')
  return {status: status === 'None' ? null : Number(status), screen: rest.join('\n')}
}

describe('a report of part of the input says so', () => {
  it('logs: a whole read is complete: true', async () => {
    const result = await run<{complete: boolean; inputs: {complete: boolean}[]}>(['logs', 'fixtures/sample.log', '--json'])
    assert.equal(result.result!.complete, true)
    assert.ok(result.result!.inputs.every((input) => input.complete))
  })

  it('logs -: Ctrl-C gives complete: false (the input too), 130, and the findings read so far', async () => {
    const result = await signalAfter(['logs', '-', '--json'], FAILED.repeat(20_000), 'SIGINT')
    assert.equal(result.status, ExitStatus.INTERRUPTED, result.stderr)
    const report = JSON.parse(result.stdout) as {complete: boolean; inputs: {complete: boolean}[]; findings: {rule: string}[]}
    assert.equal(report.complete, false)
    assert.equal(report.inputs[0].complete, false)
    assert.deepEqual(
      report.findings.map((f) => f.rule),
      ['disk-full'],
    )
  })

  it('logs -: SIGTERM is handled as Ctrl-C: the report of what was read, INCOMPLETE in text, status 143', async () => {
    const result = await signalAfter(['logs', '-'], FAILED.repeat(20_000), 'SIGTERM')
    assert.equal(result.status, ExitStatus.TERMINATED, result.stderr)
    assert.match(result.stdout, /disk-full/)
    assert.match(result.stdout, /^Verdict: .*INCOMPLETE: not everything was read to its end/m)
  })

  it('migration check -: SIGTERM gives the report of the rows read, complete: false, 143; the lists are not written', async () => {
    const retry = join(dir, 'retry.txt')
    writeFileSync(retry, 'previous@example.com\n')
    const result = await signalAfter(['migration', 'check', '-', '--json', '--retry-file', retry], CSV_HEADER + csvRows(60_000), 'SIGTERM')
    assert.equal(result.status, ExitStatus.TERMINATED, result.stderr)
    const report = JSON.parse(result.stdout) as {complete: boolean; status: number; totals: {rows: number}}
    assert.equal(report.complete, false)
    assert.equal(report.status, ExitStatus.TERMINATED)
    assert.ok(report.totals.rows > 0)
    assert.match(result.stderr, /--retry-file and --remove-file not written/)
  })

  it('migration check: Ctrl-C says INCOMPLETE in text; a whole read is complete: true', async () => {
    const result = await signalAfter(['migration', 'check', '-'], CSV_HEADER + csvRows(60_000), 'SIGINT')
    assert.equal(result.status, ExitStatus.INTERRUPTED, result.stderr)
    assert.match(result.stdout, /^ {2}INCOMPLETE: reading stopped before the end of the inputs/m)
    const whole = await run<{complete: boolean}>(['migration', 'check', 'fixtures/migration/wave.csv', '--json'])
    assert.equal(whole.result!.complete, true)
  })

  it('logs: a file truncated while it is read is incomplete, with a problem naming it', async () => {
    const log = join(dir, 'shrinking.log')
    writeFileSync(log, FAILED.repeat(100_000)) // 11 MB: far more than the reader has buffered after its first chunk
    const events: LogEvent[] = []
    for await (const event of readLogs([fileInput(log)])) {
      // After the first chunk's records, logrotate's copytruncate empties the file.
      if (event.type === 'records' && !events.some((seen) => seen.type === 'records')) truncateSync(log, 0)
      events.push(event)
    }
    const problems = events.flatMap((event) => (event.type === 'problem' ? [event.problem] : []))
    assert.deepEqual(
      problems.map((p) => p.kind),
      ['shrank'],
    )
    assert.match(
      problems[0].message,
      /^got shorter while it was read \(truncated, e\.g\. by logrotate's copytruncate\): \d+ of its 10300000 bytes read; the rest is gone$/,
    )
    const stats = events.flatMap((event) => (event.type === 'input-done' ? [event.stats] : []))
    assert.equal(stats[0].complete, false)
    assert.ok(stats[0].lines > 0 && stats[0].lines < 100_000)
  })

  it('logs - on a terminal: Ctrl-C before any line stops at once with the report and 130', {skip: !hasPython && 'no python3'}, () => {
    const result = ctrlCOnTerminal(['logs', '-'], '')
    assert.equal(result.status, ExitStatus.INTERRUPTED, result.screen)
    assert.match(result.screen, /interrupted: reporting what was read so far/)
    assert.match(result.screen, /Verdict: .*INCOMPLETE/)
  })

  it('logs - on a terminal: the lines typed before Ctrl-C are diagnosed', {skip: !hasPython && 'no python3'}, () => {
    const result = ctrlCOnTerminal(['logs', '-'], FAILED)
    assert.equal(result.status, ExitStatus.INTERRUPTED, result.screen)
    assert.match(result.screen, /Verdict: 1 problem \(1 critical\); start with disk-full/)
  })
})
