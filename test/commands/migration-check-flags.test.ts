import assert from 'node:assert/strict'
import {chmod, mkdir, mkdtemp, readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {ExitStatus} from '../../src/exit-status.js'
import {run} from '../helpers/run.js'

const WAVE = 'fixtures/migration/wave.csv'

/** One line on stderr, naming the flag, no tabs or trailing spaces; status 64; nothing on stdout. */
function assertOneLineUsageError(result: {stdout: string; stderr: string; status: number}, flag: string): void {
  assert.equal(result.status, ExitStatus.USAGE, result.stderr)
  assert.equal(result.stdout, '')
  assert.match(result.stderr, /^dovediag: [^\n]+\n$/, JSON.stringify(result.stderr))
  assert.doesNotMatch(result.stderr, /\t| \n|See more help/, JSON.stringify(result.stderr))
  assert.ok(result.stderr.includes(flag), result.stderr)
}

describe('dovediag migration check: bad flag values', () => {
  for (const value of ['0', '-1', 'abc', '1.5', '', '99999999999999999999']) {
    it(`--max-retries '${value}' is one clean line, status 64`, async () => {
      const result = await run(['migration', 'check', WAVE, `--max-retries=${value}`])
      assertOneLineUsageError(result, '--max-retries')
      assert.match(result.stderr, /whole number of attempts, 1 or more/)
    })
  }

  for (const [flag, value] of [
    ['--phase', 'cutover'],
    ['--format', 'xml'],
    ['--input-format', 'xlsx'],
  ]) {
    it(`${flag} ${value} is one clean line listing the choices, status 64`, async () => {
      assertOneLineUsageError(await run(['migration', 'check', WAVE, flag, value]), flag)
    })
  }

  for (const flag of ['--user-col', '--code-col', '--stderr-col', '--tag-pattern', '--retry-file', '--remove-file']) {
    it(`an empty ${flag} is refused, status 64`, async () => {
      assertOneLineUsageError(await run(['migration', 'check', WAVE, `${flag}=`]), flag)
    })
  }

  it('an unknown flag is one clean line, status 64', async () => {
    assertOneLineUsageError(await run(['migration', 'check', WAVE, '--max-retry', '2']), '--max-retry')
  })

  it('under --json a bad value is the error document with status 64', async () => {
    const {stdout, status} = await run(['migration', 'check', WAVE, '--max-retries', '0', '--json'])
    assert.equal(status, ExitStatus.USAGE)
    const {error} = JSON.parse(stdout)
    assert.equal(error.exit, ExitStatus.USAGE)
    assert.doesNotMatch(error.message, /\n|\t/)
  })
})

describe('dovediag migration check: output files', () => {
  it('refuses --retry-file and --remove-file naming one file, and writes neither', async () => {
    const work = await mkdtemp(join(tmpdir(), 'dovediag-outputs-'))
    const list = join(work, 'next.txt')
    await writeFile(list, 'kept\n')
    const result = await run(['migration', 'check', WAVE, '--retry-file', list, '--remove-file', join(work, '.', 'next.txt')])
    assertOneLineUsageError(result, '--remove-file')
    assert.match(result.stderr, /--retry-file and --remove-file both name/)
    assert.equal(await readFile(list, 'utf8'), 'kept\n')
  })

  it('names the file the user gave when it cannot be written, never the temporary file', async () => {
    const work = await mkdtemp(join(tmpdir(), 'dovediag-outputs-'))
    const target = join(work, 'no-such-dir', 'x.txt')
    const result = await run(['migration', 'check', WAVE, '--retry-file', target])
    assert.equal(result.status, ExitStatus.USAGE)
    assert.equal(result.stderr, `dovediag: cannot write ${target}: the directory ${join(work, 'no-such-dir')} does not exist\n`)
    assert.doesNotMatch(result.stderr, /\.tmp/)
    assert.deepEqual(await readdir(work), [])
  })

  it('replacing an existing list keeps its permissions; a target that is not a regular file is refused', async () => {
    const work = await mkdtemp(join(tmpdir(), 'dovediag-outputs-'))
    const list = join(work, 'retry.txt')
    await writeFile(list, 'old\n')
    await chmod(list, 0o640)
    await run(['migration', 'check', WAVE, '--retry-file', list])
    assert.notEqual(await readFile(list, 'utf8'), 'old\n')
    assert.equal((await stat(list)).mode & 0o777, 0o640)

    const directory = join(work, 'a-directory')
    await mkdir(directory)
    const refused = await run(['migration', 'check', WAVE, '--retry-file', directory])
    assert.equal(refused.status, ExitStatus.USAGE)
    assert.match(refused.stderr, /is not a regular file/)
  })
})
