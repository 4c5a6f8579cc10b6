/**
 * RFC 5424 syslog, as rsyslog's RSYSLOG_SyslogProtocol23Format, syslog-ng's syslog-protocol and most
 * forwarders write it:
 *
 *   <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP [BOM] MSG]
 *   <22>1 2026-11-23T09:00:41.360424+00:00 mail1 dovecot - - - imap(bob)<123><sess>: Error: ...
 *
 * Any header field may be the NILVALUE `-`; STRUCTURED-DATA is `-` or `[id name="value" ...]` elements, where
 * a value may hold `\]`, `\"` and `\\`. The PRI (and then the version) is often stripped in files. The
 * timestamp is read by the line parser's StampReader; this reads the fields around it.
 */

/** The header fields after the timestamp. NILVALUEs are null. */
export interface Rfc5424Fields {
  host: string | null
  /** APP-NAME; `dovecot[123]` (written by some forwarders) is split into app and procid. */
  app: string | null
  procid: string | null
  msgid: string | null
  /** Where MSG starts (after the space and an optional UTF-8 BOM); the text's length when there is none. */
  messageStart: number
}

/** The version after the PRI: `1 ` (any 1-2 digit number). Returns where the timestamp starts, or -1. */
export function rfc5424VersionEnd(text: string, at: number): number {
  let end = at
  while (end - at < 2 && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++
  if (end === at || text.charCodeAt(end) !== 32) return -1
  const next = text.charCodeAt(end + 1)
  // The timestamp: a digit (RFC 3339) or the NILVALUE.
  return (next >= 48 && next <= 57) || (next === 45 && text.charCodeAt(end + 2) === 32) ? end + 1 : -1
}

/** Reads HOSTNAME APP-NAME PROCID MSGID SD from `at` (just after the timestamp's space); null when it is not that shape. */
export function readRfc5424Fields(text: string, at: number): Rfc5424Fields | null {
  const fields: (string | null)[] = []
  let pos = at
  for (let i = 0; i < 4; i++) {
    const end = text.indexOf(' ', pos)
    if (end <= pos) return null
    const field = text.slice(pos, end)
    fields.push(field === '-' ? null : field)
    pos = end + 1
  }

  const sdEnd = structuredDataEnd(text, pos)
  if (sdEnd === -1) return null
  let messageStart = sdEnd
  if (messageStart < text.length) {
    if (text.charCodeAt(messageStart) !== 32) return null
    messageStart++
    if (text.charCodeAt(messageStart) === 0xfeff) messageStart++ // the BOM (decoded from EF BB BF)
    // rsyslog's RSYSLOG_SyslogProtocol23Format keeps the space a BSD sender put before the message: two spaces.
    while (text.charCodeAt(messageStart) === 32) messageStart++
  }

  const host = fields[0]
  let [, app, procid] = fields
  const bracket = app === null ? -1 : app.indexOf('[')
  if (app !== null && bracket > 0 && app.endsWith(']')) {
    procid ??= app.slice(bracket + 1, -1)
    app = app.slice(0, bracket)
  }

  return {host, app, procid, msgid: fields[3], messageStart}
}

/** Where STRUCTURED-DATA starting at `at` ends: after `-`, or after its last `]`; -1 when malformed. */
export function structuredDataEnd(text: string, at: number): number {
  if (text.charCodeAt(at) === 45) return at + 1 // -
  let pos = at
  while (text.charCodeAt(pos) === 91) {
    // [ SD-ID *(SP name="value") ]
    pos++
    let quoted = false
    for (; pos < text.length; pos++) {
      const c = text.charCodeAt(pos)
      if (quoted) {
        if (c === 92)
          pos++ // backslash escapes the next character
        else if (c === 34) quoted = false
      } else if (c === 34) quoted = true
      else if (c === 93) break // ]
    }

    if (pos >= text.length) return -1
    pos++
  }

  return pos === at ? -1 : pos
}
