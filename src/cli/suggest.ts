import {distance} from 'fastest-levenshtein'

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
    .sort((a, b) => a.cost - b.cost || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map(({candidate}) => candidate)
}
