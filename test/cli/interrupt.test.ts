import assert from 'node:assert/strict'
import {execFileSync, spawn} from 'node:child_process'
import {once} from 'node:events'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {wholeLinesUntilAborted} from '../../src/input/abortable.js'

async function collect(chunks: Buffer[], signal: AbortSignal): Promise<string> {
  let text = ''
  for await (const piece of wholeLinesUntilAborted(
    (async function* () {
      yield* chunks
    })(),
    signal,
  ))
    text += piece.toString('latin1')
  return text
}

describe('reading until Ctrl-C', () => {
  it('passes every byte on unchanged when not aborted, whatever the chunking', async () => {
    const text = 'one\ntwo\nthree without newline'
    for (let size = 1; size <= text.length; size++) {
      const chunks: Buffer[] = []
      for (let at = 0; at < text.length; at += size) chunks.push(Buffer.from(text.slice(at, at + size)))
      assert.equal(await collect(chunks, new AbortController().signal), text, `chunks of ${size}`)
    }
  })

  it('ends after the last whole line once aborted', async () => {
    const controller = new AbortController()
    let text = ''
    async function* source() {
      yield Buffer.from('user1,75\nuser2,')
      controller.abort()
      yield Buffer.from('7')
    }
    for await (const piece of wholeLinesUntilAborted(source(), controller.signal)) text += piece.toString()
    assert.equal(text, 'user1,75\n')
  })

  it('keeps no chunk alive once it is read: memory stays flat however long the input', () => {
    // Racing each read against one long-lived abort promise kept every chunk reachable from it (a 300 MB log
    // took 390 MB). A GC may keep one by chance; 25 of 25 kept is the leak.
    const kept = Number(
      execFileSync(process.execPath, ['--import', 'tsx', 'test/cli/scripts/chunks-kept-while-reading.ts'], {encoding: 'utf8'}),
    )
    assert.ok(kept <= 3, `${kept} of the first 25 chunks still reachable while reading`)
  })

  it('a second Ctrl-C quits at once, even while a read waits for ever (a FIFO no writer opened yet)', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'dovediag-fifo-')), 'log')
    execFileSync('mkfifo', [fifo])
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/cli/scripts/second-ctrl-c-while-opening-fifo.ts', fifo])
    const ended = once(child, 'close') as Promise<[number | null, string | null]>
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    await once(child.stdout, 'data') // `ready`: Ctrl-C is handled, the open is waiting
    let timer: NodeJS.Timeout | undefined
    try {
      child.kill('SIGINT')
      while (!stderr.includes('Ctrl-C again')) await once(child.stderr, 'data')
      child.kill('SIGINT')
      const late = new Promise<'still running'>((resolve) => (timer = setTimeout(resolve, 15_000, 'still running')))
      const result = await Promise.race([ended, late])
      // Ended by SIGINT itself, which a shell reports as 130, as Ctrl-C does to any program.
      assert.deepEqual(result, [null, 'SIGINT'])
    } finally {
      clearTimeout(timer)
      child.kill('SIGKILL')
    }
  })
})
