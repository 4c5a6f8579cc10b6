import {fstatSync} from 'node:fs'

import type {InputProblem} from '../input/problem.js'
import {discoverInputs, type DiscoveryHost} from './discover.js'
import {resolveLogInputs, type LogInput} from './inputs.js'

export interface SelectedInputs {
  inputs: LogInput[]
  problems: InputProblem[]
  /** Set when dovediag chose the inputs itself: why, and what it looked at. */
  discovery: {notes: string[]} | null
}

/** Something is being piped or redirected into stdin (not a terminal, not /dev/null). */
function stdinHasData(): boolean {
  if (process.stdin.isTTY) return false
  try {
    const info = fstatSync(0)
    return info.isFIFO() || info.isFile() || info.isSocket()
  } catch {
    return false
  }
}

/**
 * The inputs for `dovediag logs`: the arguments when there are any; else stdin when something is piped
 * in; else the local Dovecot's logs, found by discovery.
 */
export async function selectInputs(
  args: string[],
  options: {stdinHasData?: () => boolean; host?: DiscoveryHost} = {},
): Promise<SelectedInputs> {
  if (args.length > 0) return {...(await resolveLogInputs(args)), discovery: null}
  if ((options.stdinHasData ?? stdinHasData)())
    return {inputs: [{kind: 'stdin', name: '-', reason: 'piped into stdin'}], problems: [], discovery: null}
  const found = discoverInputs(options.host)
  return {inputs: found.inputs, problems: [], discovery: {notes: found.notes}}
}
