import {writePieces} from './pieces.js'

/**
 * Array items stringified at a time: few enough that a piece stays well below V8's large-object size (128
 * KiB; a migration verdict is ~600 characters), enough to keep calls few. A larger piece is a large object,
 * mapped and unmapped by the kernel for each batch (page faults, a quarter of a big report's writing).
 */
const BATCH = 32

/** `JSON.stringify(value, null, 2) + '\n'`, the same text, handed to `write` in pieces (see jsonPieces). */
export function writeJson(value: unknown, write: (text: string) => void): void {
  writePieces(jsonPieces(value), write)
}

/**
 * The text of `JSON.stringify(value, null, 2) + '\n'` in pieces: a top-level object key by key and the
 * arrays in it a batch of items at a time. Each piece is stringified nested as deep as it sits, so
 * JSON.stringify still does all the quoting and layout.
 */
function* jsonPieces(value: unknown): Generator<string> {
  if (!isPlainObject(value)) {
    yield `${JSON.stringify(value, null, 2)}\n`
    return
  }
  let separator = '{\n'
  for (const key of Object.keys(value)) {
    const member = value[key]
    if (Array.isArray(member) && member.length > BATCH) {
      const head = `{\n  ${JSON.stringify(key)}: [\n`
      const tail = '\n  ]\n}'
      yield `${separator}${head.slice(2, -1)}`
      for (let start = 0; start < member.length; start += BATCH) {
        const text = JSON.stringify({[key]: member.slice(start, start + BATCH)}, null, 2)
        yield `${start === 0 ? '\n' : ',\n'}${text.slice(head.length, -tail.length)}`
      }
      yield tail.slice(0, -2)
    } else {
      const text = JSON.stringify({[key]: member}, null, 2)
      if (text === '{}') continue // undefined, a function or a symbol: JSON.stringify leaves the key out
      yield `${separator}${text.slice(2, -2)}`
    }
    separator = ',\n'
  }
  yield separator === '{\n' ? '{}\n' : '\n}\n'
}

/** An object JSON.stringify writes key by key itself (no toJSON, no class of its own). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || 'toJSON' in value) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
