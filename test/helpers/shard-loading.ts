/**
 * While a shard (test/shards/) is still importing its files, node:test writes each new test's `test:enqueue`
 * message to stdout, and the first files' tests are already running: run()'s in-process stdout capture would
 * take those messages as the command's output. run() waits for this promise first; a single test file run on
 * its own never sets it.
 */
let loading: Promise<void> = Promise.resolve()

export const shardLoaded = (): Promise<void> => loading

export function shardLoading(done: Promise<void>): void {
  loading = done
}
