import Table from 'cli-table3'

/**
 * A cli-table3 table without its built-in colours: its defaults emit ANSI even into pipes and ignore
 * NO_COLOR, so colour is applied to cell text by the caller through `colors()` instead.
 */
export function plainTable(head: string[], options: {colWidths?: number[]; wordWrap?: boolean} = {}): Table.Table {
  return new Table({
    head,
    // No rule between body rows: a report of 30 codes should fit on a screen.
    chars: {mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
    style: {head: [], border: []},
    wordWrap: options.wordWrap ?? true,
    ...(options.colWidths ? {colWidths: options.colWidths} : {}),
  })
}
