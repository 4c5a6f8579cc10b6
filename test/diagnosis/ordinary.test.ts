import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {describe, it} from 'node:test'

import {Diagnoser} from '../../src/diagnosis/diagnose.js'
import {fileInput} from '../../src/input/resolve.js'
import {readLogs} from '../../src/ingest/read-logs.js'
import {root} from '../helpers/run.js'

const dir = resolve(root, 'fixtures/ordinary')
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.log'))
  .sort()

describe('ordinary traffic produces no findings', () => {
  it('has the corpus: 2.2, 2.3 and 2.4, own file and syslog, a few hundred lines', () => {
    assert.deepEqual(files, [
      'dovecot-2.2-syslog.log',
      'dovecot-2.3-own.log',
      'dovecot-2.3-syslog.log',
      'dovecot-2.4-own.log',
      'dovecot-2.4-syslog.log',
    ])
  })

  for (const file of files) {
    it(file, async () => {
      const diagnoser = new Diagnoser()
      let unparsed = 0
      for await (const event of readLogs([fileInput(join(dir, file))], {timeZone: 'UTC'})) {
        if (event.type === 'records') for (const record of event.records) diagnoser.add(record)
        else if (event.type === 'input-done') unparsed = event.stats.unparsed + event.stats.skipped
      }
      const diagnosis = diagnoser.finish()
      assert.equal(unparsed, 0, 'every line is a Dovecot record')
      assert.deepEqual(
        diagnosis.findings.map((finding) => `${finding.rule}: ${finding.evidence[0].text}`),
        [],
      )
      assert.deepEqual(diagnosis.unrecognized, [])
      // The facts are counted, so the corpus really holds the traffic it claims to.
      const {logins, logouts, authFailures, deliveries} = diagnosis.activity
      assert.ok(logins > 5 && logouts > 5 && authFailures > 3 && deliveries > 5, JSON.stringify(diagnosis.activity))
    })
  }
})
