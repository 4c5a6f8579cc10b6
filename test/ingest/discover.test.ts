import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {discoverInputs, type DiscoveryHost} from '../../src/ingest/discover.js'
import {selectInputs} from '../../src/ingest/select-inputs.js'

function host(options: {doveconf?: string[] | null; files?: string[]; journal?: boolean}): DiscoveryHost {
  const files = new Set(options.files ?? [])
  return {
    doveconf: () => (options.doveconf ? {values: options.doveconf} : {error: 'not installed'}),
    hasJournal: () => options.journal ?? false,
    isFile: (path) => files.has(path),
    list: (dir) => [...files].filter((f) => f.startsWith(dir + '/')).map((f) => f.slice(dir.length + 1)),
  }
}

const summary = (found: ReturnType<typeof discoverInputs>) => found.inputs.map((i) => [i.kind === 'file' ? i.path : i.name, i.reason])

describe('discoverInputs (no input argument, nothing piped)', () => {
  it("doveconf's log_path and info_log_path, each with its rotated set, oldest first", () => {
    const found = discoverInputs(
      host({
        doveconf: ['/var/log/dovecot.log', '/var/log/dovecot-info.log', '', ''],
        files: [
          '/var/log/dovecot.log',
          '/var/log/dovecot.log.1',
          '/var/log/dovecot.log.2.gz',
          '/var/log/dovecot-info.log',
          '/var/log/dovecot.log.bak',
        ],
      }),
    )
    assert.deepEqual(summary(found), [
      ['/var/log/dovecot.log.2.gz', 'doveconf: log_path = /var/log/dovecot.log'],
      ['/var/log/dovecot.log.1', 'doveconf: log_path = /var/log/dovecot.log'],
      ['/var/log/dovecot.log', 'doveconf: log_path = /var/log/dovecot.log'],
      ['/var/log/dovecot-info.log', 'doveconf: info_log_path = /var/log/dovecot-info.log'],
    ])
  })

  it('log_path = syslog means the distribution mail log, or the journal when there is none', () => {
    const debian = discoverInputs(host({doveconf: ['syslog', '', ''], files: ['/var/log/mail.log']}))
    assert.deepEqual(summary(debian), [['/var/log/mail.log', "doveconf: log_path = syslog: the distribution's mail log"]])
    const rhel = discoverInputs(host({doveconf: ['syslog', '', ''], files: ['/var/log/maillog']}))
    assert.equal(summary(rhel)[0][0], '/var/log/maillog')
    const systemd = discoverInputs(host({doveconf: ['syslog', '', ''], journal: true}))
    assert.deepEqual(summary(systemd), [['journal', 'doveconf: log_path = syslog: no mail log file, so the journal']])
    assert.equal(systemd.inputs[0].kind, 'command')
  })

  it('without doveconf: the usual places, and a clear note when there is nothing', () => {
    const usual = discoverInputs(host({files: ['/var/log/dovecot.log']}))
    assert.deepEqual(summary(usual), [['/var/log/dovecot.log', 'a usual place for Dovecot logs']])
    assert.match(usual.notes[0], /doveconf is not available \(not installed\)/)
    const nothing = discoverInputs(host({}))
    assert.deepEqual(nothing.inputs, [])
    assert.ok(nothing.notes.includes('no Dovecot logs found on this machine'))
  })

  it('arguments win; then piped stdin; then discovery', async () => {
    assert.equal((await selectInputs(['-'], {stdinHasData: () => false})).inputs[0].kind, 'stdin')
    const piped = await selectInputs([], {stdinHasData: () => true})
    assert.deepEqual([piped.inputs[0].kind, piped.discovery], ['stdin', null])
    const discovered = await selectInputs([], {stdinHasData: () => false, host: host({files: ['/var/log/dovecot.log']})})
    assert.equal(discovered.inputs.length, 1)
    assert.notEqual(discovered.discovery, null)
  })
})
