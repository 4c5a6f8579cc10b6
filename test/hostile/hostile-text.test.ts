import assert from 'node:assert/strict'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {XMLParser} from 'fast-xml-parser'

import {spawnCli} from '../helpers/run.js'

/**
 * Text a client or an export controls (user names, messages, captured stderr) through every output that
 * shows it: no escape sequence reaches a terminal, no Markdown row or GitHub annotation is broken or
 * injected, and the JUnit XML parses back to the same user.
 */
const HOSTILE = 'evil\u001b[2J|`x`<script>alert.1</script>::%0A%,]]>'
const dir = mkdtempSync(join(tmpdir(), 'dovediag-hostile-text-'))

// A Dovecot log with the hostile text as the user and in the message (a log line has no newline of its own).
const log = join(dir, 'hostile.log')
writeFileSync(
  log,
  `Nov 22 10:00:00 mx1 dovecot: imap(${HOSTILE})<1><AbCd>: Error: Fixed index file /x/dovecot.index: ${HOSTILE}\r broken\n`,
)
// An export: the captured stderr also holds a newline (quoted CSV allows it). A user name keeps every
// printable character of the hostile text; one with a control character is refused (it would split a list line).
const HOSTILE_USER = HOSTILE.replace('\u001b[2J', '')
const csv = join(dir, 'hostile.csv')
const csvField = (text: string) => `"${text.replaceAll('"', '""')}"`
writeFileSync(
  csv,
  `user,exit_code,stderr\n${csvField(HOSTILE_USER)},75,${csvField(`Error: ${HOSTILE}\n::error::injected`)}\n${csvField(`${HOSTILE}\nsecond line`)},75,\nplain@example.com,0,\n`,
)

/** Raw HTML outside code spans (inside one, `<script>` is shown, not run). */
function assertNoRawHtml(markdown: string): void {
  assert.doesNotMatch(markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, ''), /<script>/)
}

function assertNoEscapes(output: string): void {
  assert.doesNotMatch(output, /[\u001b\r\u0007]/, 'no control character reaches the terminal')
}

/** Every table row of a Markdown document has as many cells as its header. */
function assertTablesIntact(markdown: string): void {
  let width: number | null = null
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      width = null
      continue
    }
    const cells = line.replaceAll('\\|', '').split('|').length
    if (width === null) width = cells
    else assert.equal(cells, width, `row keeps its ${width - 2} cells: ${line}`)
  }
}

describe('hostile text from logs', () => {
  it('text: shown with escapes made visible', async () => {
    const {stdout} = await spawnCli(['logs', log], {env: {NO_COLOR: '1'}})
    assertNoEscapes(stdout)
    assert.match(stdout, /evil\\e\[2J/)
  })

  it('Markdown: no escape, no raw HTML, no broken table or code span', async () => {
    const {stdout} = await spawnCli(['logs', log, '--format', 'markdown'], {env: {NO_COLOR: '1'}})
    assertNoEscapes(stdout)
    assertNoRawHtml(stdout)
    assertTablesIntact(stdout)
    assert.match(stdout, /evil\\e\[2J/)
  })
})

describe('hostile text from migration exports', () => {
  it('text: shown with escapes made visible', async () => {
    const {stdout, stderr} = await spawnCli(['migration', 'check', csv], {env: {NO_COLOR: '1'}})
    assertNoEscapes(stdout + stderr)
    assert.match(stdout, /evil\\e\[2J/)
    assert.match(stderr, /hostile\.csv:4: user name "evil\\u001b\[2J.*\\nsecond line" holds control characters; row skipped/)
  })

  it('Markdown: no escape, no raw HTML, tables intact, user kept in one row', async () => {
    const {stdout} = await spawnCli(['migration', 'check', csv, '--format', 'markdown'], {env: {NO_COLOR: '1'}})
    assertNoEscapes(stdout)
    assertNoRawHtml(stdout)
    assertTablesIntact(stdout)
    const row = stdout.split('\n').find((line) => line.includes('evil'))!
    assert.match(row, /alert\.1.*\| retry \|/, 'the user name does not end the row')
  })

  it('JUnit: well-formed XML that gives the user back', async () => {
    const {stdout} = await spawnCli(['migration', 'check', csv, '--format', 'junit'], {env: {NO_COLOR: '1'}})
    assertNoEscapes(stdout)
    const parsed = new XMLParser({ignoreAttributes: false, attributeNamePrefix: ''}).parse(stdout, true) as {
      testsuites: {testsuite: {testcase: {name: string}[]}}
    }
    const names = parsed.testsuites.testsuite.testcase.map((testCase) => testCase.name)
    assert.ok(names.includes('plain@example.com'))
    const evil = names.find((name) => name.startsWith('evil'))!
    assert.equal(evil, HOSTILE_USER)
  })

  it('GitHub annotations: one command a line, nothing injected, escaped as GitHub documents', async () => {
    const {stdout} = await spawnCli(['migration', 'check', csv, '--format', 'github'], {env: {NO_COLOR: '1', GITHUB_STEP_SUMMARY: ''}})
    assertNoEscapes(stdout)
    const lines = stdout.trimEnd().split('\n')
    for (const line of lines) assert.match(line, /^::(error|warning|notice) title=[^:]*::/, line)
    assert.ok(!lines.some((line) => line.startsWith('::error::injected')))
    const retry = lines.find((line) => line.includes('evil'))!
    assert.match(retry, /Users: evil\|`x`<script>alert\.1<\/script>::%250A%25,]]>$/)
    // Properties: `:` and `,` escaped so the title cannot end early.
    for (const line of lines) assert.doesNotMatch(line.slice(2, line.indexOf('::', 2)), /[:,]/)
  })
})
