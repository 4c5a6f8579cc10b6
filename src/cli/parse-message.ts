import {nearest} from './suggest.js'

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

/**
 * What to add to oclif's parse error so the user can fix it at once: the nearest real flag for one that does
 * not exist (`--sinse` → `--since`), the nearest value of a flag that takes one of a set (`--level eror` →
 * `--level=error`), and `--json` for `--format json` (JSON is a flag of every command).
 */
export function parseErrorHint(message: string, flagNames: readonly string[]): string {
  const value = /^Expected (--[\w-]+)=(.+) to be one of: (.+)$/.exec(message)
  if (value !== null) {
    const [, flag, typed, options] = value
    // `--format json`, or a typo of it (`jsn`, not a mere letter of it): JSON is a flag of every command, not a format.
    if (flag === '--format' && typed.length >= 3 && nearest(typed, ['json']).length > 0) return `${message} (for JSON, use --json)`
    const near = nearest(typed, options.split(', '))
    return near.length > 0 ? `${message} (did you mean ${near.map((option) => `${flag}=${option}`).join(', ')}?)` : message
  }
  const unknown = /^Nonexistent flags?: (.+)$/.exec(message)
  if (unknown === null) return message
  const hints = unknown[1]
    .split(/,\s*/)
    .map((flag) => ({flag, near: nearest(flag.replace(/^-+/, '').replace(/=.*$/, ''), flagNames)}))
    .filter(({near}) => near.length > 0)
    .map(({flag, near}) => `${flag.replace(/=.*$/, '')}: did you mean ${near.map((name) => `--${name}`).join(', ')}?`)
  return hints.length > 0 ? `${message} (${hints.join('; ')})` : `${message} (see --help for the flags)`
}
