import {MATCHES, NO_MATCH, UNSURE, type CountedForm} from '../catalog/counted-form.js'
import type {RulePattern} from '../catalog/pattern.js'
import type {Rule, RuleConditions, RuleVariant} from '../catalog/rule.js'
import type {LogLevel, LogRecord} from '../ingest/record.js'
import {LiteralSet, LONG} from './literal-set.js'
import {ruleReadable} from './mail-log-fields.js'
import {requiredLiteral} from './required-literal.js'

/** What rules read of a record: its message and what their conditions test. */
export type MatchedFields = Pick<LogRecord, 'message' | 'program' | 'dovecot' | 'format' | 'level' | 'service'>

/** One rule matching one record: the named groups that matched, and the sub-case they select. */
export interface RuleMatch {
  readonly rule: Rule
  readonly facts: Record<string, string>
  readonly variant: RuleVariant | null
  /** One fact (`facts[name]`), without making the others: what a finding's counters read of every match. */
  fact(name: string): string | undefined
}

/**
 * A RuleMatch whose facts (the named groups that matched something) are made only when first asked for:
 * most matches in a busy log are logins, logouts and deliveries, which the diagnosis only counts.
 */
class PatternMatch implements RuleMatch {
  private madeFacts: Record<string, string> | undefined
  private chosenVariant: RuleVariant | null | undefined

  constructor(
    readonly rule: Rule,
    private readonly groups: Record<string, string | undefined> | undefined,
  ) {}

  get facts(): Record<string, string> {
    if (this.madeFacts === undefined) {
      const facts: Record<string, string> = {}
      for (const name in this.groups) {
        const value = this.groups[name]
        if (value !== undefined && value !== '') facts[name] = value
      }
      this.madeFacts = facts
    }
    return this.madeFacts
  }

  fact(name: string): string | undefined {
    const value = this.groups?.[name]
    return value === '' ? undefined : value
  }

  get variant(): RuleVariant | null {
    if (this.chosenVariant === undefined)
      this.chosenVariant = this.rule.variants?.find((candidate) => this.fact(candidate.whenFact) !== undefined) ?? null
    return this.chosenVariant
  }
}

/**
 * Patterns see at most this many characters of a message. Dovecot's messages are far shorter (paths are at
 * most 4 KiB), but a hostile line can be up to the reader's 1 MiB cap, and an unanchored pattern that is
 * quadratic in the worst case (recheck finds many: a repeated prefix makes each start scan to the end) would
 * then cost minutes per line. Within the window it costs a bounded amount per line: linear in the input.
 * See test/hostile/redos.test.ts and bench/adversarial-lines.ts.
 */
export const MATCH_WINDOW = 8192

/**
 * Tries one rule on one record, in the cheap-to-dear order: the literal prefilter (a substring test), then
 * the patterns, then the conditions (level, service, program); the named groups become facts when read.
 */
export function matchRule(rule: Rule, record: LogRecord): RuleMatch | null {
  const text = ruleReadable(record.message)
  return !rule.fallback && text.includes(rule.literal) ? matchFoundLiteral(rule, record, text) : null
}

/** `matchRule` for a record whose readable text (ruleReadable of its message) is known to hold the rule's literal. */
function matchFoundLiteral(rule: Rule, record: MatchedFields, text: string): RuleMatch | null {
  const window = text.length > MATCH_WINDOW ? text.slice(0, MATCH_WINDOW) : text
  let groups: Record<string, string | undefined> | undefined
  let matched = false
  for (const pattern of rule.patterns) {
    const result = pattern.exec(window)
    if (result) {
      groups = result.groups
      matched = true
      break
    }
  }
  if (!matched || !conditionsHold(rule, record)) return null
  return new PatternMatch(rule, groups)
}

/**
 * The rule's literal is in `text`, the part of `message` rules read (ruleReadable): always, unless a mail_log
 * line was cut and the literal was found in the part cut off (a pattern need not hold its literal).
 */
const readsLiteral = (rule: Rule, message: string, text: string): boolean => text.length === message.length || text.includes(rule.literal)

/**
 * match() tries the rule on a line matchBytes was given: its literal is in `text`, the part of `message` rules
 * read. readsLiteral when the literal was found in the line's bytes; tested when what was searched for the rule
 * may not hold it (`unsearched`, the rule's literal: ByteSearch.confirm).
 */
const triedOn = (rule: Rule, message: string, text: string, unsearched: string | null): boolean =>
  unsearched === null ? readsLiteral(rule, message, text) : text.includes(unsearched)

