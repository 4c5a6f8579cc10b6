import {constants as osConstants} from 'node:os'

/**
 * Signal numbers and names as this platform's Node knows them. At the bottom of the module graph: both the
 * exit-code explanations (128+N) and the log catalog (`killed with signal 9`) name signals.
 */

// Several names share a number (SIGABRT/SIGIOT, SIGIO/SIGPOLL): the first, canonical one wins.
const SIGNAL_NAMES = new Map<number, string>()
for (const [name, number] of Object.entries(osConstants.signals)) {
  if (!SIGNAL_NAMES.has(number)) SIGNAL_NAMES.set(number, name)
}

const SIGNAL_BY_NAME = new Map<string, number>(Object.entries(osConstants.signals).map(([name, number]) => [name, number]))

/** `SIGKILL` for 9: the name Node knows for a signal number, or `signal N`. */
export const signalName = (number: number): string => SIGNAL_NAMES.get(number) ?? `signal ${number}`

/** 9 for `SIGKILL` (upper case), or undefined. */
export const signalNumber = (name: string): number | undefined => SIGNAL_BY_NAME.get(name)
