import type {ApiRequest, ApiResponse, RowSink} from './record.js'

/**
 * How a doveadm HTTP API tag carries the user when no request in the input names it: the whole tag, or
 * the tag with an attempt suffix (`jdoe@example.com#2`, `jdoe@example.com:2`). `--tag-pattern` replaces it
 * with any regular expression with a `user` group (and optionally an `attempt` group).
 */
export const DEFAULT_TAG_PATTERN = '^(?<user>.+?)(?:[#:](?<attempt>\\d+))?$'

export class TagPatternError extends Error {}

export function compileTagPattern(source: string): RegExp {
  let pattern: RegExp
  try {
    pattern = new RegExp(source)
  } catch (error) {
    throw new TagPatternError(`--tag-pattern is not a valid regular expression: ${(error as Error).message}`)
  }
  if (!source.includes('(?<user>')) throw new TagPatternError('--tag-pattern needs a named group (?<user>...) for the user')
  return pattern
}

/**
 * Joins API responses to users by tag, never by position (the API does not promise to answer in order):
 * a request in the inputs with the same tag names the user; otherwise the tag itself does, through the
 * tag pattern. Responses keep their reading order, so a tag answered twice counts as two attempts. Rows
 * go to the sink one by one, as the other readers give theirs.
 */
export function joinApiResponses(
  responses: readonly ApiResponse[],
  requests: readonly ApiRequest[],
  tagPattern: RegExp,
  sink: Pick<RowSink, 'row' | 'problem'>,
): void {
  const userByTag = new Map(requests.map((request) => [request.tag, request.user]))
  for (const response of responses) {
    const match = tagPattern.exec(response.tag)
    const user = userByTag.get(response.tag) ?? match?.groups?.user?.trim()
    if (!user) {
      sink.problem({source: response.source, line: response.line || null, message: `response tag '${response.tag}' names no user (see --tag-pattern); skipped`})
      continue
    }
    const attempt = match?.groups?.attempt === undefined ? null : Number(match.groups.attempt)
    sink.row({
      user,
      code: response.code,
      signal: null,
      apiError: response.apiError,
      attempt: Number.isInteger(attempt) ? attempt : null,
      started: null,
      finished: null,
      host: null,
      stderr: null,
      source: response.source,
      line: response.line,
    })
  }
}
