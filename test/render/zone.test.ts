import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {pathToFileURL} from 'node:url'
import {promisify} from 'node:util'

import {root} from '../helpers/run.js'

const run = promisify(execFile)

/** zoneName() of the build and ICU's own answer, in a process whose TZ is `tz` (undefined: no TZ at all). */
async function bothNames(tz: string | undefined): Promise<{ours: string; icu: string}> {
  const env = {...process.env}
  if (tz === undefined) delete env.TZ
  else env.TZ = tz
  const zone = pathToFileURL(join(root, 'dist/render/zone.js')).href
  // ICU's answer is asked for after ours, so ours cannot have been helped by a DateTimeFormat made first.
  const script = `const {zoneName} = await import(${JSON.stringify(zone)}); const ours = zoneName(); console.log(JSON.stringify({ours, icu: String(Intl.DateTimeFormat().resolvedOptions().timeZone)}))`
  const {stdout} = await run(process.execPath, ['--input-type=module', '-e', script], {env})
  return JSON.parse(stdout) as {ours: string; icu: string}
}

// The text reports print the local zone's name. On a machine on UTC it is read without ICU's DateTimeFormat
// (whose first use costs a tenth of a small `logs` run); whatever the machine, the name is ICU's.
describe('zoneName: the name ICU gives the local zone', () => {
  for (const tz of [undefined, 'UTC', 'Etc/UTC', ':UTC', 'Etc/GMT', 'Europe/Berlin', 'Asia/Kolkata', 'US/Pacific', '']) {
    it(`TZ ${tz === undefined ? 'unset' : JSON.stringify(tz)}`, async () => {
      const {ours, icu} = await bothNames(tz)
      assert.equal(ours, icu)
    })
  }

  // Every name ICU lists, and aliases and near names: TZ set in one process (Node tells ICU at each change).
  it('TZ set to each zone ICU lists, an alias, or a near name: the name ICU gives', async () => {
    const zone = pathToFileURL(join(root, 'dist/render/zone.js')).href
    const extra = [
      'Asia/Kolkata',
      'US/Pacific',
      'Europe/Kiev',
      'GMT',
      'Etc/GMT+5',
      'Etc/GMT-14',
      'europe/berlin',
      ':Europe/Berlin',
      'Europe/Berlin ',
      'Europe/Nowhere',
      'CET',
      'EST5EDT',
      'posix/Europe/Berlin',
      'Europe/../UTC',
    ]
    const script = `const {zoneName} = await import(${JSON.stringify(zone)}); const differing = []; let compared = 0; for (const tz of [...Intl.supportedValuesOf('timeZone'), ...${JSON.stringify(extra)}]) { process.env.TZ = tz; const ours = zoneName(); const icu = String(Intl.DateTimeFormat().resolvedOptions().timeZone); compared++; if (ours !== icu && !(icu === 'undefined' && ours === 'TZ=' + tz)) differing.push([tz, ours, icu]) } console.log(JSON.stringify({compared, differing}))`
    const {stdout} = await run(process.execPath, ['--input-type=module', '-e', script])
    const {compared, differing} = JSON.parse(stdout) as {compared: number; differing: string[][]}
    assert.ok(compared > 400, String(compared))
    assert.deepEqual(differing, [])
  })

  // The zone's name without a DateTimeFormat, whose first use builds ICU's list of locales (~113 M instructions).
  for (const zone of ['UTC', 'Europe/Berlin']) {
    it(`dovediag logs on the sample, in text on a ${zone} machine, prints ${zone} and makes no DateTimeFormat`, async () => {
      const count = `let made = 0; const Original = Intl.DateTimeFormat; Intl.DateTimeFormat = function (...args) { made++; return new Original(...args) }; process.on('exit', () => process.stderr.write('made ' + made + '\\n'))`
      const {stdout, stderr} = await run(
        process.execPath,
        ['--import', `data:text/javascript,${encodeURIComponent(count)}`, join(root, 'bin/run.js'), 'logs', 'fixtures/sample.log'],
        {cwd: root, env: {...process.env, TZ: zone}},
      ).catch((error: {stdout: string; stderr: string}) => error)
      assert.match(stdout, new RegExp(String.raw`time span {2}\S+ \S+ → \S+ \S+ ${zone}$`, 'm'))
      assert.match(stderr, /^made 0$/m)
    })
  }

  // ICU has no name for a POSIX rule or a path in TZ (its answer is undefined): the report names TZ's value.
  for (const tz of ['UTC0', ':/etc/localtime']) {
    it(`TZ ${JSON.stringify(tz)}, which ICU cannot name, is named by its value`, async () => {
      const {ours, icu} = await bothNames(tz)
      assert.equal(icu, 'undefined')
      assert.equal(ours, `TZ=${tz}`)
    })
  }

  it('a zone asked for by name (--timezone) is that name', async () => {
    const {zoneName} = (await import(pathToFileURL(join(root, 'dist/render/zone.js')).href)) as {zoneName: (zone?: string) => string}
    assert.equal(zoneName('Europe/Stockholm'), 'Europe/Stockholm')
  })
})
