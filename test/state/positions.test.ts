import assert from 'node:assert/strict'
import {appendFileSync, mkdtempSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {createRequire, syncBuiltinESMExports} from 'node:module'
import {spawn, execFileSync} from 'node:child_process'
import {once} from 'node:events'
import {setTimeout as sleep} from 'node:timers/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, it} from 'node:test'

import {fileInput} from '../../src/input/resolve.js'
import {fingerprintOf, positionFrom} from '../../src/input/offsets.js'
import {planReading, positionToSave} from '../../src/state/positions.js'

/**
 * logrotate renaming the live log and creating a new one between two looks at it by path. The looks are
 * node:fs/promises' `open` and `stat` (as the code imports them): the first one that touches the log lets the
 * rename happen right after it, before anything else is asked of the file.
 */
const fsPromises = createRequire(import.meta.url)('node:fs/promises') as Record<string, unknown>
const originals = {open: fsPromises.open, stat: fsPromises.stat} as Record<string, (...args: unknown[]) => Promise<unknown>>

function rotateRightAfterFirstLook(log: string, newContent: string): void {
  let rotated = false
  for (const name of ['open', 'stat'] as const) {
    fsPromises[name] = async (...args: unknown[]) => {
      const result = await originals[name](...args)
      if (!rotated && args[0] === log) {
        rotated = true
        renameSync(log, `${log}.1`)
        writeFileSync(log, newContent)
      }
      return result
    }
  }
  syncBuiltinESMExports()
}

afterEach(() => {
  Object.assign(fsPromises, originals)
  syncBuiltinESMExports()
})

const OLD = Array.from({length: 4}, (_, i) => `Nov 23 10:00:0${i} imap(jdoe)<1234><AbCdEf12>: Info: old line ${i}\n`).join('')
const NEW = 'Nov 23 12:00:00 imap(jdoe)<1234><AbCdEf12>: Info: the new file after the rotation\n'

describe('reading positions while logrotate renames the live log', () => {
  it('a position is saved with the identity and the first bytes of one file', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'dovediag-positions-')), 'dovecot.log')
    writeFileSync(log, OLD)
    const old = statSync(log)
    const position = {...positionFrom(0, 0), end: OLD.length, lines: 4, finished: true}
    rotateRightAfterFirstLook(log, NEW)
    // The plan saw the old file with fewer bytes than a fingerprint: its head is read again when saving.
    const saved = await positionToSave({path: log, identity: {dev: old.dev, ino: old.ino}, head: Buffer.from(OLD.slice(0, 10)), position})
    if (saved.ino === old.ino) assert.equal(saved.fingerprint, await fingerprintOf(Buffer.from(OLD)), 'the old inode with the old bytes')
    else assert.fail('the old file was read to its end: its own inode is saved')
  })

  it('a plan tracks the live log with the identity and the first bytes of one file', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'dovediag-positions-')), 'dovecot.log')
    writeFileSync(log, OLD)
    const old = statSync(log)
    const saved = await positionToSave({
      path: log,
      identity: {dev: old.dev, ino: old.ino},
      head: Buffer.from(OLD),
      position: {...positionFrom(0, 0), end: OLD.length, lines: 4, finished: true},
    })
    appendFileSync(log, 'Nov 23 11:00:00 imap(jdoe)<1234><AbCdEf12>: Info: written just before the rotation\n')
    rotateRightAfterFirstLook(log, NEW)
    const plan = await planReading([fileInput(log)], new Map([[log, saved]]))
    assert.ok(plan.tracked.length > 0)
    for (const tracked of plan.tracked) {
      const file = [log, `${log}.1`].find((path) => statSync(path).ino === tracked.identity?.ino)
      assert.ok(file, 'tracked as a file that is there')
      const first = readFileSync(file).subarray(0, tracked.head.length)
      assert.equal(tracked.head.toString(), first.toString(), `the first bytes of ${file}, the file of that inode`)
    }
  })
})

describe('a live log that is there but cannot be read', () => {
  it('is handed to the reader to report, its saved position kept, and no rotation claimed', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'dovediag-positions-')), 'dovecot.log')
    writeFileSync(log, OLD)
    const old = statSync(log)
    const saved = {
      dev: old.dev,
      ino: old.ino,
      size: OLD.length,
      offset: OLD.length,
      line: 4,
      fingerprint: await fingerprintOf(Buffer.from(OLD)),
      fingerprintBytes: OLD.length,
    }
    // As for a user the file's new mode shuts out (root reads any file, so the refusal is planted).
    fsPromises.open = async (...args: unknown[]) => {
      if (args[0] === log) throw Object.assign(new Error(`EACCES: permission denied, open '${log}'`), {code: 'EACCES'})
      return originals.open(...args)
    }
    syncBuiltinESMExports()
    const plan = await planReading([fileInput(log)], new Map([[log, saved]]))
    assert.deepEqual(
      plan.inputs.map((input) => input.name),
      [log],
      'the reader is given the log, and reports why it cannot be read',
    )
    assert.deepEqual(plan.notes, [], 'nothing says it was rotated or that lines were lost')
    assert.deepEqual(plan.tracked, [], 'not tracked: its saved position stays for the run that can read it')
  })
})

describe('a FIFO under a --state path', () => {
  it('is not opened by the plan: a writer waiting for its reader keeps waiting, and nothing it writes is lost', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'dovediag-positions-')), 'dovecot.log')
    execFileSync('mkfifo', [fifo])
    const writer = spawn('sh', ['-c', `printf 'a line\\n' > '${fifo}'`], {stdio: 'ignore'})
    try {
      await sleep(200) // the writer is in its open, waiting for a reader
      const plan = await planReading([fileInput(fifo)], new Map())
      assert.deepEqual(plan.tracked, [])
      await sleep(200)
      assert.equal(writer.exitCode, null, 'the writer still waits: the plan let it write to no one')
      // The reader then gets what it writes.
      const {open: openForReading} = await import('node:fs/promises')
      const pipe = await openForReading(fifo, 'r')
      assert.equal((await pipe.readFile()).toString(), 'a line\n')
      await pipe.close()
      if (writer.exitCode === null) await once(writer, 'exit')
    } finally {
      writer.kill()
    }
  })
})
