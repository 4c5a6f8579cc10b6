import Table from 'cli-table3'

import {fitColumns, wrap} from './terminal.js'

/**
 * A cli-table3 table without its built-in colours: its defaults emit ANSI even into pipes and ignore
 * NO_COLOR, so colour is applied to cell text by the caller through `colors()` instead.
 */
function plainTable(head: string[], options: {colWidths?: number[]; wordWrap?: boolean} = {}): Table.Table {
  return new Table({
    head,
    // No rule between body rows: a report of 30 codes should fit on a screen. `compact` also spares cli-table3
    // drawing each row's (empty) rule only to drop it: ~3 % of `migration check`'s text report's instructions.
    chars: {mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
    style: {head: [], border: [], compact: true},
    wordWrap: options.wordWrap ?? true,
    ...(options.colWidths ? {colWidths: options.colWidths} : {}),
  })
}

/**
 * A table at most `width` columns wide (see fitColumns), its cells wrapped at spaces. When even one word per
 * line cannot fit, each row becomes a block instead: its first cell, then `heading: value` lines.
 */
export function fittedTable(head: string[], rows: readonly (readonly (string | number)[])[], width: number): string {
  const cells = rows.map((row) => row.map(String))
  const widths = fitColumns([head, ...cells], width)
  if (widths === null) {
    return cells
      .map(([first, ...rest]) =>
        [first, ...rest.flatMap((cell, i) => (cell === '' ? [] : wrap(cell, width, `  ${head[i + 1]}: `, '    ')))].join('\n'),
      )
      .join('\n')
  }
  const table = plainTable(head, {colWidths: widths, wordWrap: false})
  for (const row of cells) table.push(row.map((cell, i) => wrap(cell, widths[i] - 2).join('\n')))
  return table.toString()
}
