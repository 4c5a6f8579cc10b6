import {DOVECOT_SERVICES, isDovecotIdent, isOtherProgram, serviceName} from './dovecot-programs.js'
import {levelWordAt} from './dovecot-prefix.js'
import type {LogRecord} from './record.js'

/**
 * The raw fallback: a line no line shape or wrapper explains is still read as grep would read it. The
 * catalog runs on its text, from each place a Dovecot message can start, and the line becomes a record
 * (format `raw`) only when a rule matches there. Precision comes from the rules' own patterns, which are
 * Dovecot's exact wording anchored at the message's start, and from never reading past another program's
 * syslog tag: `postfix/smtpd[12]: fatal: ...`, `CRON[3]: ...`, `myapp: Warning: ...` are not Dovecot's.
 */

/** What the fallback asks the catalog (built from the rules in src/match/raw-recognizer.ts). */
export interface RawRecognizer {
  /** The text holds some rule's literal: without one no rule can match, and nothing else is tried. */
  mayMatch(text: string): boolean
  /** Some rule matches the record (its message one of the line's possible message starts). */
  matches(record: LogRecord): boolean
}

/** At most this many places in a line are tried as a message's start. */
const MAX_STARTS = 12

/**
 * The places a Dovecot message may start in a line nothing parsed, in order: the line's first
 * non-blank character, and after each `: `, ` | `, `] `, `> ` or tab. It stops at the first `name: ` or `name[pid]: `
 * tag that is another program's (any name that is not Dovecot's, a Dovecot service or a level word):
 * what follows is that program's message.
 */
export function messageStarts(text: string): number[] {
  const starts: number[] = []
  let at = 0
  while (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) at++
  if (at < text.length) starts.push(at)
  for (let pos = at; pos < text.length && starts.length < MAX_STARTS; pos++) {
    const c = text.charCodeAt(pos)
    let start = -1
    if (c === 58 && text.charCodeAt(pos + 1) === 32) {
      if (isForeignTag(text, pos)) break
      start = pos + 2
    } else if ((c === 124 && text.charCodeAt(pos - 1) === 32) || c === 93 || c === 62) {
      // ` | ` (a table cell), `] ` and `> ` (a bracketed tag or quote before the message)
      if (text.charCodeAt(pos + 1) === 32) start = pos + 2
    } else if (c === 9) start = pos + 1
    if (start === -1) continue
    while (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9) start++
    if (start < text.length && starts[starts.length - 1] !== start) starts.push(start)
  }

  return starts
}

/** A program's name as a syslog tag holds it: `postfix/smtpd`, `CRON`, `my-app.sh`. */
const PROGRAM_NAME = /^[A-Za-z][\w./-]*$/

/**
 * The word that ends at `colon` (a `: ` at that index) is another program's tag: `postfix/smtpd[12]`,
 * `CRON[3]`, `myapp`. Dovecot's idents and services, and level words, are not.
 */
export function isForeignTag(text: string, colon: number): boolean {
  let start = colon
  while (start > 0 && text.charCodeAt(start - 1) !== 32 && text.charCodeAt(start - 1) !== 9) start--
  let word = text.slice(start, colon)
  const bracket = word.indexOf('[')
  if (bracket > 0 && word.endsWith(']')) word = word.slice(0, bracket)
  if (isOtherProgram(word)) return true
  if (!PROGRAM_NAME.test(word)) return false // `imap(jdoe)<1><s>`, a path, a number: not a tag
  if (isDovecotIdent(word) || DOVECOT_SERVICES.has(serviceName(word))) return false
  return levelWordAt(text, start) === undefined
}

/**
 * Where a Dovecot line starts inside unknown text: the first place, after a space, tab, `|`, `:`, `]` or `>`,
 * where a Dovecot service's process prefix is followed by a level word (`imap(jdoe)<1><s>: Error: `), or a
 * level word by such a prefix (`Error: IMAP(jdoe): `); -1 when there is none, or another program's tag
 * (postfix, cron, ...) comes first.
 */
export function embeddedDovecotStart(text: string, isDovecotLine: (at: number) => boolean): number {
  for (let pos = 1; pos < text.length; pos++) {
    const before = text.charCodeAt(pos - 1)
    if (before !== 32 && before !== 9 && before !== 124 && before !== 58 && before !== 93 && before !== 62) continue
    if (before === 58 && text.charCodeAt(pos) === 32) {
      if (isOtherTag(text, pos - 1)) return -1
      continue
    }

    const c = text.charCodeAt(pos)
    if (((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) && isDovecotLine(pos)) return pos
  }

  return -1
}

/** The word ending at `colon` is the tag of a known other program (postfix, cron, the kernel...). */
function isOtherTag(text: string, colon: number): boolean {
  let start = colon
  while (start > 0 && text.charCodeAt(start - 1) !== 32 && text.charCodeAt(start - 1) !== 9) start--
  let word = text.slice(start, colon)
  const bracket = word.indexOf('[')
  if (bracket > 0) word = word.slice(0, bracket)
  return isOtherProgram(word)
}