/** The pattern matches the text (a built-in RegExp without making its groups). */
const matches = (pattern: RulePattern, text: string): boolean =>
  pattern instanceof RegExp ? pattern.test(text) : pattern.exec(text) !== null

/** A rule without conditions: one object, not one made per call (the fast lane asks for every candidate). */
const NO_CONDITIONS: RuleConditions = {}

/**
 * Rules about Dovecot apply to Dovecot's lines unless they name other programs (ntpd, audit, the kernel).
 * A raw line (no line shape recognized, see src/ingest/raw-line.ts) that does not say its level or service
 * is not held to them: its pattern, Dovecot's exact wording, is what recognizes it.
 */
export function conditionsHold(rule: Rule, record: Omit<MatchedFields, 'message'>): boolean {
  return conditionsMet(rule.conditions ?? NO_CONDITIONS, record)
}

/** RuleConditions with every field named (undefined when unset): a condition added there must be copied by `uniform`. */
type EveryCondition = {[K in keyof Required<RuleConditions>]: RuleConditions[K]}

/**
 * A rule's conditions with every field present, so that all of them have one shape: matchBytes reads them
 * for every candidate rule of every counted line, and conditions of several shapes made V8 recompile it.
 */
const uniform = (conditions: RuleConditions = NO_CONDITIONS): EveryCondition => ({
  levels: conditions.levels,
  services: conditions.services,
  programs: conditions.programs,
})

/** The conditions' program test: the programs they name, else Dovecot's. */
const programHolds = (conditions: RuleConditions, program: string, dovecot: boolean): boolean =>
  conditions.programs ? conditions.programs.includes(program) : dovecot

/** `conditionsHold`, given the conditions. */
function conditionsMet(conditions: RuleConditions, record: Omit<MatchedFields, 'message'>): boolean {
  if (!programHolds(conditions, record.program, record.dovecot)) return false
  const raw = record.format === 'raw'
  if (conditions.levels && (record.level === null ? !raw : !conditions.levels.includes(record.level))) return false
  if (conditions.services && (record.service === null ? !raw : !conditions.services.includes(record.service))) return false
  return true
}

/**
 * What matchBytes looks for in the lines of one program offered at some levels: the literals of the rules
 * whose conditions can hold on such a line (a rule for errors only, or for ntpd's lines, cannot match an Info
 * line of Dovecot's, so its literal is not searched for: on Dovecot's lines below Error that leaves 30 of the
 * catalog's 58 literals, and two of its four short ones, each a pass over every chunk), each rule's by
 * `searchedLiterals`.
 */
export class ByteSearch {
  readonly literals: LiteralSet
  /** For each of `literals`, the indexes of the Matcher's rules that have it, in the rules' order. */
  readonly rulesOfLiteral: number[][]
  /**
   * For each of the Matcher's rules, its own literal when what is searched for it may not hold it (so a line
   * holding that must be checked for it too); null when every literal searched for it holds its own.
   */
  readonly confirm: (string | null)[]
  /** Room for the literals found in a line (LiteralSet.findBytes). */
  readonly hits: Int16Array

  constructor(
    readonly program: string,
    readonly dovecot: boolean,
    readonly levels: ReadonlySet<LogLevel>,
    rules: readonly Rule[],
    conditionsOf: readonly RuleConditions[],
  ) {
    const possible: number[] = []
    rules.forEach((rule, index) => {
      const conditions = conditionsOf[index]
      // The lines' levels are never null (no raw line is offered), so a rule's levels hold for one of `levels` or never.
      if (programHolds(conditions, program, dovecot) && (conditions.levels?.some((level) => levels.has(level)) ?? true))
        possible.push(index)
    })
    const searched = possible.map((index) => searchedLiterals(rules[index]))
    const distinct = [...new Set(searched.flat())]
    this.literals = new LiteralSet(distinct)
    this.rulesOfLiteral = distinct.map((literal) => possible.filter((_, i) => searched[i].includes(literal)))
    this.hits = new Int16Array(distinct.length)
    this.confirm = rules.map(() => null)
    possible.forEach((index, i) => {
      const {literal} = rules[index]
      if (searched[i].some((other) => !other.includes(literal))) this.confirm[index] = literal
    })
  }
}

/**
 * What the lane looks for to find a rule's lines: its literal; or, when that is shorter than WIDE, what each of
 * its patterns requires (requiredLiteral), when each of its patterns is a RegExp that requires a longer one, of
 * at least LONG characters. A line holding one of those is then checked for the rule's own literal as well
 * (ByteSearch.confirm), as match() tests it.
 */
