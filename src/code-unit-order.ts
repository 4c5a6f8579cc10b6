/**
 * The order of names wherever a report breaks a tie (equal counts): by UTF-16 code units, as `Array#sort()`
 * orders strings by default. The same on every machine: `localeCompare` follows the user's locale (LANG), so
 * `Zoë` came before or after `zoe`, and `İpek` before or after `iris`, depending on where dovediag ran, and its
 * first call makes ICU build a collator (~69 M instructions of a small `logs` run). At the bottom of the module
 * graph: the diagnosis, the input statistics, the migration policy and the CLI all sort with it.
 */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
