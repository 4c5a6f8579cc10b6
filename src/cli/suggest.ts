import {distance} from 'fastest-levenshtein'

import {byCodeUnits} from '../code-unit-order.js'

/**
 * "Did you mean": the candidates closest to what was typed (a typo within a third of its length, or a
 * candidate containing it), best first, at most `limit`.
 */
export function nearest(input: string, candidates: readonly string[], limit = 3): string[] {
  const typed = input.toLowerCase()
  const allowed = Math.max(2, Math.floor(typed.length / 3))
  return candidates
    .map((candidate) => ({candidate, cost: candidate.includes(typed) ? 0 : distance(typed, candidate)}))
    .filter(({cost}) => cost <= allowed)
    .sort((a, b) => a.cost - b.cost || byCodeUnits(a.candidate, b.candidate))
    .slice(0, limit)
    .map(({candidate}) => candidate)
}

/**
 * nearest() over names compared by a key that makes spellings of one name equal (EX_TEMPFAIL, TEMPFAIL and
 * tempfail): gives back each one's first spelling in `names`.
 */
export function nearestNames(input: string, names: readonly string[], key: (name: string) => string): string[] {
  const byKey = new Map<string, string>()
  for (const name of names) if (!byKey.has(key(name).toLowerCase())) byKey.set(key(name).toLowerCase(), name) // the first spelling
  return nearest(key(input), [...byKey.keys()]).map((found) => byKey.get(found)!)
}

const localPart = (user: string): string => (user.includes('@') ? user.slice(0, user.lastIndexOf('@')) : user)

/**
 * The users nearest to a --user value: by local part when the value has none (`jdeo` → jdoe@example.com, at
 * every domain that has it), else by the whole name.
 */
export function nearestUsers(typed: string, users: readonly string[], limit = 3): string[] {
  const key = (user: string) => (typed.includes('@') ? user : localPart(user)).toLowerCase()
  const near = new Set(nearest(typed, [...new Set(users.map(key))]))
  return users.filter((user) => near.has(key(user))).slice(0, limit)
}

/** The note for a --user or --service value that matched no line: the nearest names the log has, or some of them. */
export function unmatchedFilterNote(filter: {flag: 'user' | 'service'; value: string; seen: readonly string[]}): string {
  const kind = filter.flag === 'user' ? 'users' : 'services'
  const head = `--${filter.flag} '${filter.value}' matched no line`
  if (filter.seen.length === 0) return `${head}: no line read names any ${filter.flag}`
  const near = filter.flag === 'user' ? nearestUsers(filter.value, filter.seen) : nearest(filter.value, filter.seen)
  if (near.length > 0) return `${head}: did you mean ${near.join(', ')}?`
  const some = [...filter.seen].sort().slice(0, 5)
  return `${head}; the log's ${kind} include ${some.join(', ')}${filter.seen.length > some.length ? ` (${filter.seen.length} in all)` : ''}`
}
