#!/usr/bin/env node
// Writes a log whose line mix follows real Dovecot 2.3 traffic, for the benchmark: most lines are logins,
// logouts, LMTP deliveries and their connects/disconnects, idle disconnects, scanners' aborted logins and
// auth's unknown users; failed passwords a few percent; warnings and errors rare (about 0.1%, the catalog's
// 2.3 example lines). Every line is worded as Dovecot 2.3.19 writes it (fixtures/logs/dovecot-2.3-real.log,
// /work/shared formats notes). The lines come in runs of a few thousand under one wrapper at a time, as
// when logs are concatenated: Dovecot's own file, rsyslog BSD and RFC 3339, journalctl short, docker
// compose, RFC 5424 and `grep -H` prefixes. Deterministic (seeded). Needs the build (dist/) for the catalog.
//   node bench/generate-real-mix.mjs OUT_FILE SIZE_BYTES
import {Buffer} from 'node:buffer'
import {createWriteStream} from 'node:fs'
import {once} from 'node:events'

import {seededRandom} from '../fixtures/seeded-random.mjs'
import {PROBLEM_RULES} from '../dist/catalog/index.js'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
// A catalog example in Dovecot's own file shape: "<stamp> <prefix>: <Level>: <text>".
const OWN_FILE_EXAMPLE = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d ([a-z][\w-]*(?:\([^)]*\))?(?:<[^>]*>)*: (?:Warning|Error|Fatal|Panic): .*)$/

/** The catalog's problem examples for Dovecot 2.3 (or any version) in own-file shape, without the stamp. */
function problemLines() {
  const lines = []
  for (const rule of PROBLEM_RULES) {
    for (const example of rule.examples.match) {
      const own = OWN_FILE_EXAMPLE.exec(example.line)
      if (own && (example.version === undefined || example.version === '2.3')) lines.push(own[1])
    }
  }
  return lines
}

/** Wrappers, with their share of lines: how a line (stamp parts, Dovecot's text with its level word) is written. */
const WRAPPERS = [
  // Dovecot's own log_path: the level word always there.
  {share: 0.55, line: (s, text) => `${s.bsd} ${text}`},
  // rsyslog's default (BSD) and RFC 3339 templates: Info without its word.
  {share: 0.18, line: (s, text) => `${s.bsd} mail1 dovecot: ${syslogText(text)}`},
  {share: 0.1, line: (s, text) => `${s.rfc3339} mail1 dovecot: ${syslogText(text)}`},
  // journalctl -u dovecot (short): the ident with the master's pid.
  {share: 0.05, line: (s, text) => `${s.bsd} mail1 dovecot[990]: ${syslogText(text)}`},
  // docker compose with log_path=/dev/stderr: Dovecot's own stamp behind the container's name.
  {share: 0.06, line: (s, text) => `dovecot_1  | ${s.bsd} ${text}`},
  // RFC 5424 (rsyslog's RSYSLOG_SyslogProtocol23Format) and `grep -H` output.
  {share: 0.03, line: (s, text) => `<22>1 ${s.rfc3339} mail1 dovecot 990 - - ${syslogText(text)}`},
  {share: 0.03, line: (s, text) => `/var/log/dovecot.log:${s.bsd} ${text}`},
]

const syslogText = (text) => text.replace(/^([^ ]+: )Info: /, '$1')