function searchedLiterals(rule: Rule): string[] {
  if (rule.literal.length >= WIDE || rule.patterns.length === 0) return [rule.literal]
  const required = rule.patterns.map((pattern) => (pattern instanceof RegExp ? requiredLiteral(pattern) : null))
  const longer = required.every((literal) => literal !== null && literal.length > rule.literal.length && literal.length >= LONG)
  return longer ? [...new Set(required as string[])] : [rule.literal]
}

/**
 * The pair skipping's window is its shortest literal's length, and no skip is longer: a literal below LONG
 * characters costs a `Buffer#indexOf` pass over every chunk, and one below WIDE shortens every skip for all the
 * others (6 for `_limit` against 8; 7 for `Timeout`, `forward` or `nvalid `), so those rules are searched by
 * their patterns' longer runs where they have them.
 */
const WIDE = 8

/**
 * Matches records against a fixed set of rules. The message is searched once for all the rules' literals
 * (the fast path), and only the rules whose literal it holds are tried; `fastPath: false` tests every
 * rule's literal in turn instead, to check that both give the same results.
 */
export class Matcher {
  private readonly literals: LiteralSet
  /** For each rule, the index of its literal in `literals`. */
  private readonly literalOfRule: Int16Array
  private readonly found: Uint8Array
  /** matchBytes's: the rules it tries. */
  private readonly candidates: Int16Array
  /** matchBytes's marks of the rules it made candidates, cleared before it returns. */
  private readonly picked: Uint8Array
  /** matchBytes's searches (byteSearch), and the chunk they search. */
  private readonly byteSearches: ByteSearch[] = []
  private chunkBytes: Buffer | null = null
  /** Each rule's conditions, of one shape (`uniform`), and its counted form: rules are objects of many shapes. */
  private readonly conditionsOf: RuleConditions[]
  private readonly countedFormOf: (CountedForm | undefined)[]

  readonly rules: readonly Rule[]

  constructor(
    rules: readonly Rule[],
    private readonly options: {fastPath?: boolean} = {},
  ) {
    // The catch-all rule matches by nothing else matching: the Diagnoser applies it.
    this.rules = rules.filter((rule) => !rule.fallback)
    const distinct = [...new Set(this.rules.map((rule) => rule.literal))]
    this.literals = new LiteralSet(distinct)
    this.literalOfRule = Int16Array.from(this.rules, (rule) => distinct.indexOf(rule.literal))
    this.found = new Uint8Array(distinct.length)
    this.candidates = new Int16Array(this.rules.length)
    this.picked = new Uint8Array(this.rules.length)
    this.conditionsOf = this.rules.map((rule) => uniform(rule.conditions))
    this.countedFormOf = this.rules.map((rule) => rule.countedForm)
  }

  /**
   * Whether any rule's literal occurs in `text`: when none does, no line of it can match (each line's message
   * is part of the text), so a caller can skip parsing it, unless a line's message is decoded from something
   * else (journal JSON, see diagnoseStderr).
   */
  mayMatchIn(text: string): boolean {
    const found = this.literals.find(text, this.found) > 0
    this.found.fill(0)
    return found
  }

  /** Every rule that matches, in the rules' order (the catalog keeps problem rules disjoint; the catalog test checks it). */
  match(record: LogRecord): RuleMatch[] {
    const matches: RuleMatch[] = []
    if (this.options.fastPath === false) {
      for (const rule of this.rules) {
        const match = matchRule(rule, record)
        if (match) matches.push(match)
      }

      return matches
    }

    const {found, literalOfRule, rules} = this
    const text = ruleReadable(record.message)
    if (this.literals.find(text, found) === 0) return matches
    // In the rules' order, as the slow path: no candidate list to build and sort.
    for (let index = 0; index < rules.length; index++) {
      if (found[literalOfRule[index]] === 0) continue
      const match = matchFoundLiteral(rules[index], record, text)
      if (match) matches.push(match)
    }

    found.fill(0)
    return matches
  }

  /**
   * After `matchBytes` returned -1: every rule that matches the line, in the rules' order, with their groups,
   * as `match` gives them for the line's record (whose message and fields are those matchBytes was given).
   */
  lineMatches: RuleMatch[] = []

  /** matchBytes is to be given lines of `bytes` next (LiteralSet.chunk). */
  chunk(bytes: Buffer): void {
    this.chunkBytes = bytes
    for (const search of this.byteSearches) search.literals.chunk(bytes)
  }

