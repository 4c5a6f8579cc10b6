/**
 * End to end, as docs/monitoring.md sets it up: Debian's prometheus-node-exporter (textfile collector) and
 * prometheus on 127.0.0.1, with dovediag's alerting rules; dovediag runs twice with --state over a log that
 * grows and is rotated in between, and the series Prometheus scraped must say exactly what was written.
 * Slow (it waits for scrapes): run by .ci/run after `npm test`, or by hand: `npx tsx scripts/e2e-prometheus.ts`.
 * Needs the built CLI (npm run build) and the Debian packages prometheus and prometheus-node-exporter.
 */
import assert from 'node:assert/strict'
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {appendFileSync, mkdirSync, mkdtempSync, renameSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {hostname, tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dir = mkdtempSync(join(tmpdir(), 'dovediag-e2e-prometheus-'))
const textfiles = join(dir, 'textfile')
mkdirSync(textfiles)
const log = join(dir, 'dovecot.log')
const state = join(dir, 'dovediag.state')
const started: ChildProcess[] = []

const PANIC = (time: string) =>
  `Nov 23 ${time} imap(jdoe)<1234><AbCdEf12>: Panic: file mail-transaction-log-file.c: line 105 (mail_transaction_log_file_free): assertion failed: (!file->locked)`
const LOGIN = (time: string) =>
  `Nov 23 ${time} imap-login: Info: Login: user=<a@example.com>, method=PLAIN, rip=192.0.2.10, lip=192.0.2.1, mpid=1234, TLS, session=<abcDEF123>`

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number}
      server.close(() => resolvePort(port))
    })
  })
}

function start(command: string, args: string[]): void {
  const child = spawn(command, args, {stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr.on('data', (data: Buffer) => (stderr = (stderr + data.toString()).slice(-4000)))
  child.on('exit', (code) => {
    if (started.includes(child) && code !== null) console.error(`${command} exited (${code}):\n${stderr}`)
  })
  started.push(child)
}

function dovediag(...args: string[]): void {
  execFileSync(
    process.execPath,
    [
      join(root, 'bin/run.js'),
      'logs',
      log,
      '--state',
      state,
      '--format',
      'prometheus',
      '--output',
      join(textfiles, 'dovediag.prom'),
      ...args,
    ],
    {stdio: ['ignore', 'ignore', 'inherit']},
  )
}

async function query(prometheus: string, expr: string): Promise<Map<string, number>> {
  const response = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`)
  const body = (await response.json()) as {data: {result: {metric: Record<string, string>; value: [number, string]}[]}}
  return new Map(body.data.result.map((sample) => [JSON.stringify(sample.metric), Number(sample.value[1])]))
}

/** Waits until `expr` has a sample equal to `value` (a scrape happened since the textfile changed). */
async function until(prometheus: string, expr: string, value: number): Promise<void> {
  const deadline = Date.now() + 60_000
  let last: number[] = []
  while (Date.now() < deadline) {
    try {
      last = [...(await query(prometheus, expr)).values()]
      if (last.includes(value)) return
    } catch {
      // not up yet
    }
    await sleep(500)
  }
  throw new Error(`${expr}: expected ${value}, Prometheus has ${JSON.stringify(last)}`)
}

async function main(): Promise<void> {
  const [exporterPort, prometheusPort] = [await freePort(), await freePort()]
  const rules = execFileSync(process.execPath, [join(root, 'bin/run.js'), 'rules', '--export', 'prometheus'], {encoding: 'utf8'})
  writeFileSync(join(dir, 'dovediag.yml'), rules)
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: [${join(dir, 'dovediag.yml')}]\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ['127.0.0.1:${exporterPort}']\n`,
  )

  // First run before anything scrapes: everything in the log so far.
  writeFileSync(log, `${PANIC('10:00:00')}\n${LOGIN('10:00:01')}\n`)
  dovediag()

  start('prometheus-node-exporter', [
    `--web.listen-address=127.0.0.1:${exporterPort}`,
    '--collector.disable-defaults',
    '--collector.textfile',
    `--collector.textfile.directory=${textfiles}`,
  ])
  start('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${prometheusPort}`,
  ])
  const prometheus = `http://127.0.0.1:${prometheusPort}`
  const panics = `dovediag_findings_total{rule="panic",severity="critical",host="${hostname()}"}`
  await until(prometheus, panics, 1)
  await until(prometheus, 'dovediag_logins_total', 1)

  // The log grows, is rotated (create), and the new one gets lines too: the second run reads exactly those.
  appendFileSync(log, `${PANIC('11:00:00')}\n`)
  renameSync(log, `${log}.1`)
  writeFileSync(log, `${PANIC('12:00:00')}\n${LOGIN('12:00:01')}\n${LOGIN('12:00:02')}\n`)
  dovediag()
  await until(prometheus, panics, 3)
  await until(prometheus, 'dovediag_logins_total', 3)
  const lines = await query(prometheus, 'sum(dovediag_log_lines_total)')
  assert.deepEqual([...lines.values()], [6], 'every line counted once over both runs')
  await until(prometheus, `dovediag_input_readable{input="${log}"}`, 1)
  await until(prometheus, 'dovediag_rule_last_seen_timestamp_seconds{rule="panic"}', Date.UTC(guessYear(), 10, 23, 12) / 1000)

  const rulesState = (await (await fetch(`${prometheus}/api/v1/rules`)).json()) as {
    data: {groups: {rules: {name: string; health: string}[]}[]}
  }
  const loaded = rulesState.data.groups.flatMap((group) => group.rules)
  assert.ok(loaded.length > 30, `${loaded.length} rules loaded`)
  assert.ok(
    loaded.every((rule) => rule.health === 'ok' || rule.health === 'unknown'),
    JSON.stringify(loaded.filter((rule) => rule.health === 'err')),
  )
  console.log(
    `e2e prometheus: ok (findings, lines, logins, readable and last-seen series scraped across two --state runs and a rotation; ${loaded.length} alerting rules loaded)`,
  )
}

/** The year dovediag gives a syslog stamp without one: this year, unless that would be in the future. */
function guessYear(): number {
  const now = new Date()
  return Date.UTC(now.getUTCFullYear(), 10, 23, 12) > now.getTime() + 86_400_000 ? now.getUTCFullYear() - 1 : now.getUTCFullYear()
}

try {
  await main()
} finally {
  for (const child of started.splice(0)) child.kill('SIGTERM')
}
