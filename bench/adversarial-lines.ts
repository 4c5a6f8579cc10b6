/**
 * Hostile lines against every catalog pattern: is matching linear in the input, however the lines are built?
 *
 *   node --import tsx bench/adversarial-lines.ts [MiB per case, default 4]
 *
 * For each pattern of each rule, an adversarial unit is a prefix of an example message the pattern matches
 * (cut at a quarter, half, three quarters, and one character short of the end): that is the shape that makes
 * an unanchored pattern rescan from every repeated start. recheck's own attack string on the pattern, where it
 * found one (test/hostile/redos-verdicts.json), is a unit too. A line is the rule's literal (so the prefilter lets it through) and the
 * unit repeated to the line length; each case is that many MiB of such lines, parsed by the real line parser
 * and matched with matchRule. Linear means the throughput does not fall as lines get longer: the 1 MiB
 * column (the reader's line cap) must be close to the 4 KiB column. The last table shows what the matcher's
 * window (MATCH_WINDOW) prevents: the same patterns run on whole messages.
 */
import {readFileSync} from 'node:fs'

import {RULES} from '../src/catalog/index.js'
import type {Rule} from '../src/catalog/rule.js'
import {isRecord, parseLine} from '../src/ingest/parse-line.js'
import type {LogRecord} from '../src/ingest/record.js'
import {MATCH_WINDOW, matchRule} from '../src/match/matcher.js'

const MIB = 1024 * 1024
const totalBytes = Number(process.argv[2] ?? 4) * MIB
const LINE_LENGTHS = [4 * 1024, 64 * 1024, MIB]
const VERDICTS = new URL('../test/hostile/redos-verdicts.json', import.meta.url)
const PREFIX = 'Nov 22 10:00:00 imap(jdoe)<1234><AbCdEf12>: Error: '

function messageOf(line: string): string {
  const parsed = parseLine(line, {source: 'bench', reference: Date.UTC(2026, 11, 31), timeZone: 'UTC'})
  return isRecord(parsed) ? parsed.message : line
}

/** recheck's attack string for each pattern it called vulnerable, by rule and pattern index (test/hostile/redos-verdicts.json). */
const ATTACKS = new Map<string, string>()
for (const verdict of Object.values(
  JSON.parse(readFileSync(VERDICTS, 'utf8')) as Record<string, {rule: string; index: number; attack?: string}>,
)) {
  // recheck writes the attack as a JavaScript expression ('ab'.repeat(300) + 'c'): our own file, evaluated here only.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const evaluate = new Function(`return ${verdict.attack ?? "''"}`) as () => string
  if (verdict.attack) ATTACKS.set(`${verdict.rule}/${verdict.index}`, evaluate())
}

/**
 * Repeated units that made patterns quadratic before issue 14 (recheck's attacks then, and the issue's
 * `\S*dovecot-uidlist` and `[a-z_]+\([^)]*` shapes): kept as units so the bench shows they no longer do.
 */
const CRAFTED: Record<string, string[]> = {
  'auth-failed': ['(auth failed, 0 attempt in 0 secs): user=<('],
  'cached-size-mismatch': ['read(D) failed: C 0, box=m'],
  'chown-eperm': ['chown(O', 'fchown(/a, group=1(x'],
  'disk-full': ['ia', 'write(', 'a(a'],
  'index-cache-corrupted': [': Corrupted index cache fele '],
  'kernel-oom-kill': ['Killed process 0 (s'],
  'mkdir-eacces': ['e(:', 'mkdir(/x'],
  'quota-exceeded': ['save failed to a'],
  'sql-connect-failed': ['cpgsql(s', 'mysql('],
  'tls-handshake-failed': ['Received invalid SSL certificate:  '],
  'tls-setup-failed': ['Failed to initialize SSL context: a'],
  'transaction-log-corrupted': ['Corrupted transaction log file ) seq 0: c'],
  'uidlist-broken': ['yk', '/var/vmail/'],
}

