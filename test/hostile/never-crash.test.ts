import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {closeSync, openSync} from 'node:fs'
import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, it} from 'node:test'

import {ExitStatus} from '../../src/exit-status.js'
import {root, run} from '../helpers/run.js'

/**
 * Issue 14, points 13–15: inputs that used to crash (exit 70 or a Node stack trace) are bad input with one
 * line and a documented status, next to a good input that still gives its full result.
 */
async function workDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'dovediag-never-crash-'))
}

/** The built CLI with stdout on `path` (a file or /dev/full), as a shell's `> path` does. */
function spawnTo(args: string[], path: string): Promise<{status: number; stderr: string}> {
  return new Promise((done, fail) => {
    const out = openSync(path, 'w')
    const child = spawn(process.execPath, [resolve(root, 'bin/run.js'), ...args], {
      cwd: root,
      stdio: ['ignore', out, 'pipe'],
      env: {...process.env, NO_COLOR: '1'},
    })
    closeSync(out)
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', fail)
    child.on('close', (status) => done({status: status ?? -1, stderr}))
  })
}

describe('never a crash', () => {
  it('13: a YAML alias bomb in --rules is bad input: status 64, one line; a good rules file still loads', async () => {
    const work = await workDir()
    const bomb = join(work, 'bomb.yaml')
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level)
      const name = String.fromCharCode(97 + level)
      levels.push(
        `${name}: &${name} [*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous},*${previous}]`,
      )
    }
    await writeFile(bomb, `${levels.join('\n')}\nrules: *i\n`)
    const result = await run(['match', '--rules', bomb, 'imap(jdoe): Error: x'])
    assert.equal(result.status, ExitStatus.USAGE, result.stderr)
    assert.match(result.stderr, /^dovediag: .*bomb\.yaml: not usable YAML: .*alias/m)
    assert.equal(result.stderr.trim().split('\n').length, 1)
    const good = await run(['rules', '--rules', 'fixtures/rules/site-rules.yaml', '--json'])
    assert.equal(good.status, ExitStatus.OK, good.stderr)
  })

  it('14: a journal line with an out-of-range __REALTIME_TIMESTAMP gets no time; the rest is reported', async () => {
    const work = await workDir()
    const journal = join(work, 'journal.json')
    const good = await readFile('fixtures/logs/journal.json', 'utf8')
    const bad = JSON.stringify({
      __REALTIME_TIMESTAMP: '99999999999999999999999',
      PRIORITY: '3',
      _SYSTEMD_UNIT: 'dovecot.service',
      SYSLOG_IDENTIFIER: 'dovecot',
      MESSAGE: 'imap(jdoe): Error: a line from nowhen',
    })
    await writeFile(journal, `${bad}\n${good}`)
    const withBad = await run<{findings: unknown[]}>(['logs', journal, '--json'])
    const alone = await run<{findings: unknown[]}>(['logs', 'fixtures/logs/journal.json', '--json'])
    assert.notEqual(withBad.status, ExitStatus.INTERNAL, withBad.stderr)
    assert.doesNotMatch(withBad.stderr, /internal error|Invalid time/)
    // The line lost its time: a notice says which (status unchanged: nothing was lost).
    assert.match(withBad.stderr, /journal\.json:1: time stamp beyond a date's range: read without a time$/m)
    assert.equal(withBad.status, alone.status)
    const findings = (stdout: string) => (JSON.parse(stdout) as {findings: {rule: string}[]}).findings.map((finding) => finding.rule)
    // The fixture's findings, written out: were the list empty, the loop below would check nothing.
    assert.deepEqual(findings(alone.stdout).sort(), ['index-cache-too-large', 'vsz-limit-oom'])
    for (const rule of findings(alone.stdout)) assert.ok(findings(withBad.stdout).includes(rule), `${rule} still reported`)
  })

  it('15: a full device for stdout is one stderr line and status 74, never a stack trace', async () => {
    for (const args of [
      ['migration', 'check', 'fixtures/migration/wave.csv', '--format', 'junit'],
      ['logs', 'fixtures/sample.log', '--json'],
      ['exit', '--all'],
    ]) {
      const full = await spawnTo(args, '/dev/full')
      assert.equal(full.status, ExitStatus.OUTPUT_ERROR, `${args.join(' ')}: ${full.stderr}`)
      assert.equal(full.stderr, 'dovediag: cannot write the output: no space left on the device; nothing was written\n')
    }
    const work = await workDir()
    const ok = await spawnTo(['migration', 'check', 'fixtures/migration/wave.csv', '--format', 'junit'], join(work, 'junit.xml'))
    assert.equal(ok.status, ExitStatus.SUSPEND_ALL, ok.stderr)
    assert.match(await readFile(join(work, 'junit.xml'), 'utf8'), /<\/testsuites>\n$/)
  })
})

describe('flag values and names from inputs (issue 14, point 18)', () => {
  it('refuses an offset beyond ±14:00 and a time of day or age that is no time; good values still work', async () => {
    for (const args of [
      ['--timezone', '+25:00'],
      ['--since', '25:61'],
      ['--since', '99999999999d'],
      ['--until', '10:75'],
    ]) {
      const result = await run(['logs', 'fixtures/logs/dovecot-2.4.log', ...args])
      assert.equal(result.status, ExitStatus.USAGE, `${args.join(' ')}: ${result.stderr}`)
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
    }
    for (const args of [
      ['--timezone', '+02:00'],
      ['--timezone', 'Europe/Berlin'],
      ['--since', '23:59'],
      ['--since', '3650d'],
    ]) {
      const result = await run(['logs', 'fixtures/logs/dovecot-2.4.log', ...args])
      assert.notEqual(result.status, ExitStatus.USAGE, `${args.join(' ')}: ${result.stderr}`)
    }
  })

  it('shows an escape sequence in a file name as text on stderr, never raw', async () => {
    const work = await workDir()
    const name = join(work, 'evil\u001b[2J.log')
    for (const args of [
      ['logs', name],
      ['migration', 'check', name],
      ['logs', 'fixtures/sample.log', '--rules', name],
    ]) {
      const result = await run(args)
      assert.doesNotMatch(result.stderr, /\u001b/, args.join(' '))
      assert.match(result.stderr, /evil\\e\[2J\.log/, args.join(' '))
    }
  })
})
