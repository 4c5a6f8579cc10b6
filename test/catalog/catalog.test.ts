import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {FACT_RULES, PROBLEM_RULES, RULE_LITERALS, RULES, ruleById} from '../../src/catalog/index.js'
import {SEVERITIES} from '../../src/catalog/rule.js'
import {isRecord, parseLine} from '../../src/ingest/parse-line.js'
import type {LogRecord} from '../../src/ingest/record.js'
import {diagnose} from '../../src/diagnosis/diagnose.js'
import {matchRule} from '../../src/match/matcher.js'
import {root} from '../helpers/run.js'

// Year-less stamps resolve against this reference: a fixed date keeps the examples deterministic.
const REFERENCE = Date.UTC(2026, 11, 31)

function record(line: string): LogRecord {
  const result = parseLine(line, {source: 'example', reference: REFERENCE, timeZone: 'UTC'})
  assert.ok(isRecord(result), `the line parser did not make a record of: ${line} (${JSON.stringify(result)})`)
  return result
}

const problemsMatching = (line: string) => PROBLEM_RULES.map((rule) => matchRule(rule, record(line))).filter((match) => match !== null)

/** The problem rules a line makes findings of, through the whole diagnosis (catch-all rules included). */
const findingsOf = async (line: string) => (await diagnose([record(line)])).findings.map((finding) => finding.rule)

describe('catalog examples, through the real line parser', () => {
  for (const rule of RULES.filter((candidate) => candidate.fallback)) {
    describe(`${rule.id} (catch-all)`, () => {
      for (const example of rule.examples.match) {
        it(`takes ${example.version ?? ''} ${example.line.slice(0, 90)}`, async () => {
          assert.deepEqual(await findingsOf(example.line), [rule.id])
          const finding = (await diagnose([record(example.line)])).findings[0]
          for (const value of Object.values(example.facts ?? {}))
            assert.ok(
              finding.facts.some((fact) => fact.includes(value)),
              `fact ${value} in ${finding.facts.join(' | ')}`,
            )
        })
      }
      for (const example of rule.examples.nearMiss) {
        it(`leaves ${example.line.slice(0, 90)}`, async () => {
          assert.ok(!(await findingsOf(example.line)).includes(rule.id))
        })
      }
    })
  }

  for (const rule of RULES.filter((candidate) => !candidate.fallback)) {
    describe(rule.id, () => {
      for (const example of rule.examples.match) {
        it(`matches ${example.version ?? ''} ${example.line.slice(0, 90)}`, () => {
          assert.ok(example.line.includes(rule.literal), `the line lacks the literal '${rule.literal}'`)
          const parsed = record(example.line)
          const match = matchRule(rule, parsed)
          assert.ok(match, `no match on message: ${parsed.message}`)
          for (const [fact, value] of Object.entries(example.facts ?? {})) assert.equal(match.facts[fact], value, `fact ${fact}`)
          if (example.variant !== undefined) assert.equal(match.variant?.id, example.variant)
          if (rule.kind === 'problem') {
            assert.deepEqual(
              problemsMatching(example.line).map((m) => m.rule.id),
              [rule.id],
              'exactly this rule',
            )
          }
        })
      }

      for (const example of rule.examples.nearMiss) {
        it(`does not match ${example.line.slice(0, 90)}`, () => {
          // A near miss tests the pattern and conditions only if the line parses and its message holds the literal:
          // otherwise the matcher never gets past its prefilter and the example proves nothing.
          const parsed = record(example.line)
          assert.ok(
            parsed.message.includes(rule.literal),
            `the near miss's message lacks the literal '${rule.literal}', so the pattern never runs on it: ${parsed.message}`,
          )
          assert.equal(matchRule(rule, parsed), null)
          assert.deepEqual(
            problemsMatching(example.line).map((m) => m.rule.id),
            example.otherRule ? [example.otherRule] : [],
            example.otherRule ? `${example.otherRule} alone` : 'no problem rule at all',
          )
        })
      }
    })
  }
})

