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
  const output = await passingTestRunnerMessages(() => runCommand<T>(args, {root}))
  const status = Number(process.exitCode ?? output.error?.oclif?.exit ?? 0)
  process.exitCode = undefined
  return {...output, status}
}

type Write = typeof process.stdout.write

/**
 * Runs `during` with process.stdout.write routed: node:test's messages to the runner (V8-serialized, so their
 * first byte is 0xFF, which no UTF-8 text has) go to the real stdout; everything else goes to whatever write
 * is installed, runCommand's capture included. Under --test, a shard's messages are flushed to stdout
 * whenever the pipe lets them, so one may come while a command's output is captured, and would both corrupt
 * that output and be lost to the runner (seen under load: a test name inside a command's YAML).
 */
async function passingTestRunnerMessages<T>(during: () => Promise<T>): Promise<T> {
  const stdout = process.stdout
  const own = Object.getOwnPropertyDescriptor(stdout, 'write')
  // eslint-disable-next-line @typescript-eslint/unbound-method -- always called with .apply(stdout)
  const real = stdout.write
  let installed: Write = real
  const routed = ((...args: Parameters<Write>): boolean => {
    const chunk: unknown = args[0]
    return (chunk instanceof Uint8Array && chunk[0] === 0xff ? real : installed).apply(stdout, args)
  }) as Write
  Object.defineProperty(stdout, 'write', {
    configurable: true,
    get: () => routed,
    set: (write: Write) => {
      installed = write
    },
  })
  try {
    return await during()
  } finally {
    if (own) Object.defineProperty(stdout, 'write', own)
    else delete (stdout as {write?: Write}).write
  }
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
