import {TZDate} from '@date-fns/tz'
import {readlinkSync} from 'node:fs'

/** A time to format in `timeZone` (--timezone), or in the machine's local zone when none is given. */
export const zoned = (ms: number, timeZone?: string): Date => (timeZone ? new TZDate(ms, timeZone) : new Date(ms))

/**
 * The zone times are shown in, by name: `timeZone` when given, else the machine's, as ICU names it
 * (`Intl.DateTimeFormat().resolvedOptions()`: from TZ, else /etc/localtime). Only reports that print it call this.
 * The first DateTimeFormat of a process makes V8 build ICU's list of available locales (~113 M instructions,
 * a fifth of `dovediag logs` on a small log), so the commonest answers are read without it (localName).
 * Any other zone is named by ICU, whose aliases (Asia/Kolkata is Asia/Calcutta) only it knows.
 */
export const zoneName = (timeZone?: string): string => timeZone ?? localName() ?? icuName() ?? `TZ=${process.env.TZ ?? ''}`

/**
 * ICU's name of the local zone; none (undefined, whatever its type says) when TZ is a POSIX rule or a path
 * (`UTC0`, `:/etc/localtime`), in which Node still shows times: the report then names TZ's value, not `undefined`.
 */
const icuName = (): string | undefined => Intl.DateTimeFormat().resolvedOptions().timeZone

const UTC_NAMES = /^(Etc\/)?UTC$/

/** What TZ or the /etc/localtime link may name for ICU to name it the same: an IANA name, no rule or path. */
const ZONE_ID = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/

/**
 * The local zone's name where ICU's answer is known without a DateTimeFormat, else null (then ICU decides). The
 * zone is TZ's value when TZ is set, else the name /etc/localtime links to under zoneinfo/ (as ICU reads them):
 * - `UTC` or `Etc/UTC`, which ICU names `UTC`;
 * - a name ICU lists as canonical (`Intl.supportedValuesOf('timeZone')`, ~16 M instructions and no locale list),
 *   which ICU names as it is: Europe/Berlin, America/New_York. An alias, `Etc/GMT+5` or a rule goes to ICU.
 */
function localName(): string | null {
  let zone = process.env.TZ
  if (zone === undefined) {
    try {
      zone = /\/zoneinfo\/(.+)$/.exec(readlinkSync('/etc/localtime'))?.[1]
    } catch {
      return null // not a link, or no such file (not Linux): ICU's way
    }
    if (zone === undefined) return null
  }
  if (UTC_NAMES.test(zone)) return 'UTC'
  return ZONE_ID.test(zone) && Intl.supportedValuesOf('timeZone').includes(zone) ? zone : null
}
