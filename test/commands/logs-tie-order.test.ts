import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'

import {spawnCli} from '../helpers/run.js'

// Names as Dovecot user names, services and message templates can have them: upper and lower case, digits,
// an underscore, and letters that locales order differently (Swedish puts Ä after Z, Turkish has a dotless ı
// and a dotted İ). Each is seen the same number of times, so every list below is all ties.
const NAMES = ['Zoë', 'zoe', 'Ärna', 'arna', 'Bob', 'bob', 'user10', 'user2', 'iris', 'Iris', 'ırmak', 'İpek', '_svc', 'émile']
const PROGRAMS = ['Zeta', 'zeta', 'Äpple', 'apple', '9lives', 'İzmir', 'izmir']
const LOCALES = ['C', 'en_US.UTF-8', 'sv_SE.UTF-8', 'tr_TR.UTF-8']

const stamp = (minute: number, second: number): string => `Nov 22 06:${minute}:${String(second).padStart(2, '0')}`
const LOG = [
  ...NAMES.map(
    (name, index) =>
      `${stamp(25, index)} imap-login: Info: Disconnected: Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10): user=<${name}>, method=PLAIN, rip=203.0.113.5, lip=192.0.2.10, mpid=0, TLS, session=<s${index}>`,
  ),
  ...NAMES.map((name, index) => `${stamp(26, index)} imap(${name}@example.com)<1${index}><t${index}>: Error: ${name} tried something odd`),
  ...PROGRAMS.map((program, index) => `${stamp(27, index)} mail ${program}[12]: hello there`),
]

const byCodeUnits = (names: readonly string[]): string[] => [...names].sort()
const environment = (locale: string): NodeJS.ProcessEnv => ({LANG: locale, LC_ALL: locale, LC_COLLATE: locale})

// Equal counts are ordered by name, compared by code units (src/code-unit-order.ts): the same `--json` on every
// machine, whatever its locale. With localeCompare the four locales gave three different documents.
describe('ties in a report are ordered the same under every locale', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dovediag-ties-'))
    writeFileSync(join(dir, 'ties.log'), LOG.join('\n') + '\n')
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('these locales do order the names differently (else the test below would prove nothing)', async () => {
    const orders = await Promise.all(
      LOCALES.map(async (locale) => {
        const {stdout} = await promisify(execFile)(
          process.execPath,
          ['-e', `console.log(${JSON.stringify([...NAMES, ...PROGRAMS])}.sort((a, b) => a.localeCompare(b)).join(' '))`],
          {env: {...process.env, ...environment(locale)}},
        )
        return stdout
      }),
    )
    assert.ok(new Set(orders).size >= 3, orders.join(''))
  })

  it('logs --json: affected users, unrecognized templates, other programs', async () => {
    const documents = await Promise.all(
      LOCALES.map((locale) => spawnCli(['logs', '--json', join(dir, 'ties.log')], {env: environment(locale)})),
    )
    for (const [index, {status, stdout}] of documents.entries()) {
      assert.equal(status, documents[0].status, LOCALES[index])
      assert.equal(stdout, documents[0].stdout, `${LOCALES[index]} differs from ${LOCALES[0]}`)
    }
    const report = JSON.parse(documents[0].stdout) as {
      findings: {rule: string; affected: {users: {name: string; count: number}[]}}[]
      unrecognized: {template: string}[]
      inputs: {otherPrograms: Record<string, number>}[]
    }
    const finding = report.findings.find((candidate) => candidate.rule === 'mail-max-userip-connections')
    assert.ok(finding, documents[0].stdout.slice(0, 500))
    assert.deepEqual(
      finding.affected.users.map(({name}) => name),
      byCodeUnits(NAMES).slice(0, 5),
    )
    // Templates replace numbers: user10 and user2 make one template of two lines, the rest tie at one.
    assert.deepEqual(
      report.unrecognized.map(({template}) => template.replace(' tried something odd', '')),
      ['user#', ...byCodeUnits(NAMES.filter((name) => !name.startsWith('user')))],
    )
    assert.deepEqual(Object.keys(report.inputs[0].otherPrograms), byCodeUnits(PROGRAMS))
  })
})