  /**
   * The search `matchBytes` is to be given for lines of `program` (Dovecot's when `dovecot`) offered at `levels`
   * (their level is one of them, never null): made the first time it is asked for. A caller asks when the
   * program of its lines changes, not per line.
   */
  byteSearch(program: string, dovecot: boolean, levels: ReadonlySet<LogLevel>): ByteSearch {
    let search = this.byteSearches.find((known) => known.program === program && known.dovecot === dovecot && known.levels === levels)
    if (search === undefined) {
      search = new ByteSearch(program, dovecot, levels, this.rules, this.conditionsOf)
      if (this.chunkBytes !== null) search.literals.chunk(this.chunkBytes)
      this.byteSearches.push(search)
    }
    return search
  }

  /**
   * `match` for a line known only by its message's ASCII bytes, `bytes[start, end)`, and `fields` (the
   * reader's fast lane, src/ingest/fast-lane.ts), searched by `search` (`byteSearch` of its program, Dovecot's or
   * not, and of levels its level is one of), for a caller that only counts the matches of the rules `only`
   * marks: puts the rules that match in `matched` and returns how many, or -1 when a rule `only`
   * refuses matches (the line is then read the full way instead, and `lineMatches` holds what match() would
   * give for its record, so that its search need not be made again). A rule is tried only when its literal
   * occurs and its conditions hold on `fields`, by its counted form when it has one (catalog/counted-form.ts);
   * the message is made a string (in `fields.message`) only when some rule's patterns must run.
   */
  matchBytes(
    search: ByteSearch,
    bytes: Buffer,
    start: number,
    end: number,
    fields: MatchedFields,
    only: Uint8Array,
    matched: Rule[],
  ): number {
    const {candidates, rules, conditionsOf, countedFormOf} = this
    const {rulesOfLiteral, confirm, hits} = search
    const picked = this.picked
    const found = search.literals.findBytes(bytes, start, end, hits)
    if (found === 0) return 0
    let tried = 0
    for (let hit = 0; hit < found; hit++) {
      for (const index of rulesOfLiteral[hits[hit]]) {
        // A rule searched by several literals is a candidate once, however many the line holds.
        if (picked[index] === 1 || !conditionsMet(conditionsOf[index], fields)) continue
        picked[index] = 1
        candidates[tried++] = index
      }
    }
    for (let candidate = 0; candidate < tried; candidate++) picked[candidates[candidate]] = 0
    if (tried === 0) return 0
    let count = 0
    let text: string | null = null
    for (let candidate = 0; candidate < tried; candidate++) {
      const index = candidates[candidate]
      const rule = rules[index]
      const countedForm = countedFormOf[index]
      let answer = countedForm === undefined ? UNSURE : countedForm(bytes, start, end)
      if (answer === NO_MATCH) continue
      const unsearched = confirm[index]
      if (text === null && (answer === UNSURE || only[index] === 0 || unsearched !== null)) {
        fields.message = bytes.toString('latin1', start, end)
        text = ruleReadable(fields.message)
      }
      // A literal found only in a mail_log line's msgid=/from=/subject= is not read: match() never tries its rule.
      if (text !== null && !triedOn(rule, fields.message, text, unsearched)) continue
      if (only[index] === 0) {
        // Its match (with the groups a finding reads) is the record's: the line goes the full way with every match.
        const match = matchFoundLiteral(rule, fields, text!)
        if (match === null) continue
        this.lineMatches = this.everyMatch(tried, fields, text!, index, match, confirm)
        return -1
      }
      if (answer === UNSURE) {
        const readable = text!
        answer = rule.patterns.some((pattern) => matches(pattern, readable)) ? MATCHES : NO_MATCH
      }
      if (answer === NO_MATCH) continue
      matched[count++] = rule
    }

    return count
  }

  /** Every match among matchBytes' first `tried` candidates (`known` is rule `knownIndex`'s), in the rules' order. */
  private everyMatch(
    tried: number,
    fields: MatchedFields,
    text: string,
    knownIndex: number,
    known: RuleMatch,
    confirm: readonly (string | null)[],
  ): RuleMatch[] {
    const {candidates, rules} = this
    // A few candidates at most: an insertion sort.
    for (let i = 1; i < tried; i++) {
      const index = candidates[i]
      let j = i - 1
      for (; j >= 0 && candidates[j] > index; j--) candidates[j + 1] = candidates[j]
      candidates[j + 1] = index
    }
    const all: RuleMatch[] = []
    for (let i = 0; i < tried; i++) {
      const index = candidates[i]
      if (!triedOn(rules[index], fields.message, text, confirm[index])) continue
      const match = index === knownIndex ? known : matchFoundLiteral(rules[index], fields, text)
      if (match !== null) all.push(match)
    }
    return all
  }
}
