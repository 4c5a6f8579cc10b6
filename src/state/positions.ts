import {constants, type Stats, stat as statByCallback} from 'node:fs'
import {type FileHandle, open, readdir, stat} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {promisify} from 'node:util'

import {fingerprintOf, headOf, positionFrom, type PositionedInput, type ReadingPosition} from '../input/offsets.js'
import {fileInput, type InputSource} from '../input/resolve.js'
import type {LogInput} from '../ingest/inputs.js'
import {rotationOf} from '../ingest/rotation.js'

/**
 * Where reading of a log file stopped last time (`--state`), as logtail2 and check_logfiles keep it: the
 * file's identity (device and inode, and a digest of its first bytes, which survives a rename and a gzip),
 * its size then, and the offset and line number just past the last whole line read.
 */
export interface SavedPosition {
  dev: number
  ino: number
  size: number
  offset: number
  line: number
  /** sha256 (hex) of the first `fingerprintBytes` bytes of the content (inflated, for a gzipped copy). */
  fingerprint: string
  fingerprintBytes: number
}

/** How many first bytes identify a log's content: a few lines, each with its own time stamp. */
const FINGERPRINT_BYTES = 1024

/** A live log whose position is kept: where it is, what it was when the plan was made, how it was read. */
export interface TrackedLog {
  /** Absolute path: the key in the state file. */
  path: string
  /** The live file as stat'ed for the plan, or null when it did not exist. */
  identity: {dev: number; ino: number} | null
  /** Its first bytes when the plan was made: its fingerprint if it is rotated away while being read. */
  head: Buffer
  /** Its reader, which says how far it got. */
  position: ReadingPosition
}

export interface ReadingPlan {
  inputs: LogInput[]
  tracked: TrackedLog[]
  /** What happened to the logs since the last run, one line each, for stderr. */
  notes: string[]
}

/**
 * The position to save for a tracked file its reader finished: its identity from the plan, and the digest
 * of its first bytes as far as they were read (read again now when it grew, unless it was rotated away
 * meanwhile: then the plan's copy of them, which are the same bytes).
 */
export async function positionToSave(log: TrackedLog & {identity: {dev: number; ino: number}}): Promise<SavedPosition> {
  const {identity, position} = log
  return withFile(log.path, async (file) => {
    const same = file !== null && file.info.dev === identity.dev && file.info.ino === identity.ino
    const head = same && log.head.length < FINGERPRINT_BYTES ? await file.head(FINGERPRINT_BYTES).catch(() => log.head) : log.head
    const fingerprintBytes = Math.min(head.length, position.end)
    return {
      dev: identity.dev,
      ino: identity.ino,
      size: same ? file.info.size : position.end,
      offset: position.end,
      line: position.lines,
      fingerprint: await fingerprintOf(head.subarray(0, fingerprintBytes)),
      fingerprintBytes,
    }
  })
}

/** A file as one open handle shows it: its identity and size, and its first bytes read from the same file. */
interface OpenedFile {
  info: Stats
  head(bytes: number): Promise<Buffer>
}

/**
 * Runs `look` on the file at `path` opened once (null when it cannot be opened): what it learns of the file's
 * identity and its first bytes comes from one file, even when logrotate renames it and creates another under
 * the path meanwhile. Asked by path twice, a `--follow` look saved the old inode with the new file's first
 * bytes, and the next look found no rotated copy holding them: the old file's last lines were lost.
 */
/** A path's kind, without opening it (node:fs's own stat, so the tests' planted renames see only the open). */
const statPath = promisify(statByCallback)

async function withFile<T>(path: string, look: (file: OpenedFile | null) => Promise<T>): Promise<T> {
  // A FIFO is not opened at all: its opening lets a writer waiting in its own open go on, and what it writes is
  // lost when this look closes it (the reader then waits for a writer for ever). A rename between this check
  // and the open is harmless: the identity and the first bytes still come from the one handle.
  if ((await statPath(path).catch(() => null))?.isFIFO()) return look(null)
  // Non-blocking all the same: a FIFO put under the path meanwhile would otherwise block the open.
  const handle: FileHandle | null = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => null)
  if (handle === null) return look(null)
  try {
    const info = await handle.stat()
    return await look(info.isFile() ? {info, head: (bytes) => headOf(handle, bytes)} : null)
  } finally {
    await handle.close()
  }
}

