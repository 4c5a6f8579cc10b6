/**
 * Checks for flag values oclif's own parsers let through or word badly. They throw plain errors: oclif
 * wraps them as "Parsing --flag ...", which BaseCommand turns into one line with status 64.
 */

/** A whole number, at least `min`: `--max-retries 3`. */
export function wholeNumber(min: number, what: string): (input: string) => Promise<number> {
  return (input) => {
    const value = Number(input.trim())
    if (!/^\d+$/.test(input.trim()) || !Number.isSafeInteger(value) || value < min) {
      return Promise.reject(new Error(`expected a whole number of ${what}, ${min} or more, got '${input}'`))
    }
    return Promise.resolve(value)
  }
}

/** Any text but an empty one: `--user-col=` names no column, `--retry-file=` no file. */
export function nonEmpty(input: string): Promise<string> {
  return input.trim() === '' ? Promise.reject(new Error('expected a value, got an empty one')) : Promise.resolve(input)
}
