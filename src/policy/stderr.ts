import {PROBLEM_RULES} from '../catalog/index.js'
import {severityRank} from '../catalog/rule.js'
import {isRecord, LineParser} from '../ingest/parse-line.js'
import {Matcher, type RuleMatch} from '../match/matcher.js'
import {ownCopy} from '../ingest/own-copy.js'

/**
 * The seam between `migration check` and the log catalog (src/catalog/, src/match/): what a user's captured
 * stderr says went wrong. The one place the policy asks, so the catalog plugs in here and nowhere else.
 */

export interface StderrDiagnosis {
  /** The catalog rule's slug, e.g. `lock-timeout`. */
  rule: string
  /** The rule's title, for the reason shown per user. */
  title: string
}

const problems = new Matcher(PROBLEM_RULES)

/**
 * The catalog's reading of a stderr capture: each line goes through the same line parser and matcher as
 * `dovediag logs` (doveadm prints its log lines to stderr without a timestamp, e.g.
 * `dsync-local(jdoe)<Vn1k3x>: Error: Timeout (180s) while waiting for lock ...`). The most severe match
 * wins, the first one among equals. Null when no problem rule matches.
 */
export function diagnoseStderr(text: string): StderrDiagnosis | null {
  // Most captures hold no rule's literal: nothing to parse. A `{` may start a journal JSON line, whose
  // message is decoded from escapes or bytes and may hold a literal the raw text does not.
  if (!text.includes('{') && !problems.mayMatchIn(text)) return null
  const parser = new LineParser({source: 'stderr'})
  let best: RuleMatch | null = null
  let number = 0
  for (const line of text.split('\n')) {
    const result = parser.parse(line.endsWith('\r') ? line.slice(0, -1) : line, ++number)
    if (!isRecord(result)) continue
    for (const match of problems.match(result)) {
      if (best === null || severityRank(match.rule.severity!) > severityRank(best.rule.severity!)) best = match
    }
  }
  return best === null ? null : diagnosisOf(best.rule)
}

/** One diagnosis object per rule, shared by every user it explains. */
const DIAGNOSES = new Map<string, StderrDiagnosis>()
function diagnosisOf(rule: {id: string; title: string}): StderrDiagnosis {
  let diagnosis = DIAGNOSES.get(rule.id)
  if (!diagnosis) {
    diagnosis = {rule: rule.id, title: rule.title}
    DIAGNOSES.set(rule.id, diagnosis)
  }
  return diagnosis
}

// Dovecot's level words as they appear in dsync/doveadm stderr ("dsync-local(jdoe): Error: ...").
const SEVERE = /\b(Panic|Fatal|Error):/

/**
 * The first Panic/Fatal/Error line of a stderr capture (else its first non-empty line), shortened. A copy:
 * V8 keeps a whole string alive for any slice of it, and the capture may be long while the line is kept.
 */
export function firstErrorLine(text: string, max = 200): string | null {
  return shortCopy(firstLine(text, false), max)
}

/** The first Panic/Fatal/Error line of a stderr capture, shortened; null when it has none (warnings only). */
export function firstSevereLine(text: string, max = 200): string | null {
  return shortCopy(firstLine(text, true), max)
}

/**
 * The first trimmed line of `text` with a Panic/Fatal/Error level word, else (unless `severeOnly`) its first
 * non-empty one. The lines are walked with indexOf, not split, trimmed and filtered into arrays: over the
 * 30 429 undiagnosed captures of the 100 000-row wave that halves the time (50-60 -> 24-31 ms).
 */
function firstLine(text: string, severeOnly: boolean): string | undefined {
  let first: string | undefined
  for (let start = 0; ;) {
    const newline = text.indexOf('\n', start)
    const end = newline === -1 ? text.length : newline
    const line = text.slice(start, end).trim()
    if (line !== '') {
      if (SEVERE.test(line)) return line
      first ??= line
    }

    if (newline === -1) return severeOnly ? undefined : first
    start = newline + 1
  }
}

function shortCopy(line: string | undefined, max: number): string | null {
  if (line === undefined) return null
  return ownCopy(line.length > max ? `${line.slice(0, max - 1)}…` : line)
}
