import {CODE_NAMES, ExitCodeInputError, explainCode, nameKey, parseCodeArgument} from '../exit-codes/explain.js'
import {UserError} from './base-command.js'
import {nearestNames} from './suggest.js'

/** The codes nearest to a name no code has, by label: `TEMPFAL` → EX_TEMPFAIL (once, whichever alias came near). */
export const nearestCodeNames = (input: string): string[] => [
  ...new Set(nearestNames(input, CODE_NAMES, nameKey).map((name) => explainCode(parseCodeArgument(name)).label)),
]

/** A command-line code or label as a code; a usage error (with the nearest names for a typo) otherwise. */
export function codeFromArgument(input: string): number {
  try {
    return parseCodeArgument(input)
  } catch (error) {
    if (!(error instanceof ExitCodeInputError)) throw error
    const near = error.unknownName ? nearestCodeNames(input) : []
    throw new UserError(near.length > 0 ? `'${input}' is not a known exit code or label: did you mean ${near.join(', ')}?` : error.message)
  }
}
