import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {root} from '../helpers/run.js'

/** Every `$ dovediag ...` line of the README's sh blocks, as written (comments dropped). */
function readmeExamples(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1])
  return blocks.flatMap((block) =>
    block
      .split('\n')
      .filter((line) => line.startsWith('$ dovediag '))
      .map((line) => line.slice(2).replace(/\s+#.*$/, '')),
  )
}

/**
 * The README's examples run as a user types them, from a directory holding the clone's fixtures, with
 * `dovediag` on PATH (the build, as `npm link` installs it): each must be a command that works, with a
 * status for what it finds (0, 1, 3), never an unreadable input (2), a usage error (64) or a crash (70).
 */
describe("the README's examples", () => {
  const work = mkdtempSync(join(tmpdir(), 'dovediag-readme-'))
  symlinkSync(join(root, 'fixtures'), join(work, 'fixtures'))
  const examples = readmeExamples()

  it('are there, one or more per command', () => {
    for (const command of ['logs', 'exit', 'migration check', 'explain', 'rules', 'match']) {
      assert.ok(
        examples.some((example) => example.startsWith(`dovediag ${command}`)),
        command,
      )
    }
  })

  for (const example of examples) {
    it(example, async () => {
      const {status, stderr} = await new Promise<{status: number; stderr: string}>((resolve) => {
        // A shell function stands in for the linked binary: the same bin/run.js `npm link` puts on PATH.
        const script = `dovediag() { node ${JSON.stringify(join(root, 'bin/run.js'))} "$@"; }\n${example} >/dev/null`
        execFile('sh', ['-c', script], {cwd: work, env: {...process.env, NO_COLOR: '1'}}, (error, _stdout, stderr) =>
          resolve({status: error ? Number(error.code) : 0, stderr}),
        )
      })
      assert.ok([0, 1, 3].includes(status), `status ${status}: ${stderr}`)
      assert.equal(stderr, '', 'nothing on stderr: every input named was read')
    })
  }
})
