import type {CodeExplanation} from '../exit-codes/explain.js'
import {actionColor, type Colors} from './color.js'
import {fittedTable} from './table.js'
import {wrapIndented} from './terminal.js'

function headline(e: CodeExplanation, c: Colors): string {
  const number = c.bold(String(e.code))
  switch (e.interpretation) {
    case 'wrapped':
      return `${number}  most likely ${c.bold(String(e.dovecotCode))} ${e.label} seen through a shell: ${e.meaning}`
    case 'exact':
      return `${number}  ${c.bold(e.label)}: ${e.meaning}`
    default:
      return `${number}  ${e.meaning}`
  }
}

const doneWord = (done: boolean) => (done ? 'done' : 'not done')

/** The full explanation of one code, as a block of lines `width` columns wide at most. */
export function renderExplanation(e: CodeExplanation, c: Colors, width: number): string {
  const lines = [headline(e, c), `    ${e.explanation}`]
  for (const note of e.notes) lines.push(`    ${c.dim('note:')} ${note}`)
  const act = actionColor(c, e.action)(e.action)
  lines.push(
    `    migration action (${e.phase}): ${act}   intermediate sync: ${doneWord(e.intermediate)} · final cut-over: ${doneWord(e.final)}` +
      (e.actions.intermediate === e.actions.final ? '' : ` (${e.actions.final} at the cut-over)`),
    `    ${e.advice}`,
  )
  if (e.actionBasis === 'judgement') lines.push(`    ${c.dim("(Dovecot's docs give no action for this code; this is dovediag's advice.)")}`)
  if (e.versions) lines.push(`    ${c.dim('versions:')} ${e.versions}`)
  lines.push(`    ${c.dim('docs:')} ${e.docs}`)
  return lines.flatMap((line) => wrapIndented(line, width)).join('\n')
}

/** `exit --all`: one table of every code, `width` columns wide at most. */
export function renderCodeTable(all: CodeExplanation[], c: Colors, width: number): string {
  return (
    fittedTable(
      // The shell's status only where it differs: 1003 reaches a shell as 235 (said under the table).
      ['code', 'label', 'meaning', 'intermediate', 'final'],
      all.map((e) => [
        e.code === e.status ? String(e.code) : `${e.code} (${e.status})`,
        e.label,
        e.meaning,
        actionColor(c, e.actions.intermediate)(e.actions.intermediate),
        actionColor(c, e.actions.final)(e.actions.final),
      ]),
      width,
    ) + `\n${wrapIndented('(n): the status a shell shows for a code outside 0-255', width).join('\n')}`
  )
}
