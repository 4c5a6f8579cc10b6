import {PatternError, type RulePattern} from '../catalog/pattern.js'
import {type ApiRequest, type ApiResponse, type MigrationWarning, type RowSink, userNameProblem} from './record.js'

/**
 * How a doveadm HTTP API tag carries the user when no request in the input names it: the whole tag, or
 * the tag with an attempt suffix (`jdoe@example.com#2`, `jdoe@example.com:2`). `--tag-pattern` replaces it
 * with any regular expression with a `user` group (and optionally an `attempt` group).
 */
export const DEFAULT_TAG_PATTERN = '^(?<user>.+?)(?:[#:](?<attempt>\\d+))?$'

export class TagPatternError extends Error {}

/**
 * DEFAULT_TAG_PATTERN as re2js runs it, on V8's own engine, so that a run without --tag-pattern does not
 * load re2js (~25 ms; src/catalog/safe-pattern.ts). `[^\n]` is RE2's `.` (JavaScript's `.` also refuses
 * \r, U+2028 and U+2029). Linear: each place the lazy user group stops at tries `[#:]` and the digits after
 * it once. test/migration/api-tags.test.ts holds it to re2js's reading of the same pattern.
 */
const DEFAULT_TAG_REGEXP = /^(?<user>[^\n]+?)(?:[#:](?<attempt>\d+))?$/
export const DEFAULT_TAG_READER: RulePattern = {source: DEFAULT_TAG_PATTERN, exec: (tag) => DEFAULT_TAG_REGEXP.exec(tag)}

/**
 * How tags are read: the default pattern, or --tag-pattern compiled with re2js, as user rules are
 * (src/catalog/safe-pattern.ts): its matching time is linear in the tag whatever the pattern, so a pattern
 * such as `^(?<user>(a+)+)$` cannot hang the check on a crafted tag. Lookaround and backreferences, which
 * only a backtracking engine can run, are refused.
 */
export async function compileTagPattern(source: string | undefined): Promise<RulePattern> {
  if (source === undefined) return DEFAULT_TAG_READER
  const {compileSafePattern} = await import('../catalog/safe-pattern.js')
  let pattern: RulePattern
  try {
    pattern = compileSafePattern(source)
  } catch (error) {
    if (!(error instanceof PatternError)) throw error
    throw new TagPatternError(`--tag-pattern is not a valid regular expression (RE2 syntax, no lookaround): ${error.message}`)
  }
  if (!source.includes('(?<user>') && !source.includes('(?P<user>'))
    throw new TagPatternError('--tag-pattern needs a named group (?<user>...) for the user')
  return pattern
}

/** The doveadm commands whose result is a user's sync; responses to any other request are not results. */
const SYNC_COMMANDS: ReadonlySet<string> = new Set(['sync', 'backup'])
const isSyncCommand = (command: string): boolean => SYNC_COMMANDS.has(command.toLowerCase())

/** Names shown in a warning before "… and N more". */
const NAMED = 5
const listed = (names: readonly string[]): string =>
  names.length > NAMED ? `${names.slice(0, NAMED).join(', ')} … and ${names.length - NAMED} more` : names.join(', ')

/** How tags name users: the pattern, and whether the user gave it (else a tag naming no address is a guess). */
export interface TagReading {
  pattern: RulePattern
  /** True when --tag-pattern was given: every tag it reads names a user. */
  given: boolean
}

/**
 * Joins API responses to users by tag, never by position (the API does not promise to answer in order):
 * a request in the inputs with the same tag names the user; otherwise the tag itself does, through the
 * tag pattern. Only responses to sync and backup requests are results (a `quotaGet` that succeeded says
 * nothing of the sync); a tag that requests give to different users, or to a sync and another command, is
 * ambiguous and its responses are problems. A tag read by the default pattern that is not an address
 * (`req-16`) is reported but marked unmapped, so it never reaches the user lists. Responses keep their
 * reading order, so a tag answered twice counts as two attempts. Rows go to the sink one by one, as the
 * other readers give theirs; what the team should know besides comes back as warnings.
 */
export function joinApiResponses(
  responses: readonly ApiResponse[],
  requests: readonly ApiRequest[],
  tags: TagReading,
  sink: Pick<RowSink, 'row' | 'problem'>,
): MigrationWarning[] {
  const byTag = new Map<string, ApiRequest[]>()
  for (const request of requests) {
    const known = byTag.get(request.tag)
    if (known === undefined) byTag.set(request.tag, [request])
    else if (!known.some((other) => other.user === request.user && isSyncCommand(other.command) === isSyncCommand(request.command)))
      known.push(request)
  }
  const ignored = new Map<string, number>() // other commands' responses, per command
  const unmapped = new Set<string>()
  for (const response of responses) {
    const where = {source: response.source, line: response.line || null}
    const named = byTag.get(response.tag)
    if (named !== undefined && named.length > 1) {
      const whose = named.map((request) => `${request.command} for ${request.user} at ${request.source}:${request.line}`).join(', ')
      sink.problem({
        ...where,
        message: `response tag '${response.tag}' is given by ${named.length} requests (${whose}): cannot tell whose result it is; skipped`,
      })
      continue
    }
    const request = named?.[0]
    if (request !== undefined && !isSyncCommand(request.command)) {
      ignored.set(request.command, (ignored.get(request.command) ?? 0) + 1)
      continue
    }
    const match = tags.pattern.exec(response.tag)
    const user = request?.user ?? match?.groups?.user?.trim()
    if (!user) {
      sink.problem({...where, message: `response tag '${response.tag}' names no user (see --tag-pattern); skipped`})
      continue
    }
    const badName = userNameProblem(user)
    if (badName !== null) {
      sink.problem({...where, message: `response tag '${response.tag}': ${badName}; skipped`})
      continue
    }
    const unmappedTag = request === undefined && !tags.given && !user.includes('@')
    if (unmappedTag) unmapped.add(response.tag)
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
      unmappedTag,
      order: 0,
    })
  }
  const warnings: MigrationWarning[] = []
  if (ignored.size > 0) {
    const counts = [...ignored].map(([command, count]) => `${command} ×${count}`).join(', ')
    warnings.push({
      kind: 'ignored-api-responses',
      message: `doveadm HTTP API responses to requests other than sync/backup ignored (${counts}): they are not sync results`,
    })
  }
  if (unmapped.size > 0) {
    warnings.push({
      kind: 'unmapped-tags',
      message: `${unmapped.size} doveadm HTTP API tag(s) name no user (${listed([...unmapped])}): no request in the inputs names them and no --tag-pattern was given; reported as they are, kept out of --retry-file/--remove-file`,
    })
  }
  return warnings
}
