import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {describe, it} from 'node:test'

import {root} from '../helpers/run.js'

/** The README and every Markdown page under docs/, as paths from the repository root. */
function markdownPages(): string[] {
  const pages = ['README.md']
  const walk = (directory: string): void => {
    for (const entry of readdirSync(join(root, directory), {withFileTypes: true})) {
      const path = join(directory, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.md')) pages.push(path)
    }
  }
  walk('docs')
  return pages
}

describe('documentation links', () => {
  it('every relative link in the README and docs/ names a file that exists', () => {
    const broken: string[] = []
    for (const page of markdownPages()) {
      // Code (fenced blocks, `spans`) is not prose: a regex there may look like a link.
      const text = readFileSync(join(root, page), 'utf8')
        .replaceAll(/```[\s\S]*?```/g, '')
        .replaceAll(/`[^`\n]*`/g, '')
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue
        const path = join(root, dirname(page), target.split('#')[0])
        if (!existsSync(path)) broken.push(`${page}: ${target} (${relative(root, path)})`)
      }
    }
    assert.deepEqual(broken, [])
  })

  it('the README is a front page that links every page of docs/ it replaced', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    for (const page of [
      'docs/commands/logs.md',
      'docs/commands/exit.md',
      'docs/commands/migration-check.md',
      'docs/json.md',
      'docs/performance.md',
      'docs/formats.md',
      'docs/reference.md',
    ]) {
      assert.ok(readme.includes(`](${page})`), `README does not link ${page}`)
    }
  })
})
