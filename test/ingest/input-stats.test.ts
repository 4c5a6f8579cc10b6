import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import fc from 'fast-check'

import {InputStatsCounter} from '../../src/ingest/input-stats.js'
import type {LogFormat, LogLevel, LogRecord, WrapperKind} from '../../src/ingest/record.js'

/**
 * An input's counts by format, level, service and wrapper (the tallies keep the last key's count at hand, as
 * lines come in runs): each must be the number of records that had it, in the order first seen for formats.
 * The fast lane's equivalence tests cannot show a wrong tally, which both ways share.
 */
const FORMATS: LogFormat[] = ['dovecot-file', 'syslog-bsd', 'container', 'raw']
const LEVELS: (LogLevel | null)[] = ['info', 'info', 'warning', 'error', null]
const SERVICES = ['imap', 'lmtp', 'imap-login', null]
const WRAPPERS: WrapperKind[][] = [[], [], ['grep-filename'], ['compose', 'grep-filename']]

const record = fc
  .record({
    format: fc.nat(FORMATS.length - 1),
    level: fc.nat(LEVELS.length - 1),
    service: fc.nat(SERVICES.length - 1),
    wrappers: fc.nat(3),
    run: fc.integer({min: 1, max: 5}),
  })
  .map(({format, level, service, wrappers, run}) => ({
    record: {
      format: FORMATS[format],
      level: LEVELS[level],
      service: SERVICES[service],
      dovecot: service !== 3,
      program: service === 3 ? 'postfix/smtpd' : 'dovecot',
      wrappers: WRAPPERS[wrappers],
      time: null,
    } as unknown as LogRecord,
    run,
  }))

describe('InputStatsCounter', () => {
  it('counts each format, level, service and wrapper exactly, whatever the runs (property)', () => {
    fc.assert(
      fc.property(fc.array(record, {maxLength: 40}), (records) => {
        const counter = new InputStatsCounter({kind: 'stdin', name: '-'})
        const expected = {
          formats: new Map<string, number>(),
          levels: new Map<string, number>(),
          services: new Map<string, number>(),
          wrappers: new Map<string, number>(),
        }
        const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
        for (const {record, run} of records)
          for (let i = 0; i < run; i++) {
            counter.record(record)
            add(expected.formats, record.format)
            add(expected.levels, record.level ?? 'none')
            add(expected.services, record.dovecot ? (record.service ?? '(no prefix)') : record.program)
            for (const wrapper of record.wrappers) add(expected.wrappers, wrapper)
          }
        const stats = counter.finish()
        assert.deepEqual(Object.entries(stats.formats), [...expected.formats])
        assert.deepEqual(stats.levels, Object.fromEntries(expected.levels))
        assert.deepEqual(stats.services, Object.fromEntries(expected.services))
        assert.deepEqual(stats.wrappers, Object.fromEntries(expected.wrappers))
        assert.equal(
          stats.records,
          records.reduce((sum, {run}) => sum + run, 0),
        )
      }),
      {numRuns: 300},
    )
  })
})
