import {resolveInputs} from '../input/resolve.js'
import {SHRANK} from '../input/open.js'
import {holdYoungGenerationAtCap, tuneEngineForMigration} from '../ingest/engine-tuning.js'
import {joinApiResponses, type TagReading} from './api-tags.js'
import {readResultsInput, type ReadOptions} from './read.js'
import type {MigrationRow} from '../policy/migration-row.js'
import {
  type ApiRequest,
  type ApiResponse,
  fromInputProblem,
  type InputFormat,
  type MigrationProblem,
  type MigrationWarning,
  type RowSink,
} from './record.js'

export interface CollectOptions extends ReadOptions {
  tags: TagReading
  /** Called for each row as it is read (rows from HTTP API inputs come once every input is read). */
  onRow(row: MigrationRow): void
  /** Called for each input problem as it is found (for stderr), besides being returned. */
  onProblem?(problem: MigrationProblem): void
}

export interface InputSummary {
  name: string
  format: InputFormat | null
}

/**
 * Reads every input named on the command line in order, streaming rows out as they are read, and joins
 * doveadm HTTP API responses to their users by tag at the end (a request may come in a later input).
 */
export async function collectRows(
  args: string[],
  options: CollectOptions,
): Promise<{inputs: InputSummary[]; problems: MigrationProblem[]; warnings: MigrationWarning[]; rows: number; shrank: boolean}> {
  tuneEngineForMigration()
  const problems: MigrationProblem[] = []
  const responses: ApiResponse[] = []
  const requests: ApiRequest[] = []
  let order = 0
  const problem = (found: MigrationProblem): void => {
    problems.push(found)
    options.onProblem?.(found)
  }
  const givingResults = new Set<string>() // inputs with a result row or an API response of their own
  const sink: RowSink = {
    row: (row) => {
      givingResults.add(row.source)
      // Numbered in place (the reader's row is not used after this), in the field the reader made: V8 gives
      // every `{...row, order}` copy a hidden class of its own, and a field added to the row (Object.assign)
      // a property store of its own, per row.
      row.order = order++
      // Rows from a pipe come many chunks to a turn of the event loop, between two looks of the 10 ms watch.
      if ((order & 255) === 0) holdYoungGenerationAtCap()
      options.onRow(row)
    },
    problem,
    apiResponse: (response) => {
      givingResults.add(response.source)
      if ((responses.push(response) & 255) === 0) holdYoungGenerationAtCap()
    },
    apiRequest: (request) => requests.push(request),
  }

  const {sources, problems: unresolved} = await resolveInputs(args, {reject: 'give the files, or a glob such as dir/*.csv'})
  for (const found of unresolved) problem(fromInputProblem(found))
  const inputs: InputSummary[] = unresolved.map(({input}) => ({name: input, format: null}))
  for (const source of sources) {
    if (options.signal?.aborted) break // Ctrl-C: the inputs not yet opened are not read
    inputs.push({name: source.name, format: await readResultsInput(source, sink, options)})
  }

  const warnings = joinApiResponses(responses, requests, options.tags, sink)
  for (const source of requestsOnly(requests, responses, givingResults)) {
    problem({source, line: null, message: 'only doveadm HTTP API requests, and no input has a response to any of them: no user results'})
  }
  return {inputs, problems, warnings, rows: order, shrank: problems.some((found) => found.message.startsWith(SHRANK))}
}

/**
 * Inputs holding only doveadm HTTP API requests that no response in any input answers: they give no user
 * results, so they are input problems like an empty file (a requests file beside its responses is fine).
 */
function requestsOnly(requests: readonly ApiRequest[], responses: readonly ApiResponse[], givingResults: ReadonlySet<string>): string[] {
  const answered = new Set(responses.map((response) => response.tag))
  const unanswered = new Set(requests.map((request) => request.source).filter((source) => !givingResults.has(source)))
  for (const request of requests) if (answered.has(request.tag)) unanswered.delete(request.source)
  return [...unanswered]
}
