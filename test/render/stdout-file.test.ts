import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {closeSync, mkdtempSync, openSync, readFileSync, writeFileSync} from 'node:fs'
import {mkdtemp, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, it} from 'node:test'
import fc from 'fast-check'

import {ExitStatus} from '../../src/exit-status.js'
import {FileTextWriter} from '../../src/render/stdout-file.js'
import {root} from '../helpers/run.js'

async function workDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'dovediag-stdout-file-'))
}

/** Text that UTF-8 encodes in one to four bytes a character, lone surrogates (written as U+FFFD) included. */
const text = fc.oneof(
  fc.string({unit: 'binary', maxLength: 40}),
  fc.string({unit: fc.constantFrom('a', '"', '\\', '\u0001', '\u00e9', '\u2028', '\ud800', '\udc00', '😀', '\n'), maxLength: 90}),
)

/** The built CLI with stdout on a file (`> path`) or on a pipe: the bytes it wrote, and its status. */
function runCli(args: string[], stdoutFile: string | null): Promise<{stdout: Buffer; status: number}> {
  return new Promise((done, fail) => {
    const out = stdoutFile === null ? 'pipe' : openSync(stdoutFile, 'w')
    const child = spawn(process.execPath, [resolve(root, 'bin/run.js'), ...args], {
      cwd: root,
      stdio: ['ignore', out, 'ignore'],
      env: {...process.env, NO_COLOR: '1'},
    })
    if (typeof out === 'number') closeSync(out)
    const chunks: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.on('error', fail)
    child.on('close', (status) =>
      done({stdout: stdoutFile === null ? Buffer.concat(chunks) : readFileSync(stdoutFile), status: status ?? -1}),
    )
  })
}

describe('FileTextWriter: text for a file through one reused buffer', () => {
  it('writes exactly the bytes of each text encoded on its own (as process.stdout.write does), whatever the buffer size', async () => {
    const work = await workDir()
    let run = 0
    fc.assert(
      fc.property(fc.array(text, {maxLength: 30}), fc.integer({min: 4, max: 300}), (texts, bytes) => {
        const path = join(work, `out-${run++}`)
        const fd = openSync(path, 'w')
        const writer = new FileTextWriter(fd, (error) => assert.fail(error), bytes)
        for (const piece of texts) writer.write(piece)
        writer.flush()
        closeSync(fd)
        assert.deepEqual(readFileSync(path), Buffer.concat(texts.map((piece) => Buffer.from(piece))))
      }),
      {numRuns: 300},
    )
  })

  it('hands a write error to onError once and writes nothing more', async () => {
    const work = await workDir()
    const path = join(work, 'read-only')
    await writeFile(path, 'kept')
    const fd = openSync(path, 'r') // writeSync fails: EBADF
    const errors: Error[] = []
    const writer = new FileTextWriter(fd, (error) => errors.push(error), 16)
    writer.write('0123456789')
    writer.write('0123456789') // no room: the first is written, and fails
    writer.write('more')
    writer.flush()
    closeSync(fd)
    assert.equal(errors.length, 1)
    assert.equal((errors[0] as NodeJS.ErrnoException).code, 'EBADF')
    assert.equal(readFileSync(path, 'utf8'), 'kept')
  })
})

describe('migration check with stdout on a file', () => {
  it('writes the same bytes as on a pipe (--json, --format junit and markdown), odd user names and a big wave included', async () => {
    const work = await workDir()
    const odd = join(work, 'odd.csv')
    const names = ['quo"te@example.com', 'back\\slash@example.com', 'emoji😀@example.com', 'sep\u2028line@example.com', 'é@example.com']
    const rows = names.map((name, index) => `"${name.replaceAll('"', '""')}",${[0, 75, 2, 65, 77][index]},"dsync(${name}): Error: x"`)
    // Bad UTF-8 (a lone continuation byte): read as U+FFFD.
    await writeFile(
      odd,
      Buffer.concat([Buffer.from(`user,exit_code,stderr\n${rows.join('\n')}\nbad`), Buffer.from([0x80]), Buffer.from('@example.com,0,\n')]),
    )
    const big = join(work, 'big.csv')
    // Over one buffer of the writer (256 KiB) as JSON and JUnit.
    const many = Array.from({length: 2000}, (_, index) => `user${index}@example.com,${index % 3 === 0 ? 75 : 0},`)
    await writeFile(big, `user,exit_code,stderr\n${many.join('\n')}\n`)
    for (const input of [odd, big, 'fixtures/migration/wave.csv']) {
      for (const format of [['--json'], ['--format', 'junit'], ['--format', 'markdown']]) {
        const args = ['migration', 'check', input, ...format]
        const piped = await runCli(args, null)
        const filed = await runCli(args, join(work, 'out'))
        assert.ok(piped.stdout.length > 1000, `${args.join(' ')}: some output`)
        assert.equal(filed.status, piped.status, args.join(' '))
        assert.ok(filed.stdout.equals(piped.stdout), `${args.join(' ')}: the same bytes`)
      }
    }
  })

  it('a write error on the file (over its size limit) is one stderr line, status 74, and the file cut back as it was', () => {
    const work = mkdtempSync(join(tmpdir(), 'dovediag-stdout-file-'))
    const rows = Array.from({length: 2000}, (_, index) => `user${index}@example.com,${index % 3 === 0 ? 75 : 0},`)
    writeFileSync(join(work, 'big.csv'), `user,exit_code,stderr\n${rows.join('\n')}\n`)
    for (const format of [['--json'], ['--format', 'junit'], ['--format', 'markdown']]) {
      const out = join(work, 'out')
      writeFileSync(out, 'kept\n')
      // `>>` onto a file that may grow to 16 KiB (RLIMIT_FSIZE; Node ignores SIGXFSZ): the report's write fails with EFBIG.
      const args = ['migration', 'check', join(work, 'big.csv'), ...format]
      const result = spawnSync(
        'bash',
        ['-c', 'ulimit -f 16 && exec "$0" "$@" >>"$OUT"', process.execPath, resolve(root, 'bin/run.js'), ...args],
        {
          cwd: root,
          env: {...process.env, NO_COLOR: '1', OUT: out},
          encoding: 'utf8',
        },
      )
      assert.equal(result.status, ExitStatus.OUTPUT_ERROR, `${format.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, /^dovediag: cannot write the output: EFBIG[^\n]*; nothing was written\n$/)
      assert.equal(readFileSync(out, 'utf8'), 'kept\n', format.join(' '))
    }
  })
})
