import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {commandNotFoundMessage} from '../../src/cli/command-not-found.js'
import {parseErrorHint} from '../../src/cli/parse-message.js'
import {run, spawnCli} from '../helpers/run.js'

const COMMANDS = ['logs', 'exit', 'explain', 'rules', 'match', 'migration check']

describe('a mistyped command gets a way forward', () => {
  it('a typo names the nearest command, keeping the arguments', () => {
    assert.equal(
      commandNotFoundMessage('lgos', ['x.log'], COMMANDS, 'dovediag'),
      "'lgos' is not a command: did you mean 'dovediag logs x.log'?",
    )
    assert.equal(
      commandNotFoundMessage('migration:chek:r.csv', [], COMMANDS, 'dovediag'),
      "'migration chek' is not a command: did you mean 'dovediag migration check r.csv'?",
    )
  })

  it("'migration results.csv' points to migration check; a file as the command points to the command that reads it", () => {
    assert.equal(
      commandNotFoundMessage('migration:results.csv', ['--phase', 'final'], COMMANDS, 'dovediag'),
      "'migration' is followed by a command: 'dovediag migration check results.csv --phase final'",
    )
    assert.match(commandNotFoundMessage('wave.jsonl', [], COMMANDS, 'dovediag'), /'dovediag migration check wave\.jsonl'/)
    assert.match(commandNotFoundMessage('/var/log/mail.log', [], COMMANDS, 'dovediag'), /'dovediag logs \/var\/log\/mail\.log'/)
    assert.match(commandNotFoundMessage('zzzz', [], COMMANDS, 'dovediag'), /see 'dovediag --help'/)
  })

  it('the installed CLI says it in one line on stderr with status 64', async () => {
    const typo = await spawnCli(['lgos', 'fixtures/sample.log'])
    assert.equal(typo.status, 64)
    assert.equal(typo.stdout, '')
    assert.equal(typo.stderr, "dovediag: 'lgos' is not a command: did you mean 'dovediag logs fixtures/sample.log'?\n")
    const topic = await spawnCli(['migration', 'results.csv'])
    assert.equal(topic.status, 64)
    assert.match(topic.stderr, /'dovediag migration check results\.csv'/)
  })

  it('-h and -v work like --help and --version', async () => {
    const version = await spawnCli(['-v'])
    assert.equal(version.status, 0)
    assert.match(version.stdout, /^dovediag\/\d+\.\d+\.\d+ /)
    const help = await spawnCli(['exit', '-h'])
    assert.equal(help.status, 0)
    assert.match(help.stdout, /USAGE\n\s+\$ dovediag exit/)
  })
})

describe('a mistyped flag gets a suggestion', () => {
  it('--sinse: did you mean --since', async () => {
    const {stderr, status} = await run(['logs', '--sinse', '2h', 'fixtures/sample.log'])
    assert.equal(status, 64)
    assert.match(stderr, /Nonexistent flag: --sinse \(--sinse: did you mean --since\?\)/)
  })

  it('every unknown flag of several gets its own suggestion, and a value after = is not part of the name', () => {
    assert.equal(
      parseErrorHint('Nonexistent flags: --sinse=2h, --usr', ['since', 'user', 'until']),
      'Nonexistent flags: --sinse=2h, --usr (--sinse: did you mean --since?; --usr: did you mean --user?)',
    )
    assert.equal(parseErrorHint('Nonexistent flag: --zzzzzz', ['since']), 'Nonexistent flag: --zzzzzz (see --help for the flags)')
  })

  it('a mistyped value of a flag that takes one of a set names the nearest values', async () => {
    const {stderr, status} = await run(['logs', '--level', 'eror', 'fixtures/sample.log'])
    assert.equal(status, 64)
    assert.equal(
      stderr,
      'dovediag: Expected --level=eror to be one of: debug, info, warning, error, fatal, panic (did you mean --level=error?)\n',
    )
    assert.equal(
      parseErrorHint('Expected --min-severity=hgh to be one of: low, medium, high, critical', []),
      'Expected --min-severity=hgh to be one of: low, medium, high, critical (did you mean --min-severity=high?)',
    )
    // Nothing near: oclif's list alone says what is allowed.
    assert.equal(
      parseErrorHint('Expected --format=zzzzzz to be one of: text, markdown', []),
      'Expected --format=zzzzzz to be one of: text, markdown',
    )
  })

  it('logs --format json points to --json', async () => {
    const {stderr, status} = await run(['logs', '--format', 'json', 'fixtures/sample.log'])
    assert.equal(status, 64)
    assert.match(stderr, /for JSON, use --json/)
    assert.match(parseErrorHint('Expected --format=jsn to be one of: text, markdown', []), /\(for JSON, use --json\)$/)
    assert.match(parseErrorHint('Expected --format=JSON to be one of: text, markdown', []), /\(for JSON, use --json\)$/)
    // One letter that json happens to hold is no typo of it.
    assert.equal(
      parseErrorHint('Expected --format=n to be one of: text, nagios', []),
      'Expected --format=n to be one of: text, nagios (did you mean --format=nagios?)',
    )
  })
})

describe('exit codes by name', () => {
  it('exit TEMPFAL suggests EX_TEMPFAIL, as explain does', async () => {
    const exit = await run(['exit', 'TEMPFAL'])
    assert.equal(exit.status, 64)
    assert.match(exit.stderr, /did you mean EX_TEMPFAIL\?/)
    const explain = await run(['explain', 'TEMPFAL'])
    assert.equal(explain.status, 64)
    assert.match(explain.stderr, /did you mean EX_TEMPFAIL\?/)
  })

  it('exit --check --quiet prints nothing: the status answers', async () => {
    for (const [code, expected] of [
      ['0', 0],
      ['75', 1],
      ['77', 3],
    ] as const) {
      const {stdout, stderr, status} = await run(['exit', code, '--check', '--quiet'])
      assert.equal(status, expected, code)
      assert.equal(stdout + stderr, '', code)
    }
  })
})