/** The rotated copies of `path` in its directory (`x.log.1`, `x.log.2.gz`, `x.log-20261130`), oldest first. */
async function rotatedCopies(path: string): Promise<string[]> {
  const dir = dirname(path)
  const names = await readdir(dir).catch(() => [] as string[])
  const base = basename(path)
  return names
    .filter((name) => name !== base && name.startsWith(base))
    .map((name) => join(dir, name))
    .map((candidate) => ({candidate, rotation: rotationOf(candidate)}))
    .filter(({rotation}) => rotation.base === path)
    .sort((a, b) => a.rotation.rank[0] - b.rotation.rank[0] || a.rotation.rank[1] - b.rotation.rank[1])
    .map(({candidate}) => candidate)
}

/**
 * The rotated copy holding the content `saved` describes, and the copies rotated after it (newest last):
 * a renamed copy keeps its inode; a compressed one keeps its first bytes. Null when none does.
 */
async function findRotated(path: string, saved: SavedPosition): Promise<{copy: string; newer: string[]} | null> {
  const copies = await rotatedCopies(path)
  for (let index = copies.length - 1; index >= 0; index--) {
    const copy = copies[index]
    const holds = await withFile(copy, async (file) => {
      if (file === null) return false
      const sameFile = file.info.dev === saved.dev && file.info.ino === saved.ino
      const head = await file.head(saved.fingerprintBytes).catch(() => null)
      if (head === null || head.length < saved.fingerprintBytes) return false
      // A renamed copy that was also truncated is not the content saved: its first bytes tell.
      return (await fingerprintOf(head)) === saved.fingerprint && (sameFile || saved.fingerprintBytes > 0 || index === copies.length - 1)
    })
    if (holds) return {copy, newer: copies.slice(index + 1)}
  }
  return null
}

const shown = (path: string, like: string): string => (like === path ? path : join(dirname(like), basename(path)))

/**
 * What to read this run, given where reading stopped last run. Files are grouped into rotated sets; a set
 * whose live file has a saved position is read from there:
 * - the same file (device, inode and first bytes), not shorter: from the saved offset;
 * - rotated since (another inode, or gone): the rest of the rotated copy from the saved offset (found by
 *   inode, or by its first bytes when it was compressed), then the copies rotated after it, then the live
 *   file from its start;
 * - the same inode but shorter, or other first bytes (copytruncate): the rest of the copy that holds the
 *   old content, when there is one, then the live file from its start; said on stderr.
 * A set seen for the first time is read as named, and its live file tracked. Stdin and commands are read
 * whole: they have no position.
 */
export async function planReading(inputs: LogInput[], saved: ReadonlyMap<string, SavedPosition>): Promise<ReadingPlan> {
  const plan: ReadingPlan = {inputs: [], tracked: [], notes: []}
  const sets = new Map<string, LogInput[]>()
  for (const input of inputs) {
    const key = input.kind === 'file' ? rotationOf(resolve(input.path)).base : `\0${input.name}`
    if (!sets.has(key)) sets.set(key, [])
    sets.get(key)!.push(input)
  }

  for (const [key, members] of sets) {
    if (key.startsWith('\0')) {
      plan.inputs.push(...members)
      continue
    }
    const live = members.find((member) => member.kind === 'file' && resolve(member.path) === key) as
      (InputSource & {kind: 'file'}) | undefined
    if (live === undefined) {
      // Only rotated copies were named: each is its own tracked file (a rotated copy no longer grows).
      for (const member of members) await planSet(plan, member as InputSource & {kind: 'file'}, [], saved)
      continue
    }
    await planSet(
      plan,
      live,
      members.filter((member) => member !== live),
      saved,
    )
  }
  return plan
}

async function planSet(
  plan: ReadingPlan,
  live: InputSource & {kind: 'file'},
  others: LogInput[],
  saved: ReadonlyMap<string, SavedPosition>,
): Promise<void> {
  const path = resolve(live.path)
  await withFile(path, (file) => planFromLook(plan, live, path, file, others, saved))
}

