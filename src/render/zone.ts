import {TZDate} from '@date-fns/tz'

/** A time to format in `timeZone` (--timezone), or in the machine's local zone when none is given. */
export const zoned = (ms: number, timeZone?: string): Date => (timeZone ? new TZDate(ms, timeZone) : new Date(ms))

/**
 * The zone times are shown in, by name: `timeZone` when given, else the machine's (TZ, /etc/localtime).
 * Asking ICU for the local zone's name costs ~25 ms the first time: only reports that print it call this.
 */
export const zoneName = (timeZone?: string): string => timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone
