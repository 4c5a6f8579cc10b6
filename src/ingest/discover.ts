import type * as ChildProcess from 'node:child_process'
import {createRequire} from 'node:module'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

import {fileInput} from '../input/resolve.js'
import type {LogInput} from './inputs.js'
import {orderRotatedSets} from './rotation.js'

/** What discovery asks of the machine; replaced in tests. */
export interface DiscoveryHost {
  /** The output lines of `doveconf -h log_path info_log_path debug_log_path`, or an error message. */
  doveconf(): {values: string[]} | {error: string}
  /** journalctl is installed and systemd is running, so the journal can be read. */
  hasJournal(): boolean
  /** `path` is a regular file (SUSE's mail log is the file /var/log/mail). */
  isFile(path: string): boolean
  list(dir: string): string[]
}

const LOG_SETTINGS = ['log_path', 'info_log_path', 'debug_log_path'] as const

/** How the journal is read: Dovecot's unit and its syslog ident, as JSON (which carries the priority). */
const JOURNAL_INPUT = {
  command: 'journalctl',
  args: ['--no-pager', '-o', 'json', '_SYSTEMD_UNIT=dovecot.service', '+', 'SYSLOG_IDENTIFIER=dovecot'],
}

// Where distributions put the syslog mail log (Debian/Ubuntu, RHEL/Fedora, SUSE), and where Dovecot's own
// log files usually are when doveconf cannot say.
const MAIL_LOGS = ['/var/log/mail.log', '/var/log/maillog', '/var/log/mail']
const DOVECOT_LOGS = ['/var/log/dovecot.log', '/var/log/dovecot-info.log', '/var/log/dovecot-debug.log', '/var/log/dovecot/dovecot.log']

export interface Discovery {
  inputs: LogInput[]
  /** Why these inputs (or none): shown on stderr. */
  notes: string[]
}

/**
 * Finds the logs of the local Dovecot when no input is given: its own settings first (doveconf), where
 * `syslog` means the distribution's mail log, or the journal on systemd machines; without doveconf, the
 * usual places. Each input carries the reason it was chosen. `root` prefixes the well-known paths (tests).
 */
export function discoverInputs(host: DiscoveryHost = systemHost(), root = ''): Discovery {
  const notes: string[] = []
  const inputs: LogInput[] = []
  const conf = host.doveconf()
  if ('values' in conf) {
    const seen = new Set<string>()
    LOG_SETTINGS.forEach((setting, index) => {
      const value = conf.values[index]?.trim() ?? ''
      if (value === '' || seen.has(value)) return // empty: same as log_path
      seen.add(value)
      const why = `doveconf: ${setting} = ${value}`
      if (value === 'syslog') inputs.push(...syslogInputs(host, root, why, notes))
      else if (value.startsWith('/dev/')) inputs.push(...journalInputs(host, why, notes))
      else inputs.push(...rotatedSet(host, value, why))
    })
  } else {
    notes.push(`doveconf is not available (${conf.error}): looking in the usual places`)
    for (const path of DOVECOT_LOGS) inputs.push(...rotatedSet(host, root + path, 'a usual place for Dovecot logs'))
    if (inputs.length === 0) inputs.push(...syslogInputs(host, root, 'the distribution mail log', notes))
  }

  if (inputs.length === 0) notes.push('no Dovecot logs found on this machine')
  return {inputs, notes}
}

function syslogInputs(host: DiscoveryHost, root: string, why: string, notes: string[]): LogInput[] {
  for (const path of MAIL_LOGS) {
    const files = rotatedSet(host, root + path, `${why}: the distribution's mail log`)
    if (files.length > 0) return files
  }

  return journalInputs(host, `${why}: no mail log file, so the journal`, notes)
}

function journalInputs(host: DiscoveryHost, why: string, notes: string[]): LogInput[] {
  if (host.hasJournal()) return [{kind: 'command', name: 'journal', ...JOURNAL_INPUT, reason: why}]
  notes.push(`${why}, but there is no journal to read (journalctl or systemd missing)`)
  return []
}

/** The file and its rotated siblings (`.1`, `.2.gz`, `-20261122`), oldest first; nothing if the file is missing. */
function rotatedSet(host: DiscoveryHost, path: string, why: string): LogInput[] {
  if (!host.isFile(path)) return []
  const dir = dirname(path)
  const name = basename(path)
  const siblings = host.list(dir).filter((entry) => entry.startsWith(name) && /^(\.\d+|-\d{8})(\.gz)?$/.test(entry.slice(name.length)))
  return orderRotatedSets([path, ...siblings.map((entry) => join(dir, entry))].map((file) => fileInput(file, why)))
}

/**
 * node:child_process, required when discovery first runs a program: loading it costs every `logs` run ~15 M
 * instructions, and a run given its logs never needs it (test/cli/manifest.test.ts). Required, not imported:
 * the host's methods are synchronous.
 */
const childProcess = (): typeof ChildProcess => createRequire(import.meta.url)('node:child_process') as typeof ChildProcess

function systemHost(): DiscoveryHost {
  return {
    doveconf() {
      const run = childProcess().spawnSync('doveconf', ['-h', ...LOG_SETTINGS], {encoding: 'utf8', timeout: 10_000})
      if (run.error) return {error: (run.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed' : run.error.message}
      if (run.status !== 0) return {error: run.stderr.trim().split('\n')[0] || `exit status ${run.status}`}
      return {values: run.stdout.split('\n')}
    },
    hasJournal() {
      return existsSync('/run/systemd/system') && childProcess().spawnSync('journalctl', ['--version'], {timeout: 5000}).status === 0
    },
    isFile: (path) => statSync(path, {throwIfNoEntry: false})?.isFile() ?? false,
    list(dir) {
      try {
        return readdirSync(dir)
      } catch {
        return []
      }
    },
  }
}
