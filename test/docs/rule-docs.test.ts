import assert from 'node:assert/strict'
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {describeRule} from '../../src/catalog/describe.js'
import {PROBLEM_RULES, RULES} from '../../src/catalog/index.js'
import {ruleDocPages} from '../../src/render/rule-markdown.js'
import {root} from '../helpers/run.js'

describe('docs/rules/', () => {
  const directory = join(root, 'docs/rules')
  const pages = ruleDocPages(RULES.map((rule) => describeRule(rule)))

  it('is what the catalog generates (run `npm run docs` after changing a rule)', async () => {
    assert.deepEqual((await readdir(directory)).sort(), [...pages.keys()].sort())
    for (const [name, text] of pages)
      assert.equal(await readFile(join(directory, name), 'utf8'), text, `docs/rules/${name} is stale: run npm run docs`)
  })

  it('has a page per rule with its remedy and doc link, linked from the index the README links', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8')
    assert.ok(readme.includes('](docs/rules/README.md)'), 'the README does not link the rule index')
    const index = pages.get('README.md')!
    for (const rule of PROBLEM_RULES) {
      const page = pages.get(`${rule.id}.md`)!
      assert.ok(page.includes(`## What to do\n\n1. ${rule.remedy![0]}`) && page.includes(`<${rule.docs}>`), rule.id)
      assert.ok(index.includes(`| [\`${rule.id}\`](${rule.id}.md) | ${rule.severity} |`), `docs/rules/README.md does not list ${rule.id}`)
    }
  })
})
