/** `npm run docs`: writes docs/rules/ from the catalog (one page per rule and an index), removing stale pages. */
import {mkdir, readdir, rm, writeFile} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describeRule} from '../src/catalog/describe.js'
import {RULES} from '../src/catalog/index.js'
import {ruleDocPages} from '../src/render/rule-markdown.js'

const directory = resolve(dirname(fileURLToPath(import.meta.url)), '../docs/rules')
const pages = ruleDocPages(RULES.map((rule) => describeRule(rule)))
await mkdir(directory, {recursive: true})
for (const name of await readdir(directory)) if (!pages.has(name)) await rm(join(directory, name))
for (const [name, text] of pages) await writeFile(join(directory, name), text)
console.log(`wrote ${pages.size} pages to docs/rules/`)
