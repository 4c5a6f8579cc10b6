import {MAX_LINE_BYTES} from '../input/limits.js'

/** A record left out by boundedRecords: where it started, and why. */
export interface LeftOutRecord {
  line: number
  /** 'too-long': a line longer than the limit; 'quote-not-closed': a quote opened on this line never closes (within the limit). */
  reason: 'too-long' | 'quote-not-closed'
  /** Characters of a too-long line (all of it, counted as it was skipped). */
  chars: number
}

export interface BoundedRecordsOptions {
  delimiter: string
  /** Whether `"` quotes fields (false for GNU parallel's joblog). */
  quotes: boolean
  onLeftOut: (record: LeftOutRecord) => void
  /** At most this many characters of one record are held (default MAX_LINE_BYTES). */
  maxChars?: number
}

const NEWLINE = 0x0a
const QUOTE = 0x22

/**
 * Delimited text (LF line ends) passed on record by record, with at most `maxChars` of one record held, so
 * a CSV parser behind it (csv-parse keeps a record whole, and an unclosed quote makes the rest of the file
 * one record) never holds more:
 * - a line longer than the limit is skipped up to its end;
 * - a quote that does not close within the limit, or before the end, leaves out the line it opened on,
 *   and reading starts again on the next line, so the valid rows after it are kept.
 * A left-out record is replaced by its newlines (empty lines, which the parser skips): line numbers stay
 * exact. Quotes are read as csv-parse reads them with `relax_quotes`: a `"` opens a quoted field only at
 * the field's start; inside, `""` is a quote and any other `"` closes it.
 */
export async function* boundedRecords(text: AsyncIterable<string>, options: BoundedRecordsOptions): AsyncGenerator<string> {
  const max = options.maxChars ?? MAX_LINE_BYTES
  const delimiter = options.delimiter.charCodeAt(0)
  /** Text from the start of the current record, not passed on yet; `scanned` of it read already. */
  let held = ''
  let scanned = 0
  let quoting = false
  let fieldStart = true
  /** Line of the current record's start, and newlines inside it so far (quoted fields). */
  let line = 1
  let inside = 0
  /** Skipping the rest of a too-long record: its first line, characters so far, and newlines inside it before. */
  let skipping: {line: number; chars: number; inside: number} | null = null

  const leaveOutFirstLine = (): string => {
    // A quote opened on the record's first line never closed: leave that line out, read on from the next.
    options.onLeftOut({line, reason: 'quote-not-closed', chars: 0})
    const next = held.indexOf('\n')
    held = next === -1 ? '' : held.slice(next + 1)
    scanned = 0
    quoting = false
    fieldStart = true
    line += 1
    inside = 0
    return next === -1 ? '' : '\n'
  }

  /** Reads `held` from `scanned` on; returns the text of the records it completes, to pass on. */
  const scan = (atEnd: boolean): string => {
    let out = ''
    for (;;) {
      let index = scanned
      let recordStart = 0
      const length = held.length
      // Where the next `"` is, from `index` on (-1: none in `held`; -2: not looked for yet).
      let nextQuote = -2
      /** The record ends with the newline at `at`, outside quotes: it is passed on, and its lines counted. */
      const endRecord = (at: number): void => {
        line += inside + 1
        inside = 0
        fieldStart = true
        out += held.slice(recordStart, at + 1)
        index = recordStart = at + 1
      }
      while (index < length) {
        // The limit, checked before each step (a `""` or a closing quote steps on without the check below), so
        // that the reading stops at the same place however the text was cut into chunks.
        if (skipping === null && index - recordStart > max) break
        // Fast paths, over many characters at once (indexOf), where the loop below would go through them one
        // by one without reaching the limit: same result, a fraction of the time on a big export.
        if (skipping === null) {
          if (options.quotes && nextQuote !== -1 && nextQuote < index) nextQuote = held.indexOf('"', index)
          const quote = options.quotes ? nextQuote : -1
          if (quoting) {
            // Inside a quoted field up to its next quote: only its newlines count.
            if (quote !== -1 && quote - recordStart <= max) {
              for (let at = held.indexOf('\n', index); at !== -1 && at < quote; at = held.indexOf('\n', at + 1)) inside++
              index = quote
            }
          } else {
            const newline = held.indexOf('\n', index)
            if (newline !== -1 && newline - recordStart <= max && (quote === -1 || quote > newline)) {
              // The rest of the line opens no quote: the record ends at its newline.
              endRecord(newline)
              continue
            }
            if (quote !== -1 && quote > index && quote - recordStart <= max) {
              // Up to the quote: whether it opens a field depends only on the character before it.
              fieldStart = held.charCodeAt(quote - 1) === delimiter
              index = quote
            }
          }
        }
        if (skipping !== null) {
          const end = held.indexOf('\n', index)
          skipping.chars += (end === -1 ? length : end) - index
          if (end === -1) {
            index = length
            break
          }
          options.onLeftOut({line: skipping.line, reason: 'too-long', chars: skipping.chars})
          out += '\n'.repeat(skipping.inside + 1)
          line += skipping.inside + 1
          skipping = null
          index = recordStart = end + 1
          continue
        }
        const code = held.charCodeAt(index)
        if (quoting) {
          if (code === QUOTE) {
            if (index + 1 === length && !atEnd) break // is it `""`? The next chunk says.
            if (held.charCodeAt(index + 1) === QUOTE) index += 2
            else {
              quoting = false
              fieldStart = false
              index += 1
            }
            continue
          }
          if (code === NEWLINE) inside++
        } else if (code === NEWLINE) {
          endRecord(index)
          continue
        } else if (code === delimiter) fieldStart = true
        else if (code === QUOTE && fieldStart && options.quotes) {
          quoting = true
          fieldStart = false
        } else fieldStart = false
        index += 1
        if (index - recordStart > max) break
      }
      const over = skipping === null && index - recordStart > max
      held = skipping === null ? held.slice(recordStart) : ''
      scanned = skipping === null ? index - recordStart : 0
      if (skipping !== null) {
        if (atEnd) {
          options.onLeftOut({line: skipping.line, reason: 'too-long', chars: skipping.chars})
          out += '\n'.repeat(skipping.inside)
          skipping = null
        }
        return out
      }
      if (quoting && (over || atEnd)) {
        // The quote spans lines within the limit (a newline in what was scanned, not in text read beyond it,
        // which depends on how the input was cut): its first line is left out. Else the line is too long.
        if (held.lastIndexOf('\n', scanned - 1) !== -1 || atEnd) {
          out += leaveOutFirstLine()
          continue
        }
      }
      if (!over) return out
      // A record longer than the limit: left out up to the end of its line (quotes no longer count).
      skipping = {line, chars: scanned, inside}
      held = held.slice(scanned)
      scanned = 0
      inside = 0
      quoting = false
      fieldStart = true
    }
  }

  for await (const chunk of text) {
    held += chunk
    const out = scan(false)
    if (out !== '') yield out
  }
  const out = scan(true)
  if (out !== '') yield out
  if (held !== '') yield held
}
