import {readdir, realpath, stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import type {ReadingPosition} from './offsets.js'
import {describeError, inputProblem, type InputProblem} from './problem.js'

/** An input named on the command line, resolved. `name` is how it is shown (as named; `-` for stdin). */
export type InputSource =
  {kind: 'file'; name: string; path: string; reason?: string; position?: ReadingPosition} | {kind: 'stdin'; name: '-'; reason?: string}

const STDIN = '-'

/** Every pattern fast-glob knows holds one of these (wildcards, classes, braces, extglobs); other arguments are paths. */
const MAY_BE_PATTERN = /[*?[{(!+@]/

export const fileInput = (path: string, reason?: string): InputSource & {kind: 'file'} => ({
  kind: 'file',
  name: path,
  path,
  ...(reason ? {reason} : {}),
})

/**
 * What a directory argument means to a command: the files in it that it reads (`files` says which, and
 * `what` names them for the message when there are none), or an error with a hint at what to give instead.
 */
export type DirectoryArgument = {expand: {files: (name: string) => boolean; what: string}} | {reject: string}

export interface ResolvedInputs {
  sources: InputSource[]
  /** One per argument that gives nothing: missing, unreadable, a glob matching nothing, a directory. */
  problems: InputProblem[]
}

/**
 * Turns command-line arguments into inputs: `-` is stdin, a glob is expanded (fast-glob), a directory is
 * what `directory` says, any other path is a file. An argument that gives nothing is a problem, never
 * silently dropped: fast-glob returns nothing for a missing path, so literal paths are checked with stat.
 * Each glob's and directory's files are sorted; a file named twice (in any spelling, or through a symbolic
 * link) is read once.
 */
export async function resolveInputs(args: string[], directory: DirectoryArgument): Promise<ResolvedInputs> {
  const problems: InputProblem[] = []
  const sources: InputSource[] = []
  for (const arg of args) {
    if (arg === STDIN) {
      sources.push({kind: 'stdin', name: STDIN})
      continue
    }

    // fast-glob is loaded only for an argument that may be a pattern (~80 ms of start-up otherwise).
    const fg = MAY_BE_PATTERN.test(arg) ? (await import('fast-glob')).default : null
    if (fg !== null && fg.isDynamicPattern(arg)) {
      const matches = await fg(arg, {dot: true, onlyFiles: true, unique: true, suppressErrors: true})
      if (matches.length === 0) problems.push(inputProblem('no-match', arg, 'matches no file'))
      for (const path of matches.sort()) sources.push(fileInput(path))
      continue
    }

    let isDirectory
    try {
      isDirectory = (await stat(arg)).isDirectory()
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      problems.push(
        code === 'ENOENT' || code === 'ENOTDIR'
          ? inputProblem('not-found', arg, 'not found')
          : inputProblem('unreadable', arg, `cannot read: ${describeError(error)}`),
      )
      continue
    }

    if (!isDirectory) sources.push(fileInput(arg))
    else if ('reject' in directory) problems.push(inputProblem('is-directory', arg, `is a directory (${directory.reject})`))
    else {
      const found = await directoryFiles(arg, directory.expand.files)
      if (typeof found === 'string') problems.push(inputProblem('unreadable', arg, `cannot read the directory: ${found}`))
      else if (found.length === 0) problems.push(inputProblem('empty-directory', arg, `directory has no ${directory.expand.what}`))
      else for (const name of found) sources.push(fileInput(join(arg, name)))
    }
  }

  return {sources: await readOnce(sources), problems}
}

/** The directory's files that `wanted` accepts, sorted; or why it could not be listed. */
async function directoryFiles(dir: string, wanted: (name: string) => boolean): Promise<string[] | string> {
  try {
    return (await readdir(dir, {withFileTypes: true}))
      .filter((entry) => entry.isFile() && wanted(entry.name))
      .map((entry) => entry.name)
      .sort()
  } catch (error) {
    return describeError(error)
  }
}

/**
 * The first of each file and of stdin, by real path: `a.log`, `./a.log` and a link to it are one file, and
 * reading it twice would count every line (every attempt) twice.
 */
async function readOnce(sources: InputSource[]): Promise<InputSource[]> {
  const seen = new Set<string>()
  const once: InputSource[] = []
  for (const source of sources) {
    const key = source.kind === 'file' ? await realpath(source.path).catch(() => resolve(source.path)) : source.name
    if (seen.has(key)) continue
    seen.add(key)
    once.push(source)
  }
  return once
}
