import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'ntpd-time-reset',
  kind: 'fact',
  title: 'ntpd stepped the clock',
  literal: 'time reset',
  patterns: [/^time reset (?<offset>[+-]?\d+(?:\.\d+)?) s/],
  conditions: {programs: ['ntpd']},
  facts: {offset: 'How far the clock was moved, in seconds (negative = backwards).'},
  explanation: 'ntpd stepped the clock instead of slewing it; a backwards step makes Dovecot log "Time moved backwards".',
  event: (facts, program) => `${program} stepped the clock by ${facts.offset} s`,
  activity: 'clockSteps',
  docs: DOCS.errors('time-synchronization'),
  examples: {
    match: [{line: 'Nov 23 10:00:00 mail1 ntpd[17697]: time reset -2.075483 s', facts: {offset: '-2.075483'}}],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=9, msgid=<a9@example.com>, size=100, subject=time reset -2.0 s',
        why: 'Dovecot quoting the words is not ntpd',
      },
    ],
  },
})
