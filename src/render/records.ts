import type {LogLevel, LogRecord} from '../ingest/record.js'
import {Matcher} from '../match/matcher.js'
import type {Rule} from '../catalog/rule.js'
import type {Colors} from './color.js'
import type {RecordJson} from './json-documents.js'
import {formatTime} from './log-summary.js'
import {sanitizeForTerminal} from './sanitize.js'
import {wrap} from './terminal.js'

function levelColor(c: Colors, level: LogLevel | null): (text: string) => string {
  switch (level) {
    case 'panic':
    case 'fatal':
      return (text) => c.bold(c.red(text))
    case 'error':
      return c.red
    case 'warning':
      return c.yellow
    case 'debug':
    case null:
      return c.dim
    default:
      return (text) => text
  }
}

/**
 * `dovediag logs --records`: each record with the ids of the rules that matched it (the same matcher the
 * report uses; the catch-all for unrecognized Fatal/Panic lines is not named). `--json` gives one JSON object
 * a line (RecordJson); text gives one line a record: time (in --timezone), host when the line named one, level,
 * `service(user):`, the message and `[rule-id]`, wrapped to the width under the message, with a crash's
 * backtrace lines below it.
 */
export class RecordsOutput {
  private readonly matcher: Matcher

  constructor(
    rules: readonly Rule[],
    private readonly options: {json: boolean; colors: Colors; width: number; timeZone?: string},
  ) {
    this.matcher = new Matcher(rules)
  }

  private rulesOf(record: LogRecord): string[] {
    return this.matcher.match(record).map((match) => match.rule.id)
  }

  /** The records as the text to write. */
  render(records: readonly LogRecord[]): string {
    let text = ''
    if (this.options.json) {
      for (const record of records) text += JSON.stringify({...record, rules: this.rulesOf(record)} satisfies RecordJson) + '\n'
      return text
    }
    for (const record of records) text += this.renderText(record).join('\n') + '\n'
    return text
  }

  private renderText(record: LogRecord): string[] {
    const {colors: c, width, timeZone} = this.options
    const time = record.time === null ? ' '.repeat(19) : formatTime(record.time, timeZone)
    const host = record.host === null ? '' : `${sanitizeForTerminal(record.host)} `
    const head = `${time} ${host}${levelColor(c, record.level)((record.level ?? '-').padEnd(7))} `
    const who = record.service === null ? '' : `${record.service}${record.user === null ? '' : `(${record.user})`}: `
    const rules = this.rulesOf(record)
    const tail = rules.length === 0 ? '' : ` ${c.cyan(`[${rules.join(', ')}]`)}`
    const hang = ' '.repeat(time.length + 1)
    const lines = wrap(sanitizeForTerminal(who + record.message) + tail, width, head, hang)
    for (const continuation of record.continuation) lines.push(...wrap(sanitizeForTerminal(continuation), width, hang + '  '))
    return lines
  }
}
