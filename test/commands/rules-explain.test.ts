import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {RULES, ruleById} from '../../src/catalog/index.js'
import type {ExplainJson, RulesJson} from '../../src/render/json-documents.js'
import {run} from '../helpers/run.js'

describe('dovediag rules', () => {
  it('lists every rule with its severity (fact for counted ones) and title', async () => {
    const {stdout, status} = await run(['rules'])
    assert.equal(status, 0)
    for (const rule of RULES)
      assert.match(
        stdout,
        new RegExp(`│ ${rule.id} +│ ${rule.severity ?? 'fact'} +│ ${rule.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +│`),
      )
    assert.doesNotMatch(stdout, /built-in/, 'no origin column without user rules')
  })

  it('--json gives id, kind, severity, title, docs and origin per rule', async () => {
    const {result, status} = await run<RulesJson>(['rules', '--json'])
    assert.equal(status, 0)
    assert.equal(result?.rules.length, RULES.length)
    assert.deepEqual(
      result?.rules.find((rule) => rule.id === 'login'),
      {
        id: 'login',
        kind: 'fact',
        severity: null,
        title: 'Successful logins',
        docs: 'https://doc.dovecot.org/latest/core/admin/logging.html',
        origin: 'built-in',
      },
    )
  })

  it('--rules adds the user rules with the file they came from', async () => {
    const {stdout, result} = await run<RulesJson>(['rules', '--rules', 'fixtures/rules/site-rules.yaml', '--json'])
    assert.deepEqual(result?.rules.at(-1), {
      id: 'backup-lock',
      kind: 'problem',
      severity: 'medium',
      title: 'The nightly backup held a mailbox lock',
      docs: 'https://wiki.example.com/mail/backup',
      origin: 'fixtures/rules/site-rules.yaml',
    })
    assert.ok(stdout.length > 0)
  })
})

describe('dovediag explain', () => {
  it('shows a rule as one page: meaning, evidence, remedy, sub-cases, facts, matching, docs', async () => {
    const {stdout, status} = await run(['explain', 'mkdir-eacces'])
    assert.equal(status, 0)
    const rule = ruleById('mkdir-eacces')!
    const order = [
      'mkdir-eacces  high  ' + rule.title,
      'What it means',
      rule.explanation,
      'Example evidence',
      rule.examples.match[0].line,
      'What to do',
      `1. ${rule.remedy![0]}`,
      'When the line shows aclMac (acl-mac)',
      'Facts extracted',
      'How it matches',
      `literal   ${JSON.stringify(rule.literal)}`,
      'Near misses',
      'Docs',
      rule.docs,
    ]
    // A paragraph longer than the terminal is wrapped under its indent: read it back as one line.
    const page = stdout.replace(/\n +/g, ' ')
    let at = 0
    for (const part of order) {
      const found = page.indexOf(part, at)
      assert.ok(found >= 0, `missing or out of order: ${part}`)
      at = found
    }
  })

  it('shows when a rule is harmless', async () => {
    const rule = RULES.find((candidate) => candidate.harmless)!
    const {stdout} = await run(['explain', rule.id])
    assert.ok(stdout.includes(`When it is harmless\n  ${rule.harmless}`))
  })

  it('--json is the rule description', async () => {
    const {result} = await run<ExplainJson>(['explain', 'disk-full', '--json'])
    assert.equal(result?.kind, 'rule')
    const rule = result.rule
    assert.deepEqual(
      {id: rule.id, kind: rule.kind, severity: rule.severity, title: rule.title, literal: rule.literal, origin: rule.origin},
      {
        id: 'disk-full',
        kind: 'problem',
        severity: 'critical',
        title: 'The mail storage is out of space',
        literal: 'No space left on device',
        origin: 'built-in',
      },
    )
    assert.equal(rule.docs, 'https://doc.dovecot.org/latest/core/plugins/quota.html')
    assert.deepEqual(rule.conditions, {levels: ['warning', 'error', 'fatal']})
    assert.deepEqual(Object.keys(rule.facts ?? {}), ['func', 'path'])
    assert.match(rule.remedy[0], /df -h.*df -i/)
    assert.ok(rule.examples.match.some((example) => example.line.endsWith('failed: No space left on device')))
  })

  it('explains an exit code exactly as dovediag exit does', async () => {
    const {stdout, status} = await run(['explain', '235'])
    assert.equal(status, 0)
    assert.equal(stdout, (await run(['exit', '235'])).stdout, 'the same page as dovediag exit 235')
    for (const line of [
      '235  most likely 1003 DOVEADM_EX_EXPIRED seen through a shell: Outdated / expired\n',
      '    migration action (intermediate): retry   intermediate sync: not done · final cut-over: not done\n',
      '    docs: https://doc.dovecot.org/latest/core/admin/doveadm.html#error-exit-codes\n',
    ])
      assert.ok(stdout.includes(line), `missing: ${line}`)
    const {result} = await run<ExplainJson>(['explain', 'EX_TEMPFAIL', '--json'])
    assert.equal(result?.kind === 'exit-code' && result.code.code, 75)
  })

  it('explains a user rule given with --rules', async () => {
    const {stdout} = await run(['explain', 'backup-lock', '--rules', 'fixtures/rules/site-rules.yaml'])
    assert.match(stdout, /^backup-lock {2}medium {2}The nightly backup held a mailbox lock\nfrom fixtures\/rules\/site-rules.yaml/)
  })

  it('says "did you mean" for a near id, in one line with status 64', async () => {
    const {stderr, stdout, status} = await run(['explain', 'vsz-limit-om'])
    assert.equal(status, 64)
    assert.equal(stdout, '')
    assert.equal(stderr, "dovediag: 'vsz-limit-om' is neither a rule nor an exit code: did you mean vsz-limit-oom?\n")
    const far = await run(['explain', 'qwertyuiop'])
    assert.equal(far.status, 64)
    assert.match(far.stderr, /see 'dovediag rules' for the rule ids\n$/)
  })

  it('--json error for an unknown id keeps status 64', async () => {
    const {stdout, status} = await run(['explain', 'disk-ful', '--json'])
    assert.equal(status, 64)
    assert.match(JSON.parse(stdout).error.message, /did you mean disk-full\?/)
  })
})
