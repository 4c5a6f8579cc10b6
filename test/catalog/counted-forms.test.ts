import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {RULES} from '../../src/catalog/index.js'
import {MATCHES, NO_MATCH, UNSURE} from '../../src/catalog/counted-form.js'
import type {Rule} from '../../src/catalog/rule.js'
import {ruleReadable} from '../../src/match/mail-log-fields.js'

/**
 * A counted form (src/catalog/counted-form.ts) stands in for its rule's patterns in the reader's fast lane:
 * where it answers, it must answer what the patterns say of the text rules read (ruleReadable).
 */
const FORMS = RULES.filter((rule) => rule.countedForm !== undefined)

/** A catalog example's message: the text after its level word, or else after the stamp, syslog's ident and the process prefix. */
function messageOf(line: string): string {
  const level = /: (?:Debug|Info|Warning|Error|Fatal|Panic): (.*)$/.exec(line)
  if (level) return level[1]
  const rest = line.slice(16).replace(/^\S+ dovecot(?:\[\d+\])?: /, '')
  return rest.replace(/^[a-z][\w-]*(?:\([^)]*\))?(?:<[^>]*>)*: /, '')
}

const patternsMatch = (rule: Rule, message: string): boolean => {
  const text = ruleReadable(message)
  return rule.patterns.some((pattern) => pattern.exec(text) !== null)
}

/** The form's answer on the message's bytes, read from inside a longer buffer (as in a chunk). */
function answer(rule: Rule, message: string): number {
  const bytes = Buffer.from(`x\n${message}\nsaved mail to >Logged out`, 'latin1')
  return rule.countedForm!(bytes, 2, 2 + message.length)
}

function assertAgrees(rule: Rule, message: string): void {
  const said = answer(rule, message)
  if (said === UNSURE) return
  assert.equal(said === MATCHES, patternsMatch(rule, message), `${rule.id}: ${JSON.stringify(message)} (form says ${said})`)
}

const examplesOf = (rules: readonly Rule[]): string[] =>
  rules.flatMap((rule) => [...rule.examples.match, ...rule.examples.nearMiss]).map(({line}) => messageOf(line))
// Every example's message of the whole catalog; the forms' rules' own, and lines built to sit on the forms'
// edges, more often.
const CATALOG = [...new Set(examplesOf(RULES))]
const EDGES = [
  ...new Set([
    ...examplesOf(FORMS),
    'Login: user=<jdoe>',
    'Login: user=<',
    'Logged in: user=<a>b, rip=1.2.3.4',
    'Logged out',
    'Logged out_x',
    'Disconnected: Logged out-1',
    'Disconnected: Logged outside',
    'saved mail to X',
    'saved mail to ',
    'a: saved mail to X',
    'a, saved mail to X',
    'a:saved mail to X',
    ': saved mail to X',
    'copy from a, saved mail to X: msgid=<a>',
    'save: box=INBOX, subject=saved mail to X',
    'expunge from a: box=x, msgid=<a>, saved mail to X',
    'sieve: msgid=<a>: saved mail to X',
    'msgid=<a>: saved mail to saved mail to X',
    'x_y z: a=, saved mail to X',
    '_: saved mail to X',
    'Msgid: saved mail to X',
    'msgid=<a>; saved mail to X',
    'msgid=<a> saved mail to X',
    'a saved mail to X',
  ]),
]

// Edits that make near misses: characters the patterns care about, put in, taken out or changed anywhere.
const CHARS = [' ', ':', ',', ';', '<', '>', '=', '_', '-', 'a', 'z', 'S', 'L', '0', '\t']
const edit = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace', 'cut', 'prefix'),
  at: fc.nat(),
  char: fc.constantFrom(...CHARS),
  prefix: fc.constantFrom('Disconnected: ', 'save: ', 'copy from INBOX: ', 'msgid=<a>: ', 'Logged ', 'Login: user=<', 'a, ', ''),
})

function applyEdit(text: string, {kind, at, char, prefix}: {kind: string; at: number; char: string; prefix: string}): string {
  const place = at % (text.length + 1)
  switch (kind) {
    case 'insert':
      return text.slice(0, place) + char + text.slice(place)
    case 'delete':
      return text.slice(0, place) + text.slice(place + 1)
    case 'replace':
      return text.slice(0, place) + char + text.slice(place + 1)
    case 'cut':
      return text.slice(0, place)
    default:
      return prefix + text
  }
}

describe('counted forms', () => {
  it('the commonest facts have one: logins, logouts, deliveries', () => {
    assert.deepEqual(FORMS.map((rule) => rule.id).sort(), ['login', 'logout', 'mail-delivered'])
  })

  it("decide each of their rule's own examples, as the patterns do", () => {
    for (const rule of FORMS) {
      for (const {line} of rule.examples.match) {
        assert.equal(answer(rule, messageOf(line)), MATCHES, `${rule.id}: ${line}`)
      }
      for (const {line} of rule.examples.nearMiss) {
        const said = answer(rule, messageOf(line))
        if (said !== UNSURE) assert.equal(said, patternsMatch(rule, messageOf(line)) ? MATCHES : NO_MATCH, `${rule.id}: ${line}`)
      }
    }
  })

  it('agree with their patterns wherever they answer, on every catalog message and near misses made from them (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof({arbitrary: fc.constantFrom(...EDGES), weight: 3}, {arbitrary: fc.constantFrom(...CATALOG), weight: 1}),
        fc.array(edit, {maxLength: 4}),
        (seed, edits) => {
          const message = edits.reduce(applyEdit, seed)
          if (!/^[\x00-\x7f]*$/.test(message)) return // the fast lane reads ASCII lines only
          for (const rule of FORMS) assertAgrees(rule, message)
        },
      ),
      {numRuns: 3000},
    )
  })
})
