import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, it} from 'node:test'
import {gzipSync} from 'node:zlib'

import type {LogsSummary} from '../../src/ingest/summary.js'
import {root, spawnCli, type SpawnResult} from '../helpers/run.js'

/** The CLI with file descriptor 0 closed (`dovediag logs - <&-`), which execFile cannot do by itself. */
function withStdinClosed(args: string[]): Promise<SpawnResult> {
  return new Promise((resolvePromise) => {
    execFile(
      'sh',
      ['-c', 'exec "$0" "$@" <&-', process.execPath, resolve(root, 'bin/run.js'), ...args],
      {env: {...process.env, NODE_ENV: 'production'}},
      (error, stdout, stderr) => resolvePromise({stdout, stderr, status: error ? Number(error.code) : 0}),
    )
  })
}

/**
 * Each bad input of issue 7, next to a good one: one stderr line naming the input (and line), the documented
 * exit status, the good input still read, and what it holds still reported. Real processes: real statuses.
 */
const dir = mkdtempSync(join(tmpdir(), 'dovediag-hostile-'))
const at = (name: string) => join(dir, name)
const good = at('good.log')
copyFileSync(resolve(root, 'fixtures/logs/mail.log'), good)
const goodLines = readFileSync(good, 'utf8').replace(/\n$/, '').split('\n').length
const ERROR = 'Nov 22 10:00:00 imap(jdoe)<1><AbCd>: Error:'

writeFileSync(at('empty.log'), '')
writeFileSync(at('binary.log'), Buffer.from(`${ERROR} x\0\u0001\u0002 binary\n`))
writeFileSync(at('latin1.log'), Buffer.concat([Buffer.from(`${ERROR} user `), Buffer.from([0xe9, 0xff]), Buffer.from(' failed\n')]))
writeFileSync(at('crlf.log'), `${ERROR} Fixed index file /x/dovecot.index: broken\r\n${ERROR.replace('Error', 'Info')} Logged out\r\n`)
writeFileSync(at('long.log'), `${ERROR} ${'A'.repeat(5 * 1024 * 1024)}\n${ERROR} Fixed index file /x/dovecot.index: broken\n`)
writeFileSync(at('truncated.log.gz'), gzipSync(readFileSync(good)).subarray(0, 300))
writeFileSync(at('plain.log.gz'), `${ERROR} Fixed index file /x/dovecot.index: broken\n`)
mkdirSync(at('given-dir.log'))

// Unreadable, honestly, even as root (tests run as root, where chmod 000 changes nothing): the kernel
// refuses to open a write-only sysfs attribute for reading (EACCES), and /proc/self/mem fails on read (EIO).
const WRITE_ONLY = '/sys/bus/pci/rescan'
const skipUnreadable = existsSync(WRITE_ONLY) ? false : `${WRITE_ONLY} is not on this machine`

interface LogsCase {
  name: string
  input: string
  /** The stderr line, or null when the input is read with nothing to say. */
  stderr: RegExp | null
  status: number
  /** Lines counted for the bad input itself (undefined: it is not opened). */
  lines?: number
  skip?: string | false
}

const LOGS_CASES: LogsCase[] = [
  {name: 'empty file', input: at('empty.log'), stderr: /empty\.log: is empty/, status: 0, lines: 0},
  {name: 'binary (NUL bytes)', input: at('binary.log'), stderr: /binary\.log: is binary, not a text log/, status: 2, lines: 0},
  {name: 'invalid UTF-8', input: at('latin1.log'), stderr: /latin1\.log:1: bytes that are not UTF-8/, status: 0, lines: 1},
  {name: 'CRLF line ends', input: at('crlf.log'), stderr: null, status: 0, lines: 2},
  {name: 'a 5 MB line', input: at('long.log'), stderr: /long\.log:1: line is 5\.0 MB long/, status: 2, lines: 2},
  {name: 'truncated gzip', input: at('truncated.log.gz'), stderr: /truncated\.log\.gz: compressed data is truncated or corrupt/, status: 2},
  {name: 'a .gz that is not gzip', input: at('plain.log.gz'), stderr: /plain\.log\.gz: is named \.gz but is not gzip/, status: 0, lines: 1},
  {name: 'a directory given as a file', input: at('given-dir.log'), stderr: /given-dir\.log: directory has no log files/, status: 2},
  {
    name: 'an unreadable file (EACCES)',
    input: WRITE_ONLY,
    stderr: /rescan: cannot read: permission denied/,
    status: 2,
    skip: skipUnreadable,
  },
  {name: 'a file failing on read (EIO)', input: '/proc/self/mem', stderr: /mem: .*i\/o error/i, status: 2},
  {name: 'a missing file among good ones', input: at('missing.log'), stderr: /missing\.log: not found/, status: 2},
  {name: 'a glob that matches nothing', input: at('nothing-*.log'), stderr: /nothing-\*\.log: matches no file/, status: 2},
]

describe('dovediag logs: each bad input next to a good one', () => {
  for (const c of LOGS_CASES) {
    it(c.name, {skip: c.skip}, async () => {
      const {stdout, stderr, status} = await spawnCli(['logs', c.input, good, '--json'], {env: {NO_COLOR: '1'}})
      assert.equal(status, c.status, stderr)
      const lines = stderr.split('\n').filter(Boolean)
      if (c.stderr === null) assert.deepEqual(lines, [])
      else {
        assert.equal(lines.length, 1, stderr)
        assert.match(lines[0], /^dovediag: /)
        assert.match(lines[0], c.stderr)
      }
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace')
      const report = JSON.parse(stdout) as LogsSummary & {findings: {rule: string}[]}
      const goodInput = report.inputs.find((input) => input.input === good)!
      assert.equal(goodInput.lines, goodLines, 'the good input is read whole')
      assert.ok(report.findings.length > 0, 'its findings are reported')
      if (c.lines !== undefined) assert.equal(report.inputs.find((input) => input.input === c.input)?.lines, c.lines)
    })
  }

  it('stdin closed (fd 0 shut; Node reads it as /dev/null): one line, the files still read', async () => {
    const {stdout, stderr, status} = await withStdinClosed(['logs', '-', good, '--json'])
    assert.equal(status, 0, stderr)
    assert.match(stderr, /^dovediag: -: is empty/)
    assert.equal(stderr.trim().split('\n').length, 1)
    assert.equal((JSON.parse(stdout) as LogsSummary).inputs.find((input) => input.input === good)!.lines, goodLines)
  })

  it('stdin ending early, mid-line: the partial line is still counted and read', async () => {
    const {stdout, status} = await spawnCli(['logs', '-', '--json'], {
      input: `${ERROR} Fixed index file /x/dovecot.index: broken\n${ERROR} Fixed index fi`,
    })
    assert.equal(status, 0)
    const report = JSON.parse(stdout) as LogsSummary
    assert.equal(report.totals.lines, 2)
    assert.equal(report.totals.lines, report.totals.parsed + report.totals.skipped + report.totals.unparsed)
  })
})