// Ordinary lines that sit next to a rule's wording but hold none of its literal: no rule's pattern runs on them, so
// they are not near misses. Each must still parse and leave every problem rule silent (fixtures/ordinary has more).
const ORDINARY_NEIGHBOURS = [
  'Nov 23 10:00:00 master: Info: Dovecot v2.4.1 (8b687aa65c) starting up for imap, lmtp',
  'Nov 23 10:00:00 master: Info: Dovecot v2.3.21.1 (d492236fa0) starting up for imap, pop3, lmtp (core dumps disabled)',
  'Nov 23 10:00:00 imap-login: Info: Disconnected: Connection closed (no auth attempts in 0 secs): user=<>, rip=198.51.100.7, lip=192.0.2.10, session=<AbCdEf12>',
  'Nov 23 10:00:00 imap-login: Info: Disconnected: Connection closed (no auth attempts in 1 secs): user=<>, rip=198.51.100.7, lip=192.0.2.10, TLS handshaking, session=<AbCdEf12>',
  'Nov 23 10:00:00 imap-login: Info: Disconnected: Inactivity (no auth attempts in 180 secs): user=<>, rip=198.51.100.7, lip=192.0.2.10, session=<AbCdEf12>',
  'Nov 23 10:00:00 imap-login: Info: Login: user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=1234, TLS, session=<AbCdEf12>',
  'Nov 23 10:00:00 imap-login: Info: Disconnected: Connection closed (auth failed, 3 attempts in 12 secs): user=<jdoe>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, TLS, session=<AbCdEf12>',
  'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: Disconnected: Connection closed (IDLE running for 0.001 + waiting input for 1800.000 secs, 2 B in + 10+0 B out, state=wait-input) in=512 out=20480',
  'Nov 23 10:00:00 lmtp(2345): Info: Connect from local',
  'Nov 23 10:00:00 dsync-local(jdoe)<AbCdEf12>: Debug: brain M: Nothing to sync',
  'Nov 23 10:00:00 imap-login: Warning: net_connect_unix(imap) succeeded only after retrying - took 1500123 us',
  'Nov 23 10:00:00 imap-login: Error: master(imap): read() failed: Connection reset by peer (client-pid=27191, client-id=4, rip=198.51.100.8, created 3 msecs ago, received 0/24 bytes)',
  'Nov 23 10:00:00 auth-worker(303): Info: mysql(localhost): Connected to database mail',
  'Nov 30 00:58:07 auth: Info: missing passwd file: /tmp/catalog-lab/nopasswd',
  'doveconf: Warning: Obsolete setting in /tmp/catalog-lab/oldset.conf:36: ssl_protocols has been replaced by ssl_min_protocol',
  'Mar 14 04:29:38 web03 systemd[1]: dovecot.service: Main process exited, code=killed, status=9/KILL',
  'Nov 23 10:00:00 mail1 chronyd[812]: Selected source 192.0.2.123 (pool.ntp.org)',
  'Nov 23 10:00:00 mail1 ntpd[17697]: kernel reports TIME_ERROR: 0x41: Clock Unsynchronized',
]

describe('ordinary lines next to the rules', () => {
  for (const line of ORDINARY_NEIGHBOURS) {
    it(`flags no problem in ${line.slice(0, 90)}`, () => {
      assert.deepEqual(
        problemsMatching(line).map((m) => m.rule.id),
        [],
      )
    })
  }
})

