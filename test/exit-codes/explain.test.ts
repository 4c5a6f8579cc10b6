import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {EXIT_CODES} from '../../src/exit-codes/catalog.js'
import {explainAll, explainCode, parseCodeArgument, shellStatus} from '../../src/exit-codes/explain.js'
import {MIGRATION_ACTIONS} from '../../src/exit-codes/actions.js'

describe('exit-code catalog', () => {
  it('knows every code of the docs table, the source, the fatal statuses and -1', () => {
    const known = new Set(EXIT_CODES.map((e) => e.code))
    const expected = [0, 1, 2, ...Array.from({length: 15}, (_, i) => 64 + i), 80, 81, 82, 83, 84, 89, 1001, 1002, 1003, -1]
    for (const code of expected) assert.ok(known.has(code), `missing code ${code}`)
  })

  it('has unique codes and unique names, and every entry is complete', () => {
    const codes = EXIT_CODES.map((e) => e.code)
    assert.equal(new Set(codes).size, codes.length)
    const names = EXIT_CODES.flatMap((e) => [e.label, ...e.aliases].map((n) => n.toUpperCase()))
    assert.equal(new Set(names).size, names.length, 'a label or alias is used twice')
    for (const e of EXIT_CODES) {
      assert.ok(e.meaning && e.explanation && e.advice, `code ${e.code} lacks text`)
      assert.match(e.docs, /^https:\/\//, `code ${e.code} lacks a doc link`)
      assert.ok(MIGRATION_ACTIONS.includes(e.action))
    }
  })
})

describe('migration actions per code (the documented policy)', () => {
  const cases: Array<[number, string, string]> = [
    [0, 'done', 'done'],
    [2, 'done', 'rerun'],
    [64, 'fail', 'fail'],
    [65, 'fail', 'fail'],
    [67, 'remove-user', 'remove-user'],
    [70, 'fail', 'fail'],
    [73, 'fail', 'fail'],
    [75, 'retry', 'retry'],
    [77, 'suspend-all', 'suspend-all'],
    [78, 'suspend-all', 'suspend-all'],
    [89, 'fail', 'fail'],
    [1, 'fail', 'fail'],
  ]
  for (const [code, intermediate, final] of cases) {
    it(`${code}: ${intermediate} mid-migration, ${final} at the cut-over`, () => {
      const e = explainCode(code)
      assert.equal(e.actions.intermediate, intermediate)
      assert.equal(e.actions.final, final)
      assert.equal(explainCode(code, 'final').action, final)
      assert.equal(e.intermediate, intermediate === 'done')
      assert.equal(e.final, final === 'done')
    })
  }

  it('only 0 finishes a final cut-over', () => {
    const doneAtFinal = explainAll('final').filter((e) => e.final)
    assert.deepEqual(
      doneAtFinal.map((e) => e.code),
      [0],
    )
  })

  it('every action of the vocabulary is used by some code', () => {
    const used = new Set(explainAll().flatMap((e) => [e.actions.intermediate, e.actions.final]))
    for (const action of MIGRATION_ACTIONS) assert.ok(used.has(action), action)
  })
})

describe('what real doveadm returns, beyond the docs labels', () => {
  it('68 is also NOTFOUND, and a bad tcp: host gives 75', () => {
    assert.match(explainCode(68).notes.join(' '), /NOTFOUND.*mailbox doesn't exist/)
    assert.match(explainCode(75).notes.join(' '), /tcp: destination.*75/)
  })
  it('65 is also NOTPOSSIBLE', () => {
    assert.match(explainCode(65).notes.join(' '), /NOTPOSSIBLE.*already exists/)
  })
  it('a broken config exits 89, not 78', () => {
    assert.match(explainCode(78).notes.join(' '), /89/)
    assert.equal(explainCode(89).label, 'FATAL_DEFAULT')
  })
  it("Dovecot's fatal statuses are named", () => {
    assert.deepEqual(
      [80, 81, 82, 83, 84, 89].map((c) => explainCode(c).label),
      ['FATAL_LOGOPEN', 'FATAL_LOGWRITE', 'FATAL_LOGERROR', 'FATAL_OUTOFMEM', 'FATAL_EXEC', 'FATAL_DEFAULT'],
    )
  })
})

describe('8-bit wrap and signals', () => {
  it('a shell shows 1003 as 235, 1001 as 233, 1002 as 234 and -1 as 255', () => {
    assert.deepEqual([1003, 1001, 1002, -1].map(shellStatus), [235, 233, 234, 255])
  })
  for (const [status, code] of [
    [235, 1003],
    [233, 1001],
    [234, 1002],
    [255, -1],
  ]) {
    it(`${status} is read as ${code} seen through a shell`, () => {
      const e = explainCode(status)
      assert.equal(e.interpretation, 'wrapped')
      assert.equal(e.dovecotCode, code)
      assert.match(e.notes[0], new RegExp(`shell shows .*\\(${code}\\) as ${status}`))
    })
  }
  it('1003 says how a shell and the HTTP API show it', () => {
    const e = explainCode(1003)
    assert.equal(e.status, 235)
    assert.match(e.notes.join(' '), /shows 1003 as 235.*HTTP API/)
  })
  it('128+N is a named signal and a failure', () => {
    const kill = explainCode(137)
    assert.equal(kill.interpretation, 'signal')
    assert.deepEqual(kill.signal, {number: 9, name: 'SIGKILL'})
    assert.match(kill.advice, /OOM killer/)
    assert.equal(kill.action, 'fail')
    const abort = explainCode(134)
    assert.equal(abort.signal?.name, 'SIGABRT')
    assert.match(abort.advice, /Panic|assertion/)
  })
  it('an undocumented number is explained as a failure, not rejected', () => {
    const e = explainCode(99)
    assert.equal(e.interpretation, 'undocumented')
    assert.equal(e.action, 'fail')
    assert.match(e.explanation, /not a documented doveadm code/)
  })
})

describe('parsing code arguments', () => {
  it('accepts numbers and labels in every spelling', () => {
    for (const input of ['75', 'EX_TEMPFAIL', 'TEMPFAIL', 'tempfail', 'ex-tempfail', 'EX_TEMPFAILE']) {
      assert.equal(parseCodeArgument(input), 75, input)
    }
    assert.equal(parseCodeArgument('EX_OSERROR'), 71)
    assert.equal(parseCodeArgument('EX_OSERR'), 71)
    assert.equal(parseCodeArgument('NOTFOUND'), 68)
    assert.equal(parseCodeArgument('DOVEADM_EX_EXPIRED'), 1003)
    assert.equal(parseCodeArgument('-1'), -1)
    assert.equal(parseCodeArgument('4294967295'), -1)
    assert.equal(parseCodeArgument('SIGKILL'), 137)
  })
  it('rejects non-codes with a clear message', () => {
    assert.throws(() => parseCodeArgument('abc'), /not a known exit code or label/)
    assert.throws(() => parseCodeArgument('-5'), /only negative code is -1/)
    assert.throws(() => parseCodeArgument('99999999999'), /out of range/)
    assert.throws(() => parseCodeArgument('7.5'), /not a known exit code/)
  })
})
