/**
 * The catalog: every rule, in one explicit list (ESLint's rules index). Add a rule by adding its file under
 * rules/ and one line here; ids are stable and never reused.
 */
import type {Rule} from './rule.js'
import alreadyRunning from './rules/already-running.js'
import authFailed from './rules/auth-failed.js'
import authHandshakeTimeout from './rules/auth-handshake-timeout.js'
import authProcessBroken from './rules/auth-process-broken.js'
import cachedSizeMismatch from './rules/cached-size-mismatch.js'
import childKilledSignal from './rules/child-killed-signal.js'
import chownEperm from './rules/chown-eperm.js'
import chronydClockStepped from './rules/chronyd-clock-stepped.js'
import configError from './rules/config-error.js'
import diskFull from './rules/disk-full.js'
import dovecotExitStatus from './rules/dovecot-exit-status.js'
import dsyncDesync from './rules/dsync-desync.js'
import fatalUnrecognized from './rules/fatal-unrecognized.js'
import ftsFailed from './rules/fts-failed.js'
import indexCacheCorrupted from './rules/index-cache-corrupted.js'
import indexCacheMmapEnomem from './rules/index-cache-mmap-enomem.js'
import indexCacheTooLarge from './rules/index-cache-too-large.js'
import indexFixed from './rules/index-fixed.js'
import initialStatusTimeout from './rules/initial-status-timeout.js'
import invalidUidMessageset from './rules/invalid-uid-messageset.js'
import kernelOomKill from './rules/kernel-oom-kill.js'
import killedWithSignal from './rules/killed-with-signal.js'
import ldaDeliveryFailed from './rules/lda-delivery-failed.js'
import ldapConnectFailed from './rules/ldap-connect-failed.js'
import listenFailed from './rules/listen-failed.js'
import lockTimeout from './rules/lock-timeout.js'
import login from './rules/login.js'
import logout from './rules/logout.js'
import mailDelivered from './rules/mail-delivered.js'
import mailMaxUseripConnections from './rules/mail-max-userip-connections.js'
import maildirFilenameChanging from './rules/maildir-filename-changing.js'
import mdboxMapInconsistent from './rules/mdbox-map-inconsistent.js'
import mkdirEacces from './rules/mkdir-eacces.js'
import negativeUidCommand from './rules/negative-uid-command.js'
import netConnectUnixEagain from './rules/net-connect-unix-eagain.js'
import ntpdTimeReset from './rules/ntpd-time-reset.js'
import panic from './rules/panic.js'
import passwdFileUnreadable from './rules/passwd-file-unreadable.js'
import privilegedGroupEperm from './rules/privileged-group-eperm.js'
import processLimitReached from './rules/process-limit-reached.js'
import quotaExceeded from './rules/quota-exceeded.js'
import quotaWarningFailed from './rules/quota-warning-failed.js'
import selinuxAvcDenied from './rules/selinux-avc-denied.js'
import serviceSocketRefused from './rules/service-socket-refused.js'
import setuidSetgidFailed from './rules/setuid-setgid-failed.js'
import sieveDelivered from './rules/sieve-delivered.js'
import sqlConnectFailed from './rules/sql-connect-failed.js'
import startupLimitsLow from './rules/startup-limits-low.js'
import statsWriterEacces from './rules/stats-writer-eacces.js'
import statsWriterUnavailable from './rules/stats-writer-unavailable.js'
import timeMovedBackwards from './rules/time-moved-backwards.js'
import timeMovedForwards from './rules/time-moved-forwards.js'
import tlsHandshakeFailed from './rules/tls-handshake-failed.js'
import tlsMinProtocolInvalid from './rules/tls-min-protocol-invalid.js'
import tlsNoProtocols from './rules/tls-no-protocols.js'
import tlsSetupFailed from './rules/tls-setup-failed.js'
import transactionLogCorrupted from './rules/transaction-log-corrupted.js'
import uidlistBroken from './rules/uidlist-broken.js'
import uidvalidityChanged from './rules/uidvalidity-changed.js'
import vszLimitOom from './rules/vsz-limit-oom.js'

/** Every rule, sorted by id. */
export const RULES: readonly Rule[] = [
  alreadyRunning,
  authFailed,
  authHandshakeTimeout,
  authProcessBroken,
  cachedSizeMismatch,
  childKilledSignal,
  chownEperm,
  chronydClockStepped,
  configError,
  diskFull,
  dovecotExitStatus,
  dsyncDesync,
  fatalUnrecognized,
  ftsFailed,
  indexCacheCorrupted,
  indexCacheMmapEnomem,
  indexCacheTooLarge,
  indexFixed,
  initialStatusTimeout,
  invalidUidMessageset,
  kernelOomKill,
  killedWithSignal,
  ldaDeliveryFailed,
  ldapConnectFailed,
  listenFailed,
  lockTimeout,
  login,
  logout,
  mailDelivered,
  mailMaxUseripConnections,
  maildirFilenameChanging,
  mdboxMapInconsistent,
  mkdirEacces,
  negativeUidCommand,
  netConnectUnixEagain,
  ntpdTimeReset,
  panic,
  passwdFileUnreadable,
  privilegedGroupEperm,
  processLimitReached,
  quotaExceeded,
  quotaWarningFailed,
  selinuxAvcDenied,
  serviceSocketRefused,
  setuidSetgidFailed,
  sieveDelivered,
  sqlConnectFailed,
  startupLimitsLow,
  statsWriterEacces,
  statsWriterUnavailable,
  timeMovedBackwards,
  timeMovedForwards,
  tlsHandshakeFailed,
  tlsMinProtocolInvalid,
  tlsNoProtocols,
  tlsSetupFailed,
  transactionLogCorrupted,
  uidlistBroken,
  uidvalidityChanged,
  vszLimitOom,
]

/** Rules that become findings. */
export const PROBLEM_RULES: readonly Rule[] = RULES.filter((rule) => rule.kind === 'problem')

/** Rules whose matches are only counted (logins, logouts, deliveries, clock steps). */
export const FACT_RULES: readonly Rule[] = RULES.filter((rule) => rule.kind === 'fact')

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]))

export const ruleById = (id: string): Rule | undefined => BY_ID.get(id)

/** The distinct prefilter literals: what a chunk scanner searches for before any line is parsed. */
export const RULE_LITERALS: readonly string[] = [...new Set(RULES.filter((rule) => !rule.fallback).map((rule) => rule.literal))]
