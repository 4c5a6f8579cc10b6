import {randomBytes} from 'node:crypto'
import {appendFile, chmod, chown, realpath, rename, rm, stat, writeFile} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'

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
 */
export async function writeUserList(path: string, users: readonly string[]): Promise<void> {
  const existing = await stat(path).catch(() => null)
  if (existing && !existing.isFile()) throw new OutputFileError(`cannot write ${path}: it exists and is not a regular file`)
  const temporary = join(dirname(resolve(path)), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(temporary, users.map((user) => `${user}\n`).join(''), {flag: 'wx'})
    if (existing) {
      // A list replacing a file keeps that file's permissions and owner (rename would give it new ones).
      await chmod(temporary, existing.mode & 0o7777)
      if (process.getuid?.() === 0) await chown(temporary, existing.uid, existing.gid)
    }
    await rename(temporary, path)
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