export async function generateRealMixLog(path, size, seed = 23) {
  const {random, pick} = seededRandom(seed)
  const int = (low, high) => low + Math.floor(random() * (high - low + 1))
  const users = Array.from({length: 20000}, (_, i) => (i % 4 === 0 ? `u${i}` : `user${i}@example.${i % 3 ? 'com' : 'net'}`))
  const scanners = Array.from({length: 60}, (_, i) => `198.51.100.${i + 2}`)
  const problems = problemLines()
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const session = () => {
    let s = ''
    for (let i = 0; i < 16; i++) s += letters[Math.floor(random() * 64)]
    return s
  }
  const ip = () => `203.0.${int(0, 255)}.${int(1, 254)}`

  let time = Date.UTC(2026, 10, 20, 0, 0, 0)
  const stamps = () => {
    const d = new Date(time)
    const iso = d.toISOString()
    return {
      bsd: `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${iso.slice(11, 19)}`,
      rfc3339: `${iso.slice(0, 23)}${String(time % 997).padStart(3, '0')}+00:00`,
    }
  }

  // One event: the lines a piece of real traffic writes, in Dovecot's own file shape without the stamp.
  const event = () => {
    const user = pick(users)
    const sess = session()
    const pid = int(1000, 99999)
    const roll = random()
    if (roll < 0.3) {
      const service = random() < 0.85 ? 'imap' : 'pop3'
      const lines = [
        `${service}-login: Info: Login: user=<${user}>, method=PLAIN, rip=${ip()}, lip=192.0.2.10, mpid=${pid}, TLS, session=<${sess}>`,
      ]
      const out = random()
      if (service === 'pop3')
        lines.push(
          `pop3(${user})<${pid}><${sess}>: Info: Disconnected: Logged out top=0/0, retr=${int(0, 4)}/${int(0, 90000)}, del=0/${int(0, 9)}, size=${int(0, 90000)}`,
        )
      else if (out < 0.6)
        lines.push(
          `imap(${user})<${pid}><${sess}>: Info: Disconnected: Logged out in=${int(30, 5000)} out=${int(300, 90000)} deleted=0 expunged=${int(0, 3)} trashed=0 hdr_count=${int(0, 40)} hdr_bytes=${int(0, 9000)} body_count=${int(0, 5)} body_bytes=${int(0, 90000)}`,
        )
      else if (out < 0.85)
        lines.push(
          `imap(${user})<${pid}><${sess}>: Info: Disconnected: Connection closed (IDLE running for 1800.001 + waiting input for 0.001 secs, 2 B in + 10+10 B out, state=wait-input) in=${int(30, 900)} out=${int(300, 9000)} deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0`,
        )
      else
        lines.push(
          `imap(${user})<${pid}><${sess}>: Info: Disconnected: Inactivity - no input for 1800 secs in=${int(30, 900)} out=${int(300, 9000)} deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0`,
        )
      return lines
    }

    if (roll < 0.62) {
      // An LMTP session delivering one or a few messages.
      const lines = [`lmtp(${pid}): Info: Connect from local`]
      for (let i = int(1, 3); i > 0; i--)
        lines.push(
          `lmtp(${pick(users)})<${pid}><${session()}>: Info: msgid=<${int(1e8, 9e8)}.${session().slice(0, 8)}@mx.example.org>: saved mail to ${pick(['INBOX', 'INBOX', 'INBOX', 'INBOX', 'Junk', 'Lists.dovecot'])}`,
        )
      lines.push(`lmtp(${pid}): Info: Disconnect from local: Client has quit the connection (state=READY)`)
      return lines
    }

    if (roll < 0.78)
      return [
        `imap-login: Info: Disconnected: Connection closed (no auth attempts in ${int(0, 10)} secs): user=<>, rip=${pick(scanners)}, lip=192.0.2.10, TLS handshaking: SSL_accept() failed: error:0A000126:SSL routines::unexpected eof while reading, session=<${sess}>`,
      ]
    if (roll < 0.86) return [`auth: Info: passwd-file(${pick(['admin', 'test', 'info', user])},${pick(scanners)},<${sess}>): unknown user`]
    if (roll < 0.9) {
      const who = pick([user, 'admin', 'test'])
      return [
        `auth: Info: passwd-file(${who},${pick(scanners)},<${sess}>): Password mismatch`,
        `imap-login: Info: Disconnected: Connection closed (auth failed, ${int(1, 3)} attempts in ${int(2, 15)} secs): user=<${who}>, method=PLAIN, rip=${pick(scanners)}, lip=192.0.2.10, TLS, session=<${sess}>`,
      ]
    }
    if (roll < 0.97)
      return [
        `imap(${user})<${pid}><${sess}>: Info: expunge: box=INBOX, uid=${int(1, 90000)}, msgid=<${int(1e6, 9e6)}@example.net>, size=${int(500, 90000)}`,
      ]
    return [
      `imap-login: Info: Disconnected: Aborted login by logging out (no auth attempts in ${int(0, 3)} secs): user=<>, rip=${ip()}, lip=192.0.2.10, TLS, session=<${sess}>`,
    ]
  }

  const out = createWriteStream(path)
  let written = 0
  let text = ''
  let wrapper = WRAPPERS[0]
  let runLeft = 0
  const pickWrapper = () => {
    let roll = random()
    for (const candidate of WRAPPERS) if ((roll -= candidate.share) < 0) return candidate
    return WRAPPERS[0]
  }

  while (written < size) {
    for (let i = 0; i < 20000; i++) {
      if (runLeft-- <= 0) {
        wrapper = pickWrapper()
        runLeft = int(1000, 5000)
      }

      time += int(0, 30)
      const s = stamps()
      const lines = random() < 0.001 ? [pick(problems)] : event()
      for (const line of lines) text += wrapper.line(s, line) + '\n'
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
    console.error('usage: node bench/generate-real-mix.mjs OUT_FILE SIZE_BYTES')
    process.exit(64)
  }

  const bytes = await generateRealMixLog(path, Number(size))
  console.error(`wrote ${bytes} bytes to ${path}`)
}
