import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {sanitizeForTerminal} from '../../src/render/sanitize.js'

describe('sanitizeForTerminal', () => {
  it('shows escape sequences instead of sending them to the terminal', () => {
    assert.equal(sanitizeForTerminal('user=<\u001B[2Jroot>'), 'user=<\\e[2Jroot>')
    assert.equal(sanitizeForTerminal('a\rb\nc\u0007'), 'a\\rb\\nc\\x07')
    assert.equal(sanitizeForTerminal('8-bit CSI \u009B31m'), '8-bit CSI \\x9b31m')
  })
  it('neutralises bidi overrides', () => {
    assert.equal(sanitizeForTerminal('x\u202Ey'), 'x\\u202ey')
  })
  it('keeps ordinary text, tabs and non-ASCII user names as they are', () => {
    const text = 'imap(jürgen@example.com)<1234><AbCd>: Error:\tMailbox Entwürfe: ok ✓'
    assert.equal(sanitizeForTerminal(text), text)
  })
  it('leaves no control character behind on arbitrary input', () => {
    let all = ''
    for (let code = 0; code < 0x200; code++) all += String.fromCodePoint(code)
    assert.doesNotMatch(sanitizeForTerminal(all), /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/)
  })
})
