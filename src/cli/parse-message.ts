/**
 * oclif's flag and argument errors, made one line: it writes "Parsing --flag \n\t<reason>" for a value
 * its parser rejects and appends "\nSee more help with --help" to every parse error. A user (or a CI log)
 * should see one line naming the flag and the reason.
 */
export function oneLineMessage(message: string): string {
  return message
    .replace(/\n\s*See more help with --help\s*$/, '')
    .replace(/^The following errors? occurred:\s*\n/, '') // oclif's heading over flag-relationship errors
    .replace(/^Parsing (--[\w-]+)\s*\n\s*/, '$1: ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('; ')
}
