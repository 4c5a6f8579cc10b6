import {resolveColumns, rowFromValues, type ColumnMap} from './columns.js'
import {type ColumnOverrides, type RowSink, userNameProblem} from './record.js'

/** Where a JSON value sits: a JSON Lines line, or an item of a whole JSON document. */
interface Where {
  source: string
  line: number | null
  /** The array holding the value, and the value's 0-based index in it: JSON.parse gives no line per item. */
  within?: {array: Where; index: number}
  /** Arrays around the value. */
  depth?: number
}

/**
 * Arrays in arrays beyond this are not a results export (an API payload is two deep): refused before the
 * recursion below could exhaust the stack on a crafted line.
 */
const MAX_JSON_DEPTH = 32

/** "item 3: " (or "item 3, item 1: " for an array in an array); made only for a problem, never per item. */
function at(where: Where): string {
  const items: string[] = []
  for (let inner = where.within; inner; inner = inner.array.within) items.unshift(`item ${inner.index + 1}`)
  return items.length === 0 ? '' : `${items.join(', ')}: `
}

// The doveadm HTTP API's reply kinds; any other first element is a request (a command name).
const RESPONSE = 'doveadmResponse'
const ERROR = 'error'

/** `["name", {...}, "tag"]`: one doveadm HTTP API request or response. */
function isApiEntry(value: unknown[]): value is [string, unknown, string] {
  return value.length === 3 && typeof value[0] === 'string' && typeof value[2] === 'string'
}

/**
 * Turns parsed JSON into rows: an object is one result (keys named like CSV columns), an array is a list
 * of results or a doveadm HTTP API payload, and `["doveadmResponse"|"error"|command, ..., tag]` is one API
 * response or request (joined to users by tag later, never by position).
 */
export class JsonResultReader {
  private readonly maps = new Map<string, ColumnMap>()
  rows = 0
  /** HTTP API requests seen: an input of requests only (joined to responses elsewhere) is not empty. */
  requests = 0
  /** Problems reported: an input whose every value was bad needs no extra "no results" line. */
  problems = 0

  constructor(
    private readonly sink: RowSink,
    private readonly overrides: ColumnOverrides,
  ) {}

  value(value: unknown, where: Where): void {
    if (Array.isArray(value)) {
      if (isApiEntry(value)) return this.apiEntry(value, where)
      if (value[0] === RESPONSE || value[0] === ERROR) {
        return this.problem(
          where,
          `${at(where)}doveadm HTTP API ${value[0]} of unknown shape: expected ["${value[0]}", ..., "tag"]; skipped`,
        )
      }
      const depth = (where.depth ?? 0) + 1
      if (depth > MAX_JSON_DEPTH)
        return this.problem(where, `arrays nested more than ${MAX_JSON_DEPTH} deep: not a results export; skipped`)
      value.forEach((item, index) => this.value(item, {source: where.source, line: where.line, within: {array: where, index}, depth}))
      return
    }
    if (value !== null && typeof value === 'object') return this.object(value as Record<string, unknown>, where)
    this.problem(where, `${at(where)}expected a result object or a doveadm API response, found ${JSON.stringify(value)}`)
  }

  private problem(where: Where, message: string): void {
    this.problems++
    this.sink.problem({source: where.source, line: where.line, message})
  }

  private object(object: Record<string, unknown>, where: Where): void {
    const keys = Object.keys(object)
    const signature = keys.join('\u0000')
    let map = this.maps.get(signature)
    if (!map) {
      map = resolveColumns(keys, this.overrides)
      this.maps.set(signature, map)
    }
    const result = rowFromValues(Object.values(object), map, {source: where.source, line: where.line ?? 0})
    if ('error' in result) {
      this.problem(where, `${at(where)}${result.error}; skipped`)
      return
    }
    this.rows++
    this.sink.row(result)
  }

  private apiEntry([kind, body, tag]: [string, unknown, string], where: Where): void {
    const line = where.line ?? 0
    if (kind === RESPONSE) {
      this.rows++
      this.sink.apiResponse({tag, code: 0, apiError: null, source: where.source, line})
      return
    }
    if (kind === ERROR) {
      const error = (body ?? {}) as {exitCode?: unknown; type?: unknown}
      const type = typeof error.type === 'string' ? error.type : 'unknown'
      const code = typeof error.exitCode === 'number' && Number.isInteger(error.exitCode) ? error.exitCode : null
      if (type === 'exitCode' && code === null) {
        this.problem(where, `${at(where)}error response for tag '${tag}' has no numeric exitCode; skipped`)
        return
      }
      this.rows++
      this.sink.apiResponse({tag, code, apiError: type === 'exitCode' ? null : type, source: where.source, line})
      return
    }
    const user = (body as {user?: unknown} | null)?.user
    if (typeof user === 'string' && user.trim() !== '') {
      const badName = userNameProblem(user.trim())
      if (badName !== null) return this.problem(where, `${at(where)}doveadm HTTP API ${kind} request for tag '${tag}': ${badName}; skipped`)
      this.requests++
      this.sink.apiRequest({tag, user: user.trim(), command: kind, source: where.source, line})
    }
  }
}

/** Where a JSON.parse error happened, as a line number (Node 20 says "at position N"). */
export function jsonErrorLine(text: string, error: Error, firstLine = 1): number | null {
  const match = /position (\d+)/.exec(error.message)
  if (!match) return null
  const position = Number(match[1])
  let line = firstLine
  for (let index = text.indexOf('\n'); index >= 0 && index < position; index = text.indexOf('\n', index + 1)) line++
  return line
}
