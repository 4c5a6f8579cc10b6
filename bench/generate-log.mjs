#!/usr/bin/env node
// Writes a realistic mixed Dovecot log of a chosen size for the benchmark: Dovecot's own log file (2.3
// prefixes) and syslog (2.2 and 2.3) lines, thousands of users, ordinary traffic (logins, logouts,
// deliveries, failed passwords, scanners), about 1% problem lines taken from the catalog's own examples,
// and Panics followed by their `Raw backtrace:` continuation. Deterministic (seeded): the same size gives
// the same file. Needs the build (dist/) for the catalog.
//   node bench/generate-log.mjs OUT_FILE SIZE_BYTES
import {Buffer} from 'node:buffer'
import {createWriteStream} from 'node:fs'
import {once} from 'node:events'

import {seededRandom} from '../fixtures/seeded-random.mjs'
import {PROBLEM_RULES} from '../dist/catalog/index.js'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const BSD_STAMP = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /

/** The catalog's example lines that start with a syslog/own-file stamp, without it: what problem lines look like. */
export function problemLines() {
  const lines = []
  for (const rule of PROBLEM_RULES) {
    for (const example of rule.examples.match) if (BSD_STAMP.test(example.line)) lines.push(example.line.replace(BSD_STAMP, ''))
  }
  return lines
}

export async function generateLog(path, size, seed = 6) {
  const {random, pick} = seededRandom(seed)
  const int = (low, high) => low + Math.floor(random() * (high - low + 1))
  const users = Array.from({length: 5000}, (_, i) => (i % 3 === 0 ? `user${i}` : `user${i}@example.${i % 2 ? 'com' : 'org'}`))
  const scanners = Array.from({length: 40}, (_, i) => `198.51.100.${i + 2}`)
  const problems = problemLines()
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const session = () => {
    let s = ''
    for (let i = 0; i < 12; i++) s += letters[Math.floor(random() * 64)]
    return s
  }

  let time = Date.UTC(2026, 10, 20, 0, 0, 0)
  let stampSecond = -1
  let stamp = ''
  const now = () => {
    const second = Math.floor(time / 1000)
    if (second !== stampSecond) {
      const d = new Date(time)
      stamp = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`
      stampSecond = second
    }
    return stamp
  }

  // One event as [process prefix, level word or '', text].
  const event = () => {
    const user = pick(users)
    const ip = `203.0.${int(0, 255)}.${int(1, 254)}`
    const sess = session()
    const mail = (service) => `${service}(${user})<${int(1000, 99999)}><${sess}>`
    const roll = random()
    if (roll < 0.2)
      return [
        `${pick(['imap', 'pop3'])}-login`,
        'Info',
        `Login: user=<${user}>, method=PLAIN, rip=${ip}, lip=192.0.2.10, mpid=${int(1000, 99999)}, TLS, session=<${sess}>`,
      ]
    if (roll < 0.36)
      return [
        mail('imap'),
        'Info',
        `Disconnected: Logged out in=${int(100, 5000)} out=${int(500, 90000)} deleted=0 expunged=${int(0, 3)} trashed=0 hdr_count=${int(0, 40)} hdr_bytes=${int(0, 9000)} body_count=${int(0, 5)} body_bytes=${int(0, 90000)}`,
      ]
    if (roll < 0.42)
      return [
        mail('imap'),
        'Info',
        `Disconnected: Inactivity - no input for 1800 secs in=${int(100, 900)} out=${int(500, 9000)} deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0`,
      ]
    if (roll < 0.6)
      return [
        mail('lmtp'),
        'Info',
        `msgid=<${int(1e6, 9e6)}.${sess}@example.net>: saved mail to ${pick(['INBOX', 'INBOX', 'INBOX', 'Junk', 'Lists/dovecot'])}`,
      ]
    if (roll < 0.66) return [`lmtp(${int(1000, 99999)})`, 'Info', 'Connect from local']
    if (roll < 0.74)
      return [
        `${pick(['imap', 'pop3'])}-login`,
        'Info',
        `Disconnected: Connection closed (auth failed, ${int(1, 3)} attempts in ${int(2, 15)} secs): user=<${pick([user, 'admin', 'test'])}>, method=PLAIN, rip=${pick(scanners)}, lip=192.0.2.10, TLS, session=<${sess}>`,
      ]
    if (roll < 0.82)
      return [
        `${pick(['imap', 'pop3'])}-login`,
        'Info',
        `Disconnected: Connection closed (no auth attempts in ${int(0, 10)} secs): user=<>, rip=${pick(scanners)}, lip=192.0.2.10, TLS handshaking, session=<${sess}>`,
      ]
    if (roll < 0.88)
      return [
        mail('imap'),
        'Info',
        `expunge: box=INBOX, uid=${int(1, 90000)}, msgid=<${int(1e6, 9e6)}@example.net>, size=${int(500, 90000)}`,
      ]
    if (roll < 0.94)
      return [
        mail('pop3'),
        'Info',
        `Disconnected: Logged out top=0/0, retr=${int(0, 4)}/${int(0, 90000)}, del=0/${int(0, 9)}, size=${int(0, 90000)}`,
      ]
    return ['auth', 'Info', `passwd-file(${pick(['admin', 'test', user])},${pick(scanners)},<${sess}>): unknown user`]
  }

  const out = createWriteStream(path)
  let written = 0
  let text = ''
  while (written < size) {
    for (let i = 0; i < 20000; i++) {
      time += int(0, 40)
      const syslog = random() < 0.3
      const head = syslog ? `${now()} mail1 dovecot: ` : `${now()} `
      if (random() < 0.01) {
        const problem = pick(problems)
        text += `${now()} ${problem}\n`
        if (problem.includes('Panic: ')) {
          // The crash's backtrace, from the same process, on the next line.
          const prefix = problem.slice(0, problem.indexOf('Panic: '))
          text += `${now()} ${prefix}Error: Raw backtrace: /usr/lib/dovecot/libdovecot.so.0(backtrace_append+0x42) [0x7f3c2a8d1e42] -> /usr/lib/dovecot/libdovecot.so.0(i_panic+0x1e) [0x7f3c2a8d1f5e] -> dovecot/imap(main+0x2d1) [0x55d1c2b0e2a1]\n`
        }
        continue
      }

      const [prefix, level, message] = event()
      text += syslog && level === 'Info' ? `${head}${prefix}: ${message}\n` : `${head}${prefix}: ${level}: ${message}\n`
    }

    // The last chunk ends at the last whole line that fits.
    const chunk = Buffer.from(size - written < text.length ? text.slice(0, text.lastIndexOf('\n', size - written) + 1) : text)
    if (chunk.length === 0) break
    written += chunk.length
    text = ''
    if (!out.write(chunk)) await once(out, 'drain')
  }

  out.end()
  await once(out, 'finish')
  return written
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, size] = process.argv.slice(2)
  if (!path || !size) {
    console.error('usage: node bench/generate-log.mjs OUT_FILE SIZE_BYTES')
    process.exit(64)
  }

  const bytes = await generateLog(path, Number(size))
  console.error(`wrote ${bytes} bytes to ${path}`)
}
