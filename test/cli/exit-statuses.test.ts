import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {ExitStatus, worstStatus} from '../../src/exit-status.js'
import {root} from '../helpers/run.js'

/**
 * Many tests name the expected status as `ExitStatus.X`, the table the code uses: pinning the table here, to
 * the numbers written out and to the README's "Exit statuses" section, is what makes a renumbering fail.
 */
describe('exit statuses', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('\n## Exit statuses\n'), readme.indexOf('\n## ', readme.indexOf('\n## Exit statuses\n') + 1))

  it('are the numbers the README documents', () => {
    assert.deepEqual(
      {...ExitStatus},
      {
        OK: 0,
        ACTION_NEEDED: 1,
        INPUT_ERROR: 2,
        SUSPEND_ALL: 3,
        USAGE: 64,
        OUTPUT_ERROR: 74,
        INTERNAL: 70,
        INTERRUPTED: 130,
        TERMINATED: 143,
      },
    )
    const documented = [...section.matchAll(/^\| (\d+) \|/gm)].map((row) => Number(row[1])).sort((a, b) => a - b)
    assert.deepEqual(documented, [0, 1, 2, 3, 64, 70, 74, 130, 143])
  })

  it('win in the README order when several apply: 143, 130, 3, 74, 1, 2, 0', () => {
    assert.ok(section.includes('the first in this order wins, for every command: 143, 130, 3, 74, 1, 2, 0.'))
    const order = [143, 130, 3, 74, 1, 2, 0]
    order.forEach((status, index) => {
      for (const lower of order.slice(index + 1)) assert.equal(worstStatus(lower, status), status, `${status} over ${lower}`)
    })
    assert.equal(worstStatus(), 0)
  })
})
