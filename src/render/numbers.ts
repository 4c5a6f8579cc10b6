/**
 * A count with thousands separators, as `value.toLocaleString('en-US')` writes it ("12,345"). Written out for
 * integers because the first `toLocaleString` of a run makes ICU load its number formatting: 7-13 ms more of
 * a `dovediag logs` run on a small log than the zone name's date formatting alone loads (25-40 ms when it is
 * the first, measured at load 6; issue #16's start-up target). Other numbers still go to ICU.
 */
export function formatCount(value: number): string {
  if (!Number.isSafeInteger(value) || Object.is(value, -0)) return value.toLocaleString('en-US')
  const digits = String(Math.abs(value))
  let grouped = digits.slice(0, digits.length % 3 || 3)
  for (let at = grouped.length; at < digits.length; at += 3) grouped += ',' + digits.slice(at, at + 3)
  return value < 0 ? '-' + grouped : grouped
}
