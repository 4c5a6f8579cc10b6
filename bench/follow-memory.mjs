#!/usr/bin/env node
// Memory of `dovediag logs --follow -` over a long generated stream: the RSS of the follower sampled at each
// tenth of the stream. Flat memory means the last tenths stay near the first. Usage:
//   node bench/follow-memory.mjs [lines=2000000]     (needs the build: npm run build)
import {spawn} from 'node:child_process'
import {setTimeout} from 'node:timers/promises'
import {readFileSync} from 'node:fs'
import {join, dirname} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const total = Number(process.argv[2] ?? 2_000_000)
const child = spawn(process.execPath, [join(root, 'bin/run.js'), 'logs', '--follow', '-', '--repeat-interval', '1'], {
  stdio: ['pipe', 'ignore', 'ignore'],
})
const rssMb = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024)

const users = 5000
const shapes = [
  (i) =>
    `Nov 23 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} imap(u${i % users}@example.com)<${i % 65536}><S${i % 9973}>: Info: Disconnected: Logged out in=${i} out=${i % 777}`,
  (i) =>
    `Nov 23 10:00:00 imap-login: Info: Login: user=<u${i % users}@example.com>, method=PLAIN, rip=192.0.2.${i % 250}, lip=192.0.2.1, mpid=${i}, TLS, session=<s${i}>`,
  (i) =>
    `Nov 23 10:00:00 imap(u${i % users})<${i}><s${i}>: Error: Corrupted index cache file /var/vmail/u${i}/Maildir/dovecot.index.cache: Cache file too large`,
  (i) => `Nov 23 10:00:00 imap(u${i % users})<${i}><s${i}>: Error: Something unexpected number ${i} happened in /path/${i % 3000}`,
]
const samples = []
const started = Date.now()
for (let sent = 0; sent < total;) {
  let chunk = ''
  for (const end = Math.min(total, sent + 2000); sent < end; sent++)
    chunk += shapes[sent % 4 === 3 ? (sent % 7 === 0 ? 3 : 2) : sent % 2](sent) + '\n'
  if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve))
  if (sent % Math.floor(total / 10) < 2000) samples.push(`${Math.round((sent / total) * 100)}%: ${rssMb()} MB`)
}
await setTimeout(1000)
samples.push(`end: ${rssMb()} MB`)
child.kill('SIGINT')
await new Promise((resolve) => child.on('close', resolve))
console.log(`logs --follow -, ${total} lines in ${((Date.now() - started) / 1000).toFixed(1)} s, RSS: ${samples.join(', ')}`)
