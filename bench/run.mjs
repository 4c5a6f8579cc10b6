#!/usr/bin/env node
// The benchmark: on the same generated log, `dovediag logs --json` (the full diagnosis) against
// `LC_ALL=C grep -c -E '<the catalog's patterns, joined>'` and `cat FILE > /dev/null`: median wall time
// of several runs and peak RSS (/usr/bin/time -v); then `dovediag migration check` on 100 000 result rows,
// and adversarial lines (one of 50 MB, 1 MB lines of `a`). Prints the ratios and writes bench/RESULTS.md.
// Every command's output goes to a file: GNU grep stops at the first match when stdout is /dev/null.
//   npm run build && node bench/run.mjs [--sizes 100MB,1GB] [--runs 3] [--out bench/RESULTS.md]
import {execFileSync, spawnSync} from 'node:child_process'
import {createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {once} from 'node:events'
import {cpus, totalmem} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {RULES} from '../dist/catalog/index.js'
import {grepPattern} from './grep-pattern.mjs'
import {generateLog} from './generate-log.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const {values} = parseArgs({options: {sizes: {type: 'string', default: '100MB,1GB'}, runs: {type: 'string', default: '3'}, out: {type: 'string', default: join(root, 'bench/RESULTS.md')}, data: {type: 'string', default: join(root, 'bench/data')}, 'migration-rows': {type: 'string', default: '100000'}, adversarial: {type: 'string', default: '50'}}})
const runs = Number(values.runs)
const data = values.data
mkdirSync(data, {recursive: true})
const cli = join(root, 'bin/run.js')
const output = join(data, 'output.txt')

const parseSize = (text) => {
  const m = /^(\d+(?:\.\d+)?)(KB|MB|GB)?$/i.exec(text)
  if (!m) throw new Error(`bad size ${text}`)
  return Math.round(Number(m[1]) * {KB: 1e3, MB: 1e6, GB: 1e9}[(m[2] ?? 'MB').toUpperCase()])
}

/** Runs a shell command `runs` times under /usr/bin/time -v: median wall seconds, largest peak RSS (MB). */
function measure(command, env = {}) {
  const walls = []
  let rss = 0
  for (let i = 0; i < runs; i++) {
    const report = spawnSync('/usr/bin/time', ['-v', 'sh', '-c', command], {env: {...process.env, CI: '1', ...env}, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1e7}).stderr
    const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)/.exec(report)
    walls.push(Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]))
    rss = Math.max(rss, Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)[1]) / 1024)
  }

  walls.sort((a, b) => a - b)
  return {wall: walls[Math.floor(walls.length / 2)], rss}
}

