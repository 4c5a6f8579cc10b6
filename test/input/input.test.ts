import assert from 'node:assert/strict'
import {execFileSync, spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Readable} from 'node:stream'
import {describe, it} from 'node:test'
import {gzipSync} from 'node:zlib'

import {openInput} from '../../src/input/open.js'
import {readProblem} from '../../src/input/problem.js'
import {fileInput, resolveInputs, type DirectoryArgument} from '../../src/input/resolve.js'

const scratch = () => mkdtempSync(join(tmpdir(), 'dovediag-input-'))
const REJECT: DirectoryArgument = {reject: 'give the files'}
const TEXT_FILES: DirectoryArgument = {expand: {files: (name) => name.endsWith('.txt'), what: 'text files (*.txt)'}}

async function content(bytes: AsyncIterable<Buffer>): Promise<string> {
  let text = ''
  for await (const chunk of bytes) text += chunk.toString('utf8')
  return text
}

describe('resolveInputs', () => {
  it('stdin, sorted glob matches and literal files, each file once however it is spelled', async () => {
    const dir = scratch()
    for (const name of ['b.txt', 'a.txt', 'c.txt']) writeFileSync(join(dir, name), name)
    const {sources, problems} = await resolveInputs(['-', join(dir, '*.txt'), `${dir}/./b.txt`, '-'], REJECT)
    assert.deepEqual(problems, [])
    assert.deepEqual(
      sources.map((s) => s.name),
      ['-', ...['a.txt', 'b.txt', 'c.txt'].map((name) => join(dir, name))],
    )
  })

  it('a missing path, a glob matching nothing and an unreadable directory are each named, not dropped', async () => {
    const dir = scratch()
    const {sources, problems} = await resolveInputs(
      [join(dir, 'missing.log'), join(dir, '*.gz'), join(dir, 'missing.log', 'below')],
      REJECT,
    )
    assert.deepEqual(sources, [])
    assert.deepEqual(
      problems.map((p) => [p.kind, p.input, p.line, p.message]),
      [
        ['not-found', join(dir, 'missing.log'), null, 'not found'],
        ['no-match', join(dir, '*.gz'), null, 'matches no file'],
        ['not-found', join(dir, 'missing.log', 'below'), null, 'not found'],
      ],
    )
  })

  it('a directory is rejected with the hint, or gives the files the command reads in it, sorted', async () => {
    const dir = scratch()
    mkdirSync(join(dir, 'sub.txt'))
    for (const name of ['z.txt', 'a.txt', 'notes.md']) writeFileSync(join(dir, name), name)
    const rejected = await resolveInputs([dir], REJECT)
    assert.deepEqual(rejected.sources, [])
    assert.deepEqual(
      rejected.problems.map((p) => [p.kind, p.message]),
      [['is-directory', 'is a directory (give the files)']],
    )

    const expanded = await resolveInputs([dir], TEXT_FILES)
    assert.deepEqual(expanded.problems, [])
    assert.deepEqual(
      expanded.sources.map((s) => s.name),
      [join(dir, 'a.txt'), join(dir, 'z.txt')],
    )

    const empty = await resolveInputs([join(dir, 'sub.txt')], TEXT_FILES)
    assert.deepEqual(
      empty.problems.map((p) => [p.kind, p.message]),
      [['empty-directory', 'directory has no text files (*.txt)']],
    )
  })
})

