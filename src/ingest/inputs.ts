import fg from 'fast-glob'
import {readdir, stat} from 'node:fs/promises'
import {basename, join} from 'node:path'

import type {InputProblem} from './input-problem.js'
import {orderRotatedSets} from './rotation.js'

/** One place to read log lines from. `name` is how it is shown and what records' `source` says. */
export type InputSource =
  | {kind: 'file'; name: string; path: string; reason?: string}
  | {kind: 'stdin'; name: '-'; reason?: string}
  | {kind: 'command'; name: string; command: string; args: string[]; reason?: string}

export interface ResolvedInputs {
  inputs: InputSource[]
  problems: InputProblem[]
}

// Log files inside a directory: `*.log`, the distributions' mail logs, anything named for Dovecot,
// each possibly rotated (`.1`, `-20261122`) and gzipped.
const LOG_FILE = /(\.log|^maillog|^mail\.(err|warn|info)|^messages|^syslog|dovecot[^/]*)(\.\d+|-\d{8})?(\.gz)?$/

export const isLogFileName = (name: string): boolean => LOG_FILE.test(name) && !name.endsWith('.journal')

/**
 * Turns command-line arguments into inputs: `-` is stdin, a glob is expanded (fast-glob), a directory
 * gives its log files, a path is a file. Anything that gives nothing is a problem, never silently dropped
 * (fast-glob returns nothing for a missing path, so literal paths are checked with stat). Files from all
 * arguments are ordered as rotated sets, oldest first, and read once each.
 */
export async function resolveInputs(args: string[]): Promise<ResolvedInputs> {
  const problems: InputProblem[] = []
  const entries: InputSource[] = []
  for (const arg of args) {
    if (arg === '-') {
      entries.push({kind: 'stdin', name: '-'})
      continue
    }

    if (fg.isDynamicPattern(arg)) {
      const matches = await fg(arg, {dot: true, onlyFiles: true, unique: true, suppressErrors: true})
      if (matches.length === 0) problems.push({kind: 'no-match', input: arg, line: null, message: 'matches no file'})
      for (const path of matches) entries.push(fileInput(path))
      continue
    }

    let info
    try {
      info = await stat(arg)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      problems.push(
        code === 'ENOENT' || code === 'ENOTDIR'
          ? {kind: 'not-found', input: arg, line: null, message: 'not found'}
          : {kind: 'unreadable', input: arg, line: null, message: `cannot read: ${(error as Error).message}`},
      )
      continue
    }

    if (!info.isDirectory()) {
      entries.push(fileInput(arg))
      continue
    }

    let names: string[]
    try {
      names = (await readdir(arg, {withFileTypes: true})).filter((e) => e.isFile() && isLogFileName(e.name)).map((e) => e.name)
    } catch (error) {
      problems.push({kind: 'unreadable', input: arg, line: null, message: `cannot read the directory: ${(error as Error).message}`})
      continue
    }

    if (names.length === 0) problems.push({kind: 'no-logs', input: arg, line: null, message: 'directory has no log files (*.log, mail.log, maillog, dovecot*)'})
    for (const name of names.sort()) entries.push(fileInput(join(arg, name)))
  }

  return {inputs: orderRotatedSets(dedupe(entries)), problems}
}

export const fileInput = (path: string, reason?: string): InputSource => ({kind: 'file', name: path, path, ...(reason ? {reason} : {})})

function dedupe(entries: InputSource[]): InputSource[] {
  const seen = new Set<string>()
  return entries.filter((entry) => {
    const key = entry.kind === 'file' ? entry.path : entry.name
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** The name without directories, for messages. */
export const displayName = (input: InputSource): string => (input.kind === 'file' ? basename(input.path) : input.name)