/**
 * The units for one rule, for each of its patterns: prefixes of an example message that pattern matches
 * (the first example when none does), and recheck's attack on that pattern when it found one.
 */
function units(rule: Rule): string[] {
  const messages = rule.examples.match.map((example) => messageOf(example.line))
  const found: string[] = []
  rule.patterns.forEach((pattern, index) => {
    const message = messages.find((m) => pattern.exec(m) !== null) ?? messages[0]
    const cuts = [0.25, 0.5, 0.75].map((f) => Math.max(1, Math.floor(message.length * f))).concat(message.length - 1)
    found.push(...cuts.map((cut) => message.slice(0, cut)))
    const attack = ATTACKS.get(`${rule.id}/${index}`)
    if (attack) found.push(attack.slice(0, 4096))
  })
  found.push(...(CRAFTED[rule.id] ?? []))
  return [...new Set(found)].filter((unit) => unit.length > 0)
}

function adversarialLine(rule: Rule, unit: string, length: number): string {
  const body = `${rule.literal} ${unit.repeat(Math.ceil(length / unit.length))}`.slice(0, length)
  return PREFIX + body
}

/** MB/s matching `totalBytes` of such lines (parse + match), the worst over the rule's units. */
function worstThroughput(rule: Rule, length: number): {mbps: number; unit: string} {
  let worst = {mbps: Infinity, unit: ''}
  for (const unit of units(rule)) {
    const line = adversarialLine(rule, unit, length)
    const count = Math.max(1, Math.round(totalBytes / line.length))
    const started = process.hrtime.bigint()
    for (let n = 1; n <= count; n++) {
      const record = parseLine(line, {source: 'bench', line: n, reference: Date.UTC(2026, 11, 31), timeZone: 'UTC'}) as LogRecord
      matchRule(rule, record)
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const mbps = (count * line.length) / MIB / seconds
    if (mbps < worst.mbps) worst = {mbps, unit}
  }
  return worst
}

console.log(`# adversarial lines: ${totalBytes / MIB} MiB per case, match window ${MATCH_WINDOW} chars, node ${process.version}`)
console.log(`| rule | ${LINE_LENGTHS.map((l) => `${l / 1024} KiB lines MB/s`).join(' | ')} | worst unit |`)
console.log(`| --- | ${LINE_LENGTHS.map(() => '---:').join(' | ')} | --- |`)
let overall = Infinity
for (const rule of RULES) {
  const results = LINE_LENGTHS.map((length) => worstThroughput(rule, length))
  overall = Math.min(overall, ...results.map((r) => r.mbps))
  const unit = results.at(-1)!.unit
  console.log(`| ${rule.id} | ${results.map((r) => r.mbps.toFixed(1)).join(' | ')} | \`${unit.slice(0, 40).replaceAll('|', '\\|')}\` |`)
}
console.log(`\nslowest case: ${overall.toFixed(1)} MB/s`)

// Without the window: the same worst units on whole 64 KiB messages, for the rules whose patterns were made
// linear in issue 14 (point 12); before, disk-full and uidlist-broken took seconds per such line.
console.log('\n# without the window (pattern.exec on the whole 64 KiB message), one line each')
for (const id of [
  'chown-eperm',
  'disk-full',
  'mkdir-eacces',
  'quota-exceeded',
  'sql-connect-failed',
  'tls-handshake-failed',
  'uidlist-broken',
]) {
  const rule = RULES.find((r) => r.id === id)!
  let worstMs = 0
  for (const unit of units(rule)) {
    const message = messageOf(adversarialLine(rule, unit, 64 * 1024))
    const started = process.hrtime.bigint()
    for (const pattern of rule.patterns) pattern.exec(message)
    worstMs = Math.max(worstMs, Number(process.hrtime.bigint() - started) / 1e6)
  }
  console.log(`${id}: ${worstMs.toFixed(1)} ms for one 64 KiB line (linear: a 4 KiB line takes about 1/16 of it)`)
}
