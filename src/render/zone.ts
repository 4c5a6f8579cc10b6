import {TZDate} from '@date-fns/tz'
import {readlinkSync} from 'node:fs'

/** A time to format in `timeZone` (--timezone), or in the machine's local zone when none is given. */
export const zoned = (ms: number, timeZone?: string): Date => (timeZone ? new TZDate(ms, timeZone) : new Date(ms))

/**
 * The zone times are shown in, by name: `timeZone` when given, else the machine's, as ICU names it
 * (`Intl.DateTimeFormat().resolvedOptions()`: from TZ, else /etc/localtime). Only reports that print it call this.
 * The first DateTimeFormat of a process makes V8 build ICU's list of available locales (~112 M instructions,
 * a tenth of `dovediag logs` on a small log), so the commonest answer is read without it: a machine on UTC
 * (TZ `UTC` or `Etc/UTC`, or no TZ and /etc/localtime linking to zoneinfo's `UTC` or `Etc/UTC`), which ICU
 * names `UTC` too. Any other zone is named by ICU, whose aliases (Asia/Kolkata is Asia/Calcutta) only it knows.
 */
export const zoneName = (timeZone?: string): string => timeZone ?? localUtc() ?? icuName() ?? `TZ=${process.env.TZ ?? ''}`

/**
 * ICU's name of the local zone; none (undefined, whatever its type says) when TZ is a POSIX rule or a path
 * (`UTC0`, `:/etc/localtime`), in which Node still shows times: the report then names TZ's value, not `undefined`.
 */
const icuName = (): string | undefined => Intl.DateTimeFormat().resolvedOptions().timeZone

const UTC_NAMES = /^(Etc\/)?UTC$/

/** 'UTC' when the machine's zone is UTC by one of the names above, else null (then ICU decides). */
function localUtc(): string | null {
  const tz = process.env.TZ
  if (tz !== undefined) return UTC_NAMES.test(tz) ? 'UTC' : null
  try {
    return /\/zoneinfo\/(Etc\/)?UTC$/.test(readlinkSync('/etc/localtime')) ? 'UTC' : null
  } catch {
    return null // not a link, or no such file (not Linux): ICU's way
  }
}
