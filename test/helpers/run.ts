import {runCommand} from '@oclif/test'
import {execFile} from 'node:child_process'
import {dirname, resolve} from 'node:path'
import {setImmediate} from 'node:timers/promises'
import {fileURLToPath} from 'node:url'

// The tests run the sources: never the manifest of the last build.
import '../../scripts/ignore-manifest.mjs'
import {shardLoaded} from './shard-loading.js'

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

export interface RunResult<T> {
  stdout: string
  stderr: string
  result?: T
  error?: Error & {oclif?: {exit?: number}}
  /** The process exit status the command asked for (oclif sets process.exitCode). */
  status: number
}

/**
 * Runs a command in-process against src/ (no build needed). Waits until the shard has imported every file
 * and lets the event loop turn first, so node:test's own messages are not swallowed by runCommand's stdout capture, and resets the
 * process.exitCode the command set, after recording it.
 */
export async function run<T>(args: string[]): Promise<RunResult<T>> {
  await shardLoaded()
  await setImmediate()
  const output = await runCommand<T>(args, {root})
  const status = Number(process.exitCode ?? output.error?.oclif?.exit ?? 0)
  process.exitCode = undefined
  return {...output, status}
}

export interface SpawnResult {
  stdout: string
  stderr: string
  status: number
}

/**
 * Runs the built CLI (bin/run.js, as a user runs it; `npm test` builds first) as a separate process:
 * real exit status, real stdout/stderr split, environment (NO_COLOR, TZ) and stdin. Slower than run().
 */
export function spawnCli(args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; input?: string} = {}): Promise<SpawnResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      process.execPath,
      [resolve(root, 'bin/run.js'), ...args],
      {cwd: options.cwd ?? root, env: {...process.env, NODE_ENV: 'production', ...options.env}, maxBuffer: 64 * 1024 * 1024},
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolvePromise({stdout, stderr, status})
      },
    )
    if (options.input !== undefined) child.stdin?.end(options.input)
    else child.stdin?.end()
  })
}
