import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'config-error',
  kind: 'problem',
  title: "Dovecot's configuration has an error, so it did not start or reload",
  severity: 'critical',
  // src/config/config-parser.c: "Error in configuration file %s line %d: %s" (2.2 :1063, 2.3.19 :1078, 2.4.4 :3451) and
  // "Error in configuration file %s: %s" (no line). doveconf prints it as a Fatal and exits 89, so the master
  // (which runs doveconf to read its settings) does not start; on a reload the old settings stay.
  // Inner texts: "Unknown setting: %s" (2.4 may put "<key>: " first), 2.4's "The first setting must be
  // dovecot_config_version" / "Invalid dovecot_config_version: %s", "<key>: Can't open file %s: %m" for `<file` values.
  literal: 'Error in configuration file',
  patterns: [
    /^Error in configuration file (?<file>[^\s:]+)(?: line (?<lineNo>\d+))?: (?<error>(?:[\w/]+: )?Unknown setting: (?<setting>[\w/]+)|(?:The first setting must be |Invalid )(?<configVersion>dovecot_config_version)|(?<key>[\w/]+): Can't open file (?<missingFile>[^\s:]+)|[^\n]+)/,
  ],
  conditions: {levels: ['fatal', 'error']},
  facts: {
    file: 'The configuration file.',
    lineNo: 'The line in it.',
    error: 'What is wrong.',
    setting: 'A setting name Dovecot does not know (misspelt, from another version, or from a plugin not loaded).',
    configVersion: 'Present when Dovecot 2.4 wants `dovecot_config_version` as the first setting.',
    key: 'The setting whose file could not be read.',
    missingFile: 'The file a `<file` value names.',
  },
  summary: {by: ['file', 'lineNo', 'error'], format: (f, n) => `${f.file}${f.lineNo ? ` line ${f.lineNo}` : ''}: ${f.error}: ${n} time(s)`},
  variants: [
    {
      id: 'config-version',
      whenFact: 'configVersion',
      explanation:
        'Dovecot 2.4 reads a configuration only when it starts with `dovecot_config_version` (and `dovecot_storage_version`): this is a 2.3 configuration, or the line was removed.',
      remedy: [
        'Put `dovecot_config_version = 2.4.0` (the version the file is written for) and `dovecot_storage_version = 2.4.0` at the top of dovecot.conf.',
        'Then convert the rest: 2.4 renamed or removed many settings (mail_location, ssl_cert, passdb/userdb args, ...); follow the upgrade guide from 2.3 and test with `doveconf -n` until it prints no error.',
      ],
    },
    {
      id: 'unknown-setting',
      whenFact: 'setting',
      explanation:
        'Dovecot does not know this setting name: a typo, a setting from another Dovecot version (2.4 renamed many: mail_location became mail_driver/mail_path, ssl_cert became ssl_server_cert_file), or a plugin setting outside its plugin block.',
      remedy: [
        'Open the file at the line given and fix the name: `doveconf -a | grep <part of the name>` lists the settings this version knows.',
        'After an upgrade to 2.4, rename the setting as the upgrade guide says (`doveconf -n` stops at the first unknown one: repeat until it prints the configuration).',
      ],
    },
    {
      id: 'missing-file',
      whenFact: 'missingFile',
      explanation: 'A setting reads its value from a file (`<path`, e.g. ssl_cert, ssl_key) that does not exist or cannot be read.',
      remedy: [
        'Check the path in the line (`ls -l <file>`): renew or restore the certificate or key, or fix the path; it must be readable by root when Dovecot starts.',
      ],
    },
  ],
  explanation:
    'doveconf found an error in the configuration and stopped (exit status 89). When this happens at start, the ' +
    'Dovecot master does not start at all: no IMAP, POP3 or LMTP. On a reload (`doveadm reload`, SIGHUP) the running ' +
    'Dovecot keeps its old settings, and the next restart will fail.',
  remedy: [
    'Run `doveconf -n`: it prints the same error with the file and line; fix that line and repeat until it prints the configuration.',
    'Then start (or reload) Dovecot and check `systemctl status dovecot` / `doveadm service status`.',
  ],
  // The master or a service that read the broken configuration stops right after.
  companions: [{literal: 'Error reading configuration'}],
  docs: DOCS.configOverview,
  examples: {
    match: [
      {
        line: 'doveconf: Fatal: Error in configuration file /tmp/catalog-lab/typo.conf line 9: Unknown setting: mail_locaton',
        version: '2.3',
        facts: {file: '/tmp/catalog-lab/typo.conf', lineNo: '9', setting: 'mail_locaton'},
        variant: 'unknown-setting',
      },
      {
        line: 'Mar 14 04:30:40 web03 dovecot[2040]: doveconf: Fatal: Error in configuration file /etc/dovecot/conf.d/10-ssl.conf line 59: ssl_cert: Unknown setting: ssl_cert',
        version: '2.4',
        facts: {setting: 'ssl_cert', lineNo: '59'},
        variant: 'unknown-setting',
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot[812]: doveconf: Fatal: Error in configuration file /etc/dovecot/dovecot.conf line 1: The first setting must be dovecot_config_version',
        version: '2.4',
        variant: 'config-version',
      },
      {
        line: "doveconf: Fatal: Error in configuration file /tmp/catalog-lab/sslcert.conf line 36: ssl_cert: Can't open file /tmp/catalog-lab/nocert.pem: No such file or directory",
        version: '2.3',
        facts: {key: 'ssl_cert', missingFile: '/tmp/catalog-lab/nocert.pem'},
        variant: 'missing-file',
      },
      {
        line: 'doveconf: Fatal: Error in configuration file /tmp/catalog-lab/badvalue.conf line 4: Invalid value: maybe',
        version: '2.3',
        facts: {error: 'Invalid value: maybe'},
      },
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: master: Fatal: Error in configuration file /etc/dovecot/dovecot.conf line 36: Invalid port number 99999',
        version: '2.2',
        facts: {error: 'Invalid port number 99999'},
      },
    ],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 imap(jdoe)<1234><AbCdEf12>: Info: Error in configuration file is what the client said',
        why: 'Info: not an error',
      },
    ],
  },
})
