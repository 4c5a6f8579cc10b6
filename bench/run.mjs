#!/usr/bin/env node
// The benchmark: `dovediag logs --json` (the full diagnosis) against what an admin would run instead, on
// two logs (the generator's, and one whose line mix follows real Dovecot 2.3 traffic under several
// wrappers). Every command runs once per round, the rounds interleaved (A, B, C, A, B, C, ... with the
// order rotated each round), so that a change of load on a shared machine hits all columns alike; the
// table gives the median and best wall time, CPU time (user + sys, less sensitive to load), peak RSS, and
// the ratio to the admin's grep taken within each round. The load average is recorded next to the numbers.
// Then start-up, peak RSS as the log grows, `migration check` on 100 000 rows and adversarial lines.
// Every command's output goes to a file: GNU grep stops at the first match when stdout is /dev/null.
//   npm run build && node bench/run.mjs [--logs gen,real-mix] [--size 200MB] [--runs 3] [--rss-sizes 100MB,1GB]
//     [--peers all|none|rg,lnav,logwatch,grep-all] [--cli OTHER/bin/run.js] [--out bench/RESULTS.md]
import {spawnSync} from 'node:child_process'
import {createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {once} from 'node:events'
import {cpus, loadavg, totalmem} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {RULES} from '../dist/catalog/index.js'
import {grepPattern} from './grep-pattern.mjs'
import {generateLog} from './generate-log.mjs'
import {generateRealMixLog} from './generate-real-mix.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const {values} = parseArgs({
  options: {
    logs: {type: 'string', default: 'gen,real-mix'},
    size: {type: 'string', default: '200MB'},
    runs: {type: 'string', default: '3'},
    'rss-sizes': {type: 'string', default: '100MB,1GB'},
    peers: {type: 'string', default: 'all'},
    out: {type: 'string', default: join(root, 'bench/RESULTS.md')},
    data: {type: 'string', default: join(root, 'bench/data')},
    'migration-rows': {type: 'string', default: '100000'},
    adversarial: {type: 'string', default: '50'},
    'startup-runs': {type: 'string', default: '5'},
    // Another build's bin/run.js (a copy of main's, say), to measure before and after a change.
    cli: {type: 'string', default: join(root, 'bin/run.js')},
  },
})
const runs = Math.max(1, Number(values.runs))
const data = values.data
mkdirSync(data, {recursive: true})
const cli = resolve(values.cli)
const output = join(data, 'output.txt')
const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`

const parseSize = (text) => {
  const m = /^(\d+(?:\.\d+)?)(KB|MB|GB)?$/i.exec(text)
  if (!m) throw new Error(`bad size ${text}`)
  return Math.round(Number(m[1]) * {KB: 1e3, MB: 1e6, GB: 1e9}[(m[2] ?? 'MB').toUpperCase()])
}

const LOGS = {
  gen: {
    generate: generateLog,
    about: "bench/generate-log.mjs: own-file and syslog lines, 5000 users, 1% problem lines (the catalog's examples)",
  },
  'real-mix': {
    generate: generateRealMixLog,
    about:
      'bench/generate-real-mix.mjs: real Dovecot 2.3 wording and traffic mix (logins, logouts, LMTP deliveries, scanners; errors ~0.1%), in runs under seven wrappers',
  },
}

/** A log of about `bytes`, generated once into bench/data. */
async function logFile(kind, label) {
  const bytes = parseSize(label)
  const file = join(data, `${kind}-${label}.log`)
  if (!existsSync(file) || Math.abs(statSync(file).size - bytes) > 4096) await LOGS[kind].generate(file, bytes)
  return file
}

/** Runs a shell command once under /usr/bin/time -v: wall and CPU seconds, peak RSS (MB), the load average before. */
function measureOnce(command, env = {}) {
  const load = loadavg()[0]
  const result = spawnSync('/usr/bin/time', ['-v', 'sh', '-c', command], {
    env: {...process.env, CI: '1', ...env},
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1e7,
  })
  const report = result.stderr
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)/.exec(report)
  if (wall === null) throw new Error(`could not time: ${command}\n${report}`)
  const seconds = (name) => Number(new RegExp(`${name} time \\(seconds\\): ([\\d.]+)`).exec(report)[1])
  return {
    wall: Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]),
    cpu: seconds('User') + seconds('System'),
    rss: Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)[1]) / 1024,
    load,
  }
}

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Runs every column `runs` times, interleaved: one run of each per round, the order rotated each round.
 * A column with `after` reads its output after each run (a count, or a check).
 */
function interleave(columns, rounds = runs) {
  const results = new Map(columns.map((column) => [column.id, []]))
  for (let round = 0; round < rounds; round++) {
    const shift = round % columns.length
    for (const column of [...columns.slice(shift), ...columns.slice(0, shift)]) {
      const run = measureOnce(column.command, column.env)
      run.round = round
      run.output = column.after?.() ?? null
      results.get(column.id).push(run)
    }
  }

  return columns.map((column) => {
    const list = results.get(column.id)
    // A round whose baseline measured 0 (below the clock's resolution, on a tiny log) gives no ratio.
    const perRound = (other, key) => {
      const ratios = list.map((run, index) => run[key] / results.get(other)[index][key]).filter(Number.isFinite)
      return ratios.length > 0 ? median(ratios) : null
    }
    const byRound = (other) => perRound(other, 'wall')
    const byRoundCpu = (other) => perRound(other, 'cpu')
    return {
      ...column,
      runs: list,
      wall: median(list.map((run) => run.wall)),
      best: Math.min(...list.map((run) => run.wall)),
      cpu: median(list.map((run) => run.cpu)),
      rss: Math.max(...list.map((run) => run.rss)),
      output: list.at(-1).output,
      ratio: (other) => (results.has(other) ? byRound(other) : null),
      cpuRatio: (other) => (results.has(other) ? byRoundCpu(other) : null),
    }
  })
}

const which = (program) => spawnSync('sh', ['-c', `command -v ${program}`], {encoding: 'utf8'}).stdout.trim() || null
const version = (program, args = ['--version']) => spawnSync(program, args, {encoding: 'utf8'}).stdout.split('\n')[0].trim()

// The grep an admin types for the documented problems (issue #16), as it stands: no rule's patterns in it.
export const ADMIN_PATTERN =
  'Time (just )?moved backwards|Cache file too large|returned error 83|Out of memory|net_connect_unix\\(.*\\) failed: Resource temporarily unavailable|process_limit \\([0-9]+\\) reached|client_limit/service_count|chown\\(.*\\) failed: Operation not permitted|failed: Permission denied|avc: +denied|Invalid (UID )?messageset|Invalid uidset'
const patternFile = join(data, 'catalog-patterns.ere')
writeFileSync(patternFile, grepPattern(RULES) + '\n')

const wanted =
  values.peers === 'all' ? ['rg', 'lnav', 'logwatch', 'grep-all'] : values.peers === 'none' ? [] : values.peers.split(',').filter(Boolean)
const count = () => readFileSync(output, 'utf8').trim().split('\n')[0]
const lines = () => `${readFileSync(output, 'utf8').split('\n').length - 1} lines of report`

/** The columns for one log file; missing peers are left out with a note. */
function columnsFor(file, notes) {
  const dovediag = `node ${quote(cli)} logs --json ${quote(file)} > ${quote(output)}`
  const columns = [
    {
      id: 'dovediag',
      label: 'dovediag logs --json',
      command: dovediag,
      after: () => {
        const report = JSON.parse(readFileSync(output, 'utf8'))
        return `${report.findings.length} findings, ${report.totals?.records ?? report.records} records`
      },
    },
    {
      id: 'grep',
      label: "admin's grep (LC_ALL=C grep -c -E '…')",
      command: `LC_ALL=C grep -c -E ${quote(ADMIN_PATTERN)} ${quote(file)} > ${quote(output)}`,
      after: () => `${count()} lines`,
    },
    {id: 'cat', label: 'cat > /dev/null', command: `cat ${quote(file)} > /dev/null`},
  ]
  const peers = {
    rg: {
      program: 'rg',
      package: 'ripgrep',
      column: {
        id: 'rg',
        label: "ripgrep (rg -c, the admin's pattern)",
        command: `rg --no-config -c -e ${quote(ADMIN_PATTERN)} ${quote(file)} > ${quote(output)}`,
        after: () => `${count()} lines`,
      },
    },
    lnav: {
      program: 'lnav',
      package: 'lnav',
      column: {
        id: 'lnav',
        label: 'lnav headless (records by level)',
        command: `lnav -n -c ${quote(';SELECT log_level, count(*) AS records FROM all_logs GROUP BY log_level')} ${quote(file)} > ${quote(output)}`,
        after: lines,
      },
    },
    logwatch: {
      program: 'logwatch',
      package: 'logwatch',
      column: (() => {
        // logwatch reads a log directory; its `dovecot` log file group takes a file named dovecot.
        const dir = join(data, `logwatch-${file.split('/').at(-1)}`)
        rmSync(dir, {recursive: true, force: true})
        mkdirSync(dir)
        symlinkSync(file, join(dir, 'dovecot'))
        // --numeric: no reverse DNS lookup per address (without network it waits on each one).
        return {
          id: 'logwatch',
          label: "logwatch's dovecot script (--detail High --numeric)",
          command: `logwatch --numeric --service dovecot --logdir ${quote(dir)} --range All --detail High --output stdout > ${quote(output)}`,
          after: lines,
        }
      })(),
    },
    'grep-all': {
      program: 'grep',
      package: 'grep',
      column: {
        id: 'grep-all',
        label: "extra: grep -c -E with all the catalog's patterns (bench/grep-pattern.mjs)",
        command: `LC_ALL=C grep -c -E -f ${quote(patternFile)} ${quote(file)} > ${quote(output)}`,
        after: () => `${count()} lines`,
      },
    },
  }
  for (const name of wanted) {
    const peer = peers[name]
    if (peer === undefined) throw new Error(`unknown peer ${name}: rg, lnav, logwatch, grep-all`)
    if (which(peer.program) === null) notes.push(`${name}: not installed, column skipped (apt-get install ${peer.package})`)
    else columns.push(peer.column)
  }

  return columns
}

const notes = []
const tables = []
const loads = []
for (const kind of values.logs.split(',').filter(Boolean)) {
  if (!(kind in LOGS)) throw new Error(`unknown log ${kind}: ${Object.keys(LOGS).join(', ')}`)
  const file = await logFile(kind, values.size)
  const bytes = statSync(file).size
  const results = interleave(columnsFor(file, notes))
  const load = results.flatMap((column) => column.runs.map((run) => run.load))
  loads.push(...load)
  tables.push({kind, file, bytes, results, load: [Math.min(...load), Math.max(...load)]})
  for (const column of results) {
    const ratio = column.ratio('grep')
    console.log(
      `${kind} ${values.size}: ${column.id} median ${column.wall.toFixed(2)} s best ${column.best.toFixed(2)} s cpu ${column.cpu.toFixed(2)} s ${column.rss.toFixed(0)} MB ×grep ${ratio === null ? '–' : ratio.toFixed(2)}${column.output ? ` (${column.output})` : ''}`,
    )
  }
}

// Start-up: what a small command costs, against Node's own start.
const startupRuns = Math.max(1, Number(values['startup-runs']))
const startup = (() => {
  const sample = join(root, 'fixtures/sample.log')
  const columns = [
    {id: 'node', label: 'node -e 0', command: 'node -e 0'},
    {id: 'exit', label: 'dovediag exit 75', command: `node ${quote(cli)} exit 75 > ${quote(output)}`},
    {id: 'sample', label: 'dovediag logs fixtures/sample.log', command: `node ${quote(cli)} logs ${quote(sample)} > ${quote(output)}`},
    {
      id: 'sample-json',
      label: 'dovediag logs --json fixtures/sample.log',
      command: `node ${quote(cli)} logs --json ${quote(sample)} > ${quote(output)}`,
    },
  ]
  // NODE_EXTRA_CA_CERTS makes every Node process parse that certificate bundle before it runs any code (~40 ms of
  // CPU for Debian's 140 certificates). Where it is set, each command is also timed without it: Node's default.
  if (process.env.NODE_EXTRA_CA_CERTS)
    for (const column of [...columns])
      columns.push({
        ...column,
        id: `${column.id}-no-extra-ca`,
        label: `${column.label} (without NODE_EXTRA_CA_CERTS)`,
        command: `env -u NODE_EXTRA_CA_CERTS ${column.command}`,
      })
  return interleave(columns, startupRuns)
})()
for (const column of startup) console.log(`start-up: ${column.label} median ${column.wall.toFixed(3)} s best ${column.best.toFixed(3)} s`)

// Peak RSS as the log grows (the real-mix log): memory must not grow with input.
const rssRows = []
for (const label of values['rss-sizes'].split(',').filter(Boolean)) {
  const file = await logFile('real-mix', label)
  for (const [id, env] of [['dovediag', {}]]) {
    const run = measureOnce(`node ${quote(cli)} logs --json ${quote(file)} > ${quote(output)}`, env)
    rssRows.push({label, bytes: statSync(file).size, id, ...run})
    console.log(`rss real-mix ${label} ${id}: ${run.wall.toFixed(2)} s ${run.rss.toFixed(0)} MB`)
  }
}

// migration check on many rows: the wave's rows repeated under new user names, as CSV and as JSON Lines.
const rowCount = Number(values['migration-rows'])
async function writeWave(path, header, records) {
  const out = createWriteStream(path)
  out.write(header)
  for (let i = 0; i < rowCount; i++) {
    const record = records[i % records.length].replace(/user(\d+)@/g, `user$1x${Math.floor(i / records.length)}@`)
    if (!out.write(record.endsWith('\n') ? record : record + '\n')) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}
const migrationFile = join(data, `migration-${rowCount}.csv`)
if (!existsSync(migrationFile)) {
  const [header, ...records] = readFileSync(join(root, 'fixtures/migration/wave.csv'), 'utf8').split(/\n(?=user\d+@)/)
  await writeWave(migrationFile, header.trimEnd() + '\n', records)
}
const migrationJsonl = join(data, `migration-${rowCount}.jsonl`)
if (!existsSync(migrationJsonl))
  await writeWave(migrationJsonl, '', readFileSync(join(root, 'fixtures/migration/wave.jsonl'), 'utf8').split('\n').filter(Boolean))
const migration = interleave([
  {
    id: 'csv',
    label: `migration check --json, ${rowCount} rows (CSV)`,
    command: `node ${quote(cli)} migration check --json ${quote(migrationFile)} > ${quote(output)}; true`,
  },
  {
    id: 'jsonl',
    label: `migration check --json, ${rowCount} rows (JSON Lines)`,
    command: `node ${quote(cli)} migration check --json ${quote(migrationJsonl)} > ${quote(output)}; true`,
  },
  {
    // The default text report, what an admin runs: its per-action tables once took 6x the --json time (cli-table3).
    id: 'csv-text',
    label: `migration check (text report), ${rowCount} rows (CSV)`,
    command: `node ${quote(cli)} migration check ${quote(migrationFile)} > /dev/null; true`,
  },
])
for (const column of migration) console.log(`${column.label}: ${column.wall.toFixed(2)} s ${column.rss.toFixed(0)} MB`)

// Adversarial lines: time must stay linear in the input (one huge line, many long lines of one letter).
const adversarial = []
const megabytes = Number(values.adversarial)
for (const [name, make] of [
  [`one ${megabytes} MB line`, (path) => writeFileSync(path, 'Nov 23 10:00:00 imap(u): Error: ' + 'a'.repeat(megabytes * 1e6) + '\n')],
  [`${megabytes} lines of 1 MB 'a'`, (path) => writeFileSync(path, ('a'.repeat(1e6) + '\n').repeat(megabytes))],
]) {
  const path = join(data, `adversarial-${name.replace(/\W+/g, '-')}.log`)
  if (!existsSync(path)) make(path)
  adversarial.push({name, ...measureOnce(`node ${quote(cli)} logs --json ${quote(path)} > ${quote(output)} 2>/dev/null; true`)})
}
for (const a of adversarial) console.log(`${a.name}: ${a.wall.toFixed(2)} s ${a.rss.toFixed(0)} MB`)

const fmt = (seconds) => `${seconds.toFixed(2)} s`
const ratioText = (value) => (value === null ? '–' : value.toFixed(2))
const cpu = cpus()[0]?.model ?? 'unknown CPU'
const md = [
  '# Benchmark results',
  '',
  `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}, ${version('grep')}${wanted.includes('rg') && which('rg') ? `, ${version('rg')}` : ''}${wanted.includes('lnav') && which('lnav') ? `, ${version('lnav', ['-V'])}` : ''}.`,
  `Load average (1 min) during the runs: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}. Reproduce: \`npm run build && node bench/run.mjs --logs ${values.logs} --size ${values.size} --runs ${runs} --rss-sizes ${values['rss-sizes'] || "''"}\`.`,
  '',
  `Each column ran ${runs} times, interleaved (one run of each per round, the order rotated each round). Wall: median and best;`,
  'CPU: user + sys, median; RSS: the largest peak. "× grep" is the median over rounds of (this run / the admin\'s grep in the same',
  'round): the load changes between rounds far more than within one.',
  ...notes.map((note) => `- ${note}`),
  '',
  'What each column does and does not do:',
  '- **dovediag logs --json**: the whole diagnosis: parses every line (own file, syslog, journal, containers...), matches',
  '  every catalog rule, counts levels, services, logins, logouts, failed logins by address and deliveries, keeps evidence',
  '  lines, groups unrecognized errors. One reading thread (Node runs GC on other threads).',
  "- **admin's grep**: the line an admin types for the documented problems (issue #16): counts lines matching any of 12",
  '  symptoms. No levels, no counts per problem, users, times, remedies, no wrappers understood, no unrecognized errors;',
  '  it misses most of the catalog (TLS, quota, disk full, dsync, signals...). The speed to beat: a fast search.',
  '- **ripgrep**: the same pattern with rg (one file: one search thread). Same does and does-not as grep.',
  '- **cat**: the I/O floor: reading the file from the page cache.',
  '- **lnav headless**: indexes every line with its built-in formats and answers one SQL query (records by level). Knows',
  "  syslog's shape, not Dovecot's problems; keeps its index in memory (RSS grows with the log).",
  "- **logwatch's dovecot script**: logwatch's own pipeline (date filter, service filter, header removal) then its Perl",
  '  script: counts logins, connections, deliveries and lists Error/Fatal lines per text. No remedies, no wrappers beyond',
  "  syslog, no time span; --numeric, since it otherwise looks up every address's name.",
  "- **extra: grep with all the catalog's patterns**: a 50-alternative ERE with no required literal (the old baseline,",
  "  kept labelled): GNU grep's DFA thrashes on it, which made dovediag look faster than grep.",
  '',
]
for (const table of tables) {
  md.push(
    `## ${table.kind}, ${(table.bytes / 1e6).toFixed(0)} MB`,
    '',
    `${LOGS[table.kind].about}. Load average ${table.load[0].toFixed(1)}–${table.load[1].toFixed(1)}.`,
    '',
  )
  md.push(
    '| command | wall (median) | wall (best) | CPU | peak RSS | × grep (wall) | × grep (CPU) | output |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  )
  for (const column of table.results) {
    md.push(
      `| ${column.label} | ${fmt(column.wall)} | ${fmt(column.best)} | ${fmt(column.cpu)} | ${column.rss.toFixed(0)} MB | ${ratioText(column.ratio('grep'))} | ${ratioText(column.cpuRatio('grep'))} | ${column.output ?? ''} |`,
    )
  }
  md.push('')
}
md.push(
  '## Start-up',
  '',
  `${startupRuns} interleaved runs each.${process.env.NODE_EXTRA_CA_CERTS ? ' NODE_EXTRA_CA_CERTS is set here: Node parses that certificate bundle at every start, before any of our code; the rows "without" unset it, as a default Node install runs.' : ''}`,
  '',
  '| command | wall (median) | wall (best) | CPU | peak RSS |',
  '| --- | ---: | ---: | ---: | ---: |',
)
for (const column of startup)
  md.push(
    `| ${column.label} | ${column.wall.toFixed(3)} s | ${column.best.toFixed(3)} s | ${column.cpu.toFixed(3)} s | ${column.rss.toFixed(0)} MB |`,
  )
md.push('')
if (rssRows.length > 0) {
  md.push('## Memory as the log grows (real-mix)', '', '| log | wall | CPU | peak RSS | load |', '| --- | ---: | ---: | ---: | ---: |')
  for (const row of rssRows)
    md.push(
      `| ${(row.bytes / 1e6).toFixed(0)} MB | ${fmt(row.wall)} | ${fmt(row.cpu)} | ${row.rss.toFixed(0)} MB | ${row.load.toFixed(1)} |`,
    )
  md.push('')
}
md.push('## Other', '', '| command | wall (median) | CPU | peak RSS |', '| --- | ---: | ---: | ---: |')
for (const column of migration) md.push(`| ${column.label} | ${fmt(column.wall)} | ${fmt(column.cpu)} | ${column.rss.toFixed(0)} MB |`)
for (const a of adversarial) md.push(`| logs --json, ${a.name} | ${fmt(a.wall)} | ${fmt(a.cpu)} | ${a.rss.toFixed(0)} MB |`)
md.push('')
writeFileSync(values.out, md.join('\n'))
console.log(`wrote ${values.out}`)