describe('catalog integrity', () => {
  it('has unique, slug-shaped ids', () => {
    const ids = RULES.map((rule) => rule.id)
    assert.equal(new Set(ids).size, ids.length)
    for (const id of ids) assert.match(id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  })

  it('keeps the rule ids the issue fixed', () => {
    for (const id of [
      'time-moved-backwards',
      'index-cache-too-large',
      'index-cache-mmap-enomem',
      'vsz-limit-oom',
      'net-connect-unix-eagain',
      'process-limit-reached',
      'chown-eperm',
      'mkdir-eacces',
      'selinux-avc-denied',
      'invalid-uid-messageset',
    ]) {
      assert.equal(ruleById(id)?.kind, 'problem', id)
    }
  })

  it('gives every problem a severity, explanation, remedy, doc link and examples', () => {
    for (const rule of PROBLEM_RULES) {
      assert.ok(rule.severity && SEVERITIES.includes(rule.severity), `${rule.id} severity`)
      assert.ok(rule.explanation.length > 40, `${rule.id} explanation`)
      assert.ok((rule.remedy ?? []).length > 0, `${rule.id} remedy`)
      assert.match(rule.docs, /^https:\/\/doc\.dovecot\.org\//, `${rule.id} docs`)
      assert.ok(rule.examples.match.length >= 1 && rule.examples.nearMiss.length >= 1, `${rule.id} examples`)
    }
  })

  it('covers Dovecot 2.2, 2.3 and 2.4 in every Dovecot problem rule, and both own-file and syslog lines', () => {
    for (const rule of PROBLEM_RULES) {
      if (rule.conditions?.programs) continue // audit.log and the kernel: no Dovecot version
      const versions = new Set(rule.examples.match.map((example) => example.version))
      for (const version of rule.versions ?? (['2.2', '2.3', '2.4'] as const))
        assert.ok(versions.has(version), `${rule.id} lacks a ${version} example`)
      const syslog = rule.examples.match.some((example) => / dovecot: /.test(example.line))
      const ownFile = rule.examples.match.some((example) => !/ dovecot: /.test(example.line))
      assert.ok(syslog && ownFile, `${rule.id} needs both an own-file and a syslog example`)
    }
  })

  it('lists facts as rules that are never flagged', () => {
    assert.deepEqual(FACT_RULES.map((rule) => rule.id).sort(), [
      'auth-failed',
      'chronyd-clock-stepped',
      'kernel-oom-kill',
      'login',
      'logout',
      'mail-delivered',
      'ntpd-time-reset',
      'sieve-delivered',
    ])
  })

  it('documents every named group a pattern extracts, and every variant selects on one', () => {
    for (const rule of RULES) {
      for (const pattern of rule.patterns) {
        const names = [...pattern.source.matchAll(/\(\?<([a-zA-Z]+)>/g)].map((m) => m[1])
        for (const name of names) assert.ok(rule.facts && name in rule.facts, `${rule.id}: group ${name} undocumented`)
      }
      for (const variant of rule.variants ?? [])
        assert.ok(rule.facts && variant.whenFact in rule.facts, `${rule.id}: variant ${variant.id}`)
    }
  })

  it('has no nested quantifiers in any pattern (ReDoS)', () => {
    // A quantified group whose body holds a quantifier, e.g. (a+)+ or (?:x*y)*.
    const nested = /\((?:[^()]|\\.)*[*+}](?:[^()]|\\.)*\)[*+{]/
    for (const bad of [/(a+)+$/, /(?:x*y)*/, /(\d+,?){2,}/]) assert.match(bad.source, nested, `the check misses ${bad.source}`)
    for (const rule of RULES)
      for (const pattern of rule.patterns) assert.doesNotMatch(pattern.source, nested, `${rule.id}: ${pattern.source}`)
  })

  it('keeps rule knowledge in the rules: no rule id is named in src/diagnosis/ (companions and correlations are rule data)', () => {
    const dir = join(root, 'src', 'diagnosis')
    const code = readdirSync(dir)
      .map((name) => readFileSync(join(dir, name), 'utf8'))
      .join('\n')
    // "panic" is also a level word; every other id is checked.
    for (const rule of RULES) if (rule.id !== 'panic') assert.ok(!code.includes(`'${rule.id}'`), `src/diagnosis/ names ${rule.id}`)
  })

  it('names only existing rules in correlations', () => {
    for (const rule of RULES)
      for (const correlation of rule.correlations ?? []) assert.ok(ruleById(correlation.rule), `${rule.id} -> ${correlation.rule}`)
    for (const rule of RULES)
      for (const example of rule.examples.nearMiss)
        if (example.otherRule) assert.ok(ruleById(example.otherRule), `${rule.id} near miss -> ${example.otherRule}`)
  })

  it('gives every rule near misses (negative cases), the catch-all rule included', () => {
    for (const rule of RULES) assert.ok(rule.examples.nearMiss.length >= 1, `${rule.id} has no near miss`)
  })

  it('offers the literals as a list for a chunk scanner', () => {
    for (const rule of RULES) if (!rule.fallback) assert.ok(RULE_LITERALS.includes(rule.literal))
  })
})
