import type {CodeExplanation} from '../exit-codes/explain.js'
import {actionColor, type Colors} from './color.js'
import {plainTable} from './table.js'

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

/** The full explanation of one code, as a block of lines. */
export function renderExplanation(e: CodeExplanation, c: Colors): string {
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
  return lines.join('\n')
}

/** `exit --all`: one table of every code. */
export function renderCodeTable(all: CodeExplanation[], c: Colors): string {
  const table = plainTable(['code', 'shell', 'label', 'meaning', 'intermediate', 'final'], {
    colWidths: [7, 7, 24, 44, 14, 14],
  })
  for (const e of all) {
    table.push([
      String(e.code),
      String(e.status),
      e.label,
      e.meaning,
      actionColor(c, e.actions.intermediate)(e.actions.intermediate),
      actionColor(c, e.actions.final)(e.actions.final),
    ])
  }
  return table.toString()
}