/** planSet's decision, given the live file as one open handle showed it (null: not there, or not readable). */
async function planFromLook(
  plan: ReadingPlan,
  live: InputSource & {kind: 'file'},
  path: string,
  file: OpenedFile | null,
  others: LogInput[],
  saved: ReadonlyMap<string, SavedPosition>,
): Promise<void> {
  const info = file?.info ?? null
  const identity = info === null ? null : {dev: info.dev, ino: info.ino}
  const track = async (start: number, line: number): Promise<void> => {
    const position = positionFrom(start, line)
    plan.inputs.push({...live, position} satisfies PositionedInput)
    plan.tracked.push({path, identity, head: (await file?.head(FINGERPRINT_BYTES).catch(() => null)) ?? Buffer.alloc(0), position})
  }
  const last = saved.get(path)
  if (last === undefined) {
    plan.inputs.push(...others)
    if (info === null)
      plan.inputs.push(live) // reported by the reader (missing, or why it cannot be read)
    else await track(0, 0)
    return
  }

  if (file === null && (await stat(path).catch(() => null)) !== null) {
    // There, but not a file this user can open (its mode, a FIFO, a directory): the reader says why, and the
    // saved position stays (not tracked) for the run that can read it. It is no sign of a rotation.
    plan.inputs.push(live)
    return
  }

  if (file !== null && file.info.dev === last.dev && file.info.ino === last.ino) {
    const head = await file.head(last.fingerprintBytes)
    if (file.info.size >= last.offset && (await fingerprintOf(head)) === last.fingerprint && head.length === last.fingerprintBytes) {
      await track(last.offset, last.line)
      return
    }
  }

  const truncated = info !== null && identity !== null && identity.dev === last.dev && identity.ino === last.ino
  const rotated = await findRotated(path, last)
  if (rotated !== null) {
    const copyInfo = await stat(rotated.copy).catch(() => null)
    const readToItsEnd = copyInfo !== null && copyInfo.dev === last.dev && copyInfo.ino === last.ino && copyInfo.size <= last.offset
    // Rotated, and the live file not created again yet (logrotate's rename and Dovecot's reopen are apart):
    // a copy already read to its end has nothing to read, and says nothing, however many looks fall in
    // between; once the live file is back, it is read from its start.
    if (readToItsEnd && rotated.newer.length === 0) {
      if (info === null) return
      plan.notes.push(`${live.name} is there again after its rotation: reading it from its start`)
      await track(0, 0)
      return
    }
    const rest: PositionedInput = {...fileInput(shown(rotated.copy, live.path)), position: positionFrom(last.offset, last.line)}
    // Newer copies are read whole; with the live file gone, from a position too, to know where reading stopped.
    const newer = rotated.newer.map((copy): PositionedInput => ({...fileInput(shown(copy, live.path)), position: positionFrom(0, 0)}))
    plan.inputs.push(rest, ...(info === null ? newer : rotated.newer.map((copy) => fileInput(shown(copy, live.path)))))
    const then = info === null ? `; ${live.name} itself is not there (yet)` : `, then ${live.name} from its start`
    plan.notes.push(
      truncated
        ? `${live.name} was truncated since the last run (copytruncate): reading the rest of its copy ${rest.name} from byte ${last.offset}${then}`
        : `${live.name} was rotated since the last run: reading the rest of ${rest.name} from byte ${last.offset}${newer.length > 0 ? `, then ${newer.length} newer rotated file(s)` : ''}${then}`,
    )
    if (info === null) {
      // Kept as the live file's position: the newest copy, where reading stopped in it. Otherwise the next look
      // (or run) would find the saved position unchanged and read the same rest again, counting it twice.
      const newest = newer.at(-1) ?? rest
      const tracked = await withFile(newest.path, async (copy) =>
        copy === null
          ? null
          : {identity: {dev: copy.info.dev, ino: copy.info.ino}, head: await copy.head(FINGERPRINT_BYTES).catch(() => Buffer.alloc(0))},
      )
      if (tracked !== null) plan.tracked.push({path, ...tracked, position: newest.position})
    }
  } else {
    plan.notes.push(
      `${live.name} was ${truncated ? 'truncated' : 'rotated'} since the last run and no rotated copy holds its earlier content: reading it from its start; ` +
        `lines written to the old content after byte ${last.offset} were not read`,
    )
  }
  if (info !== null) await track(0, 0)
}
