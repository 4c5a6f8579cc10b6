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

  it('renders a rule page as written here (disk-full: heading, severity, remedy, matching, near misses, links)', () => {
    const page = pages.get('disk-full.md')!
    for (const block of [
      '\n# disk-full: The mail storage is out of space\n\nSeverity: **critical**\n',
      '\n## What to do\n\n' +
        '1. Check space and inodes on the mail storage: `df -h` and `df -i` on the file systems in the paths shown.\n' +
        '2. Free space (expire Trash/Junk with `doveadm expunge`, purge mdbox with `doveadm purge`, remove old logs) or grow the volume.\n' +
        '3. Add monitoring on free space and inodes so it is caught before it is full.\n',
      '\n- line 3: func = `write`\n',
      '\n| `func` | The operation that failed. |\n| `path` | The file it was writing. |\n',
      '\n## How it matches\n\n' +
        '- literal: `No space left on device`\n' +
        '- pattern: `(?:(?<=(?<func>[a-z_]+)\\((?<path>[^)]*)\\) failed: )|)No space left on device`\n' +
        "- only on: levels warning, error, fatal; Dovecot's own lines\n",
      '\n## Near misses (must not match)\n\n- `Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=9, msgid=<a9@example.com>, size=200, subject=No space left on device`: a mail_log line quoting the text\n',
      '\n- Dovecot documentation: <https://doc.dovecot.org/latest/core/plugins/quota.html>\n- In the terminal: `dovediag explain disk-full`\n',
    ])
      assert.ok(page.includes(block), `docs/rules/disk-full.md lacks:\n${block}`)
    assert.ok(pages.get('README.md')!.includes('\n| [`disk-full`](disk-full.md) | critical | The mail storage is out of space |\n'))
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
