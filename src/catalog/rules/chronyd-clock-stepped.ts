import {DOCS} from '../docs.js'
import {defineRule} from '../rule.js'

export default defineRule({
  id: 'chronyd-clock-stepped',
  kind: 'fact',
  title: 'chronyd stepped the clock',
  literal: 'System clock was stepped',
  patterns: [/^System clock was stepped by (?<offset>[+-]?\d+(?:\.\d+)?) seconds/],
  conditions: {programs: ['chronyd']},
  facts: {offset: 'How far the clock was moved, in seconds (negative = backwards).'},
  explanation:
    'chronyd stepped the clock (its `makestep` setting) instead of slewing it; a backwards step makes Dovecot log "Time moved backwards".',
  event: (facts, program) => `${program} stepped the clock by ${facts.offset} s`,
  activity: 'clockSteps',
  docs: DOCS.errors('time-synchronization'),
  examples: {
    match: [{line: 'Nov 23 10:00:00 mail1 chronyd[812]: System clock was stepped by -2.000123 seconds', facts: {offset: '-2.000123'}}],
    nearMiss: [
      {
        line: 'Nov 23 10:00:00 mail1 dovecot: imap(jdoe)<1234><AbCdEf12>: Info: save: box=INBOX, uid=4, msgid=<a4@example.com>, size=100, subject=System clock was stepped by 2 seconds',
        why: 'Dovecot quoting the words is not chronyd',
      },
    ],
  },
})