describe('openInput', () => {
  it('inflates gzip by its magic bytes whatever the name, and leaves other bytes alone', async () => {
    const dir = scratch()
    writeFileSync(join(dir, 'packed.log'), gzipSync('packed\n'))
    writeFileSync(join(dir, 'plain.gz'), 'plain\n')
    const packed = await openInput(fileInput(join(dir, 'packed.log')))
    assert.equal(packed.compressed, true)
    assert.equal(await content(packed.bytes), 'packed\n')
    const plain = await openInput(fileInput(join(dir, 'plain.gz')))
    assert.equal(plain.compressed, false)
    assert.equal(await content(plain.bytes), 'plain\n')
    assert.equal(typeof plain.modified, 'number')
  })

  it('reads stdin (gzipped across chunks) and an empty input', async () => {
    const packed = gzipSync('from stdin\n')
    const stdin = Readable.from([packed.subarray(0, 1), packed.subarray(1, 5), packed.subarray(5)])
    const opened = await openInput({kind: 'stdin', name: '-'}, {stdin})
    assert.equal(opened.modified, null)
    assert.equal(await content(opened.bytes), 'from stdin\n')
    assert.equal(await content((await openInput({kind: 'stdin', name: '-'}, {stdin: Readable.from([])})).bytes), '')
  })

  it('reuseChunks: a file of many chunks reads the same, plain or gzip, with Ctrl-C handling, with lines longer than a chunk', async () => {
    const dir = scratch()
    // Lines of every length up to 700 KiB (several chunks of 256 KiB) of letters that do not compress well,
    // so that the gzip file too is several chunks long.
    let seed = 1
    const lines = Array.from({length: 300}, (_, i) => {
      const line = Buffer.alloc(i % 7 === 0 ? i * 2400 : (i * 37) % 500)
      for (let at = 0; at < line.length; at++) line[at] = 97 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 26)
      return line.toString('latin1')
    })
    const text = lines.join('\n') + '\n'
    writeFileSync(join(dir, 'plain.log'), text)
    writeFileSync(join(dir, 'packed.log'), gzipSync(text))
    for (const name of ['plain.log', 'packed.log']) {
      for (const signal of [undefined, new AbortController().signal]) {
        const opened = await openInput(fileInput(join(dir, name)), {reuseChunks: true, signal})
        assert.equal(await content(opened.bytes), text, `${name}${signal ? ' with a signal' : ''}`)
      }
    }
  })

  it('reuseChunks: a chunk stays as it was until the one after the next is asked for, reads ahead or not', async () => {
    const dir = scratch()
    // Every chunk of 256 KiB different from the others, so an overwritten one cannot look the same.
    const text = Array.from({length: 60000}, (_, i) => `line ${i} ${'x'.repeat(i % 13)}`).join('\n') + '\n'
    writeFileSync(join(dir, 'plain.log'), text)
    for (const start of [undefined, 1000]) {
      const opened = await openInput(fileInput(join(dir, 'plain.log')), {reuseChunks: true, start})
      const chunks = opened.bytes[Symbol.asyncIterator]()
      let last: {view: Buffer; copy: Buffer} | null = null
      let read = ''
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        // Time for a read ahead to land where it must not.
        await new Promise((resolve) => setTimeout(resolve, 5))
        if (last) assert.ok(last.view.equals(last.copy), 'the chunk before the one just given was overwritten')
        last = {view: next.value, copy: Buffer.from(next.value)}
        read += next.value.toString('utf8')
      }
      assert.equal(read, text.slice(start ?? 0))
    }
  })

  it('reuseChunks: a reader that stops after the first chunk ends there, with at most one chunk read ahead', async () => {
    const dir = scratch()
    writeFileSync(join(dir, 'plain.log'), 'y'.repeat(3 * 256 * 1024))
    const opened = await openInput(fileInput(join(dir, 'plain.log')), {reuseChunks: true})
    for await (const chunk of opened.bytes) {
      assert.equal(chunk.length, 256 * 1024)
      break
    }
    assert.equal(opened.bytesRead?.() !== undefined && opened.bytesRead() <= 2 * 256 * 1024, true)
  })

  it('reuseChunks: a pipe given as a path (`<(zcat log.gz)`) is read as it comes, not by position', async () => {
    const dir = scratch()
    const pipe = join(dir, 'pipe')
    execFileSync('mkfifo', [pipe])
    const text = Array.from({length: 20000}, (_, i) => `line ${i} of a log read through a pipe`).join('\n') + '\n'
    const writing = writeFile(pipe, text)
    const opened = await openInput(fileInput(pipe), {reuseChunks: true})
    assert.equal(await content(opened.bytes), text)
    await writing
  })

  it('reuseChunks: a reader that stops early on a pipe whose writer is idle ends at once (no read ahead waits on it)', async () => {
    const dir = scratch()
    const pipe = join(dir, 'pipe')
    execFileSync('mkfifo', [pipe])
    // The writer keeps the pipe open after its line, as `tail -f` does: a read ahead would wait until it closed.
    const writer = spawn('sh', ['-c', 'exec 3>"$0"; printf "first line\\n" >&3; exec sleep 30', pipe], {stdio: 'ignore'})
    try {
      const opened = await openInput(fileInput(pipe), {reuseChunks: true})
      const stopped = (async () => {
        for await (const chunk of opened.bytes) {
          assert.equal(chunk.toString('utf8'), 'first line\n')
          break
        }
        return 'stopped'
      })()
      let timer: NodeJS.Timeout | undefined
      const late = new Promise((resolve) => (timer = setTimeout(resolve, 3000, 'still waiting on the writer')))
      assert.equal(await Promise.race([stopped, late]), 'stopped')
      clearTimeout(timer)
    } finally {
      writer.kill()
    }
  })

  it('throws for what cannot be opened; a truncated gzip fails while reading, after what it held', async () => {
    const dir = scratch()
    await assert.rejects(openInput(fileInput(dir)), {code: 'EISDIR'})
    await assert.rejects(openInput(fileInput(join(dir, 'missing'))), {code: 'ENOENT'})
    const whole = gzipSync(Array.from({length: 5000}, (_, i) => `kept ${i * 7919}`).join('\n'))
    writeFileSync(join(dir, 'cut.gz'), whole.subarray(0, whole.length - 20))
    const opened = await openInput(fileInput(join(dir, 'cut.gz')))
    let text = ''
    const error = await (async () => {
      try {
        for await (const chunk of opened.bytes) text += chunk.toString('utf8')
      } catch (caught) {
        return caught
      }
    })()
    assert.match(text, /^kept 0\nkept 7919\n/)
    const problem = readProblem('cut.gz', error, 3)
    assert.equal(problem.kind, 'truncated-gzip')
    assert.match(problem.message, /^compressed data is truncated or corrupt \(.+\) after 3 lines: what came before it was read$/)
  })
})
