import {constants} from 'node:fs'
import {access, appendFile, chmod, chown, lstat, realpath, rename, rm, stat, writeFile} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'

import {userNameProblem} from './record.js'

export class OutputFileError extends Error {}

async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path)
  } catch {
    // Not there yet: compare by the real directory it will be created in.
    try {
      return join(await realpath(dirname(resolve(path))), basename(path))
    } catch {
      return resolve(path)
    }
  }
}

/** Refuses an output path that is one of the inputs: inputs are only ever read. */
export async function assertNotInput(output: string, inputs: readonly string[], flag: string): Promise<void> {
  const target = await canonical(output)
  for (const input of inputs) {
    if (input !== '-' && (await canonical(input)) === target) {
      throw new OutputFileError(`${flag} ${output} is one of the inputs; refusing to overwrite it`)
    }
  }
}

/** Refuses two output flags naming one file: the second list would silently replace the first. */
export async function assertDistinctOutputs(outputs: readonly {flag: string; path: string | undefined}[]): Promise<void> {
  const seen = new Map<string, string>()
  for (const {flag, path} of outputs) {
    if (path === undefined) continue
    const target = await canonical(path)
    const earlier = seen.get(target)
    if (earlier) throw new OutputFileError(`${earlier} and ${flag} both name ${path}; give each list its own file`)
    seen.set(target, flag)
  }
}

/**
 * Where a user list given as `path` is really written, checked before any input is read (so a wrong path
 * costs nothing and never replaces the report): a symbolic link is followed to its target, which is
 * replaced (the link stays a link: replacing the link itself would leave the target holding the old list);
 * the target must be a regular file or not exist yet, in a directory that exists and can be written.
 */
export async function userListTarget(path: string): Promise<string> {
  let target = resolve(path)
  const link = await lstat(path).catch(() => null)
  if (link?.isSymbolicLink()) {
    try {
      target = await realpath(path)
    } catch {
      throw new OutputFileError(`cannot write ${path}: it is a symbolic link to a file that does not exist; give the target itself`)
    }
  }
  const existing = await stat(target).catch(() => null)
  if (existing && !existing.isFile()) throw new OutputFileError(`cannot write ${path}: it exists and is not a regular file`)
  const directory = dirname(target)
  const dirInfo = await stat(directory).catch(() => null)
  if (!dirInfo?.isDirectory()) throw new OutputFileError(`cannot write ${path}: the directory ${dirname(path)} does not exist`)
  // The list is written to a new file beside the target and renamed over it: the directory must take it.
  if (
    !(await access(directory, constants.W_OK | constants.X_OK).then(
      () => true,
      () => false,
    ))
  ) {
    throw new OutputFileError(`cannot write ${path}: permission denied (the directory ${dirname(path)} is not writable)`)
  }
  return target
}

/** Why a user list could not be written, naming the file the user gave (never the temporary one). */
function writeFailure(path: string, temporary: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return `cannot write ${path}: the directory ${dirname(path)} does not exist`
    case 'EACCES':
    case 'EPERM':
      return `cannot write ${path}: permission denied`
    case 'EISDIR':
      return `cannot write ${path}: it is a directory`
    default:
      return `cannot write ${path}: ${error.message.replaceAll(temporary, path)}`
  }
}

/**
 * Writes a user list, one user per line (what `doveadm backup -F FILE` reads), whole or not at all: into
 * a temporary file in the same directory, then renamed over the target, so a reader never sees half a list.
 * `path` is the name the user gave (for messages); `target` where it is written (see userListTarget).
 */
export async function writeUserList(path: string, users: readonly string[], target: string = path): Promise<void> {
  // The readers refuse such names; this is the last guard before a name could become two lines.
  for (const user of users) {
    const problem = userNameProblem(user)
    if (problem !== null) throw new OutputFileError(`cannot write ${path}: ${problem}`)
  }
  const existing = await stat(target).catch(() => null)
  if (existing && !existing.isFile()) throw new OutputFileError(`cannot write ${path}: it exists and is not a regular file`)
  // node:crypto is imported when a list is written: `logs`, which imports this module, never loads it.
  const {randomBytes} = await import('node:crypto')
  const temporary = join(dirname(resolve(target)), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(temporary, users.map((user) => `${user}\n`).join(''), {flag: 'wx'})
    if (existing) {
      // A list replacing a file keeps that file's permissions and owner (rename would give it new ones).
      await chmod(temporary, existing.mode & 0o7777)
      if (process.getuid?.() === 0) await chown(temporary, existing.uid, existing.gid)
    }
    await rename(temporary, target)
  } catch (error) {
    await rm(temporary, {force: true})
    throw new OutputFileError(writeFailure(path, temporary, error as NodeJS.ErrnoException))
  }
}

/** Appends Markdown to GitHub's job summary file ($GITHUB_STEP_SUMMARY). */
export async function appendStepSummary(path: string, markdown: string): Promise<void> {
  try {
    await appendFile(path, markdown)
  } catch (error) {
    throw new OutputFileError(`cannot append to $GITHUB_STEP_SUMMARY (${path}): ${(error as Error).message}`)
  }
}