const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`
const patternFile = join(data, 'catalog-patterns.ere')
writeFileSync(patternFile, grepPattern(RULES) + '\n')

const rows = []
for (const label of values.sizes.split(',').filter(Boolean)) {
  const bytes = parseSize(label)
  const file = join(data, `mixed-${label}.log`)
  if (!existsSync(file) || Math.abs(statSync(file).size - bytes) > 4096) await generateLog(file, bytes)
  const actual = statSync(file).size
  const dovediag = measure(`node ${quote(cli)} logs --json ${quote(file)} > ${quote(output)}`)
  const reportText = readFileSync(output, 'utf8')
  const report = JSON.parse(reportText)
  // The same on one core (src/parallel/ off): what the second thread gives, and a check that it changes nothing.
  const oneThread = measure(`node ${quote(cli)} logs --json ${quote(file)} > ${quote(output)}`, {DOVEDIAG_PARALLEL: '0'})
  if (readFileSync(output, 'utf8') !== reportText) throw new Error(`${label}: the report read on two cores differs from the one-core report`)
  const grep = measure(`LC_ALL=C grep -c -E -f ${quote(patternFile)} ${quote(file)} > ${quote(output)} 2>/dev/null`)
  const grepCount = readFileSync(output, 'utf8').trim()
  const cat = measure(`cat ${quote(file)} > /dev/null`)
  rows.push({label, actual, lines: report.inputs?.[0]?.lines ?? report.records, findings: report.findings.length, grepCount, dovediag, oneThread, grep, cat})
  console.log(`${label}: dovediag ${dovediag.wall.toFixed(2)} s ${dovediag.rss.toFixed(0)} MB (one core ${oneThread.wall.toFixed(2)} s ${oneThread.rss.toFixed(0)} MB) | grep -E ${grep.wall.toFixed(2)} s | cat ${cat.wall.toFixed(2)} s | dovediag/grep ${(dovediag.wall / grep.wall).toFixed(2)} dovediag/cat ${(dovediag.wall / cat.wall).toFixed(1)}`)
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
if (!existsSync(migrationJsonl)) await writeWave(migrationJsonl, '', readFileSync(join(root, 'fixtures/migration/wave.jsonl'), 'utf8').split('\n').filter(Boolean))

const migration = measure(`node ${quote(cli)} migration check --json ${quote(migrationFile)} > ${quote(output)}; true`)
const migrationLines = measure(`node ${quote(cli)} migration check --json ${quote(migrationJsonl)} > ${quote(output)}; true`)

// Adversarial lines: time must stay linear in the input (one huge line, many long lines of one letter).
const adversarial = []
const megabytes = Number(values.adversarial)
for (const [name, make] of [
  [`one ${megabytes} MB line`, (path) => writeFileSync(path, 'Nov 23 10:00:00 imap(u): Error: ' + 'a'.repeat(megabytes * 1e6) + '\n')],
  [`${megabytes} lines of 1 MB 'a'`, (path) => writeFileSync(path, ('a'.repeat(1e6) + '\n').repeat(megabytes))],
]) {
  const path = join(data, `adversarial-${name.replace(/\W+/g, '-')}.log`)
  if (!existsSync(path)) make(path)
  adversarial.push({name, ...measure(`node ${quote(cli)} logs --json ${quote(path)} > ${quote(output)} 2>/dev/null; true`)})
}

for (const a of adversarial) console.log(`${a.name}: ${a.wall.toFixed(2)} s ${a.rss.toFixed(0)} MB`)
console.log(`migration check, ${rowCount} rows: ${migration.wall.toFixed(2)} s ${migration.rss.toFixed(0)} MB (JSON Lines ${migrationLines.wall.toFixed(2)} s ${migrationLines.rss.toFixed(0)} MB)`)

const cpu = cpus()[0]?.model ?? 'unknown CPU'
const md = [
  '# Benchmark results',
  '',
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}, ${execFileSync('grep', ['--version'], {encoding: 'utf8'}).split('\n')[0]}.`,
  `Median of ${runs} runs; peak RSS from \`/usr/bin/time -v\`. Reproduce: \`npm run build && node bench/run.mjs --sizes ${values.sizes} --runs ${runs}\`.`,
  '',
  '| log | lines | dovediag logs --json | peak RSS | one core (DOVEDIAG_PARALLEL=0) | peak RSS | grep -c -E (catalog patterns) | cat | dovediag/grep | one core/grep | dovediag/cat |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.label} (${(r.actual / 1e6).toFixed(0)} MB) | ${r.lines} | ${r.dovediag.wall.toFixed(2)} s | ${r.dovediag.rss.toFixed(0)} MB | ${r.oneThread.wall.toFixed(2)} s | ${r.oneThread.rss.toFixed(0)} MB | ${r.grep.wall.toFixed(2)} s (${r.grepCount} lines, ${r.grep.rss.toFixed(0)} MB) | ${r.cat.wall.toFixed(2)} s | ${(r.dovediag.wall / r.grep.wall).toFixed(2)} | ${(r.oneThread.wall / r.grep.wall).toFixed(2)} | ${(r.dovediag.wall / r.cat.wall).toFixed(1)} |`),
  '',
  `| other | wall | peak RSS |`,
  '| --- | ---: | ---: |',
  `| migration check --json, ${rowCount} rows | ${migration.wall.toFixed(2)} s | ${migration.rss.toFixed(0)} MB |`,
  `| migration check --json, ${rowCount} JSON Lines rows | ${migrationLines.wall.toFixed(2)} s | ${migrationLines.rss.toFixed(0)} MB |`,
  ...adversarial.map((a) => `| logs --json, ${a.name} | ${a.wall.toFixed(2)} s | ${a.rss.toFixed(0)} MB |`),
  '',
]
writeFileSync(values.out, md.join('\n'))
console.log(`wrote ${values.out}`)
