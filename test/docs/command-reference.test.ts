import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {promisify} from 'node:util'

import {root} from '../helpers/run.js'

const exec = promisify(execFile)

const START = '<!-- commands -->'
const END = '<!-- commandsstop -->'

function commandsSection(readme: string): string {
  // On a line of its own: `oclif readme --dry-run` first logs "replacing <!-- commands --> in README.md".
  const start = readme.indexOf(`\n${START}\n`) + 1
  const end = readme.indexOf(END, start)
  assert.ok(start > 0 && end > start, 'docs/reference.md has no <!-- commands --> ... <!-- commandsstop --> section')
  return readme.slice(start, end + END.length)
}

describe('docs/reference.md, the command reference', () => {
  it('is what `oclif readme` generates from the commands (run `npm run readme` to update it)', async () => {
    // --dry-run prints the regenerated README instead of writing it, and leaves no manifest behind.
    const {stdout} = await exec(
      join(root, 'node_modules', '.bin', 'oclif'),
      ['readme', '--no-aliases', '--readme-path', 'docs/reference.md', '--dry-run'],
      {
        cwd: root,
        env: {...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true', COLUMNS: ''}, // as `npm run readme` runs: no COLUMNS from test/setup.ts
        maxBuffer: 16 * 1024 * 1024,
      },
    )
    const committed = commandsSection(await readFile(join(root, 'docs', 'reference.md'), 'utf8'))
    assert.equal(committed, commandsSection(stdout))
  })

  it('names every dovediag command and no machine-specific text', async () => {
    const section = commandsSection(await readFile(join(root, 'docs', 'reference.md'), 'utf8'))
    for (const command of ['exit', 'explain', 'logs', 'match', 'migration check', 'rules']) {
      assert.match(section, new RegExp(`## \`dovediag ${command}`), command)
    }
    assert.doesNotMatch(section, /linux-x64|node-v\d|darwin/)
  })
})
