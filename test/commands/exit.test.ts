import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {ExitJson} from '../../src/render/json-documents.js'
import {run, spawnCli} from '../helpers/run.js'

describe('dovediag exit', () => {
  it('explains 75 with its action and doc link', async () => {
    const {stdout, status} = await run(['exit', '75'])
    assert.equal(status, 0)
    assert.match(stdout, /75 {2}EX_TEMPFAIL: Temporary failure/)
    assert.match(stdout, /migration action \(intermediate\): retry/)
    assert.match(stdout, /docs: https:\/\/doc\.dovecot\.org\//)
  })

  it('takes labels and several codes, and gives the same facts in --json', async () => {
    const {result} = await run<ExitJson>(['exit', 'EX_NOPERM', '235', '--json'])
    assert.deepEqual(
      result?.codes.map((c) => [c.code, c.label, c.action]),
      [
        [77, 'EX_NOPERM', 'suspend-all'],
        [235, 'DOVEADM_EX_EXPIRED', 'retry'],
      ],
    )
    assert.equal(result?.codes[1].dovecotCode, 1003)
  })

  it('235 says it is most likely 1003 seen through a shell', async () => {
    const {stdout} = await run(['exit', '235'])
    assert.match(stdout, /most likely 1003 DOVEADM_EX_EXPIRED seen through a shell/)
  })

  it('--check --phase final exits 1 for 2, 0 for 0, 3 for 78', async () => {
    assert.equal((await run(['exit', '2', '--phase', 'final', '--check'])).status, 1)
    assert.equal((await run(['exit', '2', '--check'])).status, 0)
    assert.equal((await run(['exit', '0', '--phase', 'final', '--check'])).status, 0)
    assert.equal((await run(['exit', '78', '--check'])).status, 3)
    assert.equal((await run(['exit', '2', '--phase', 'final'])).status, 0, 'without --check the status is 0')
  })

  it('--all lists every code in one table', async () => {
    const {stdout, status} = await run(['exit', '--all'])
    assert.equal(status, 0)
    for (const label of ['EX_USAGE', 'EX_CONFIG', 'FATAL_OUTOFMEM', 'DOVEADM_EX_EXPIRED', 'DOVEADM_EX_UNKNOWN']) {
      assert.match(stdout, new RegExp(label))
    }
    const {result} = await run<ExitJson>(['exit', '--all', '--json'])
    assert.ok((result?.codes.length ?? 0) >= 30)
  })

  it('--json has the documented shape', async () => {
    const {result} = await run<ExitJson>(['exit', '2', '--json', '--phase', 'final'])
    const [code] = result!.codes
    for (const key of ['code', 'label', 'action', 'intermediate', 'final', 'status', 'docs', 'notes']) {
      assert.ok(key in code, key)
    }
    assert.equal(result?.done, false)
    assert.equal(code.action, 'rerun')
  })
})

describe('dovediag exit: bad input (real process)', () => {
  for (const args of [
    ['exit', 'abc'],
    ['exit', '-5'],
    ['exit'],
    ['exit', 'EX_BOGUS'],
    ['exit', '--bogus'],
    ['exit', '75', '--all'],
    ['exit', '--all', '--check'],
  ]) {
    it(`'${args.join(' ')}' gives one line on stderr and status 64`, async () => {
      const {stdout, stderr, status} = await spawnCli(args)
      assert.equal(status, 64)
      assert.equal(stdout, '')
      assert.match(stderr, /^dovediag: /)
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace')
    })
  }

  it('a flag conflict is one plain sentence', async () => {
    const {stderr} = await spawnCli(['exit', '--all', '--check'])
    assert.equal(stderr, 'dovediag: --check=true cannot also be provided when using --all\n')
  })

  it('--json errors are a small document with the status kept', async () => {
    const {stdout, status} = await spawnCli(['exit', 'abc', '--json'])
    assert.equal(status, 64)
    assert.deepEqual(Object.keys(JSON.parse(stdout).error).sort(), ['code', 'exit', 'message'])
  })

  it('accepts -1 and prints no colour into a pipe', async () => {
    const {stdout, status} = await spawnCli(['exit', '-1'])
    assert.equal(status, 0)
    assert.match(stdout, /DOVEADM_EX_UNKNOWN/)
    assert.doesNotMatch(stdout, /\u001B\[/)
  })

  it('FORCE_COLOR colours, NO_COLOR wins over it', async () => {
    assert.match((await spawnCli(['exit', '75'], {env: {FORCE_COLOR: '1'}})).stdout, /\u001B\[/)
    assert.doesNotMatch((await spawnCli(['exit', '75'], {env: {FORCE_COLOR: '1', NO_COLOR: '1'}})).stdout, /\u001B\[/)
  })
})
