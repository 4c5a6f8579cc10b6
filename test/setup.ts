/**
 * Loaded before every test file (`--import ./test/setup.ts` in package.json's test scripts).
 *
 * Tests assert times as a user in UTC sees them; the zone is set here, not in the npm script, so the suite
 * passes under any TZ a machine or CI has (Node applies a TZ assigned at run time, and child processes the
 * tests spawn inherit it). A test about another zone passes its own TZ to the process it runs.
 */
process.env.TZ = 'UTC'

// Tests of what a report says read it on a wide terminal, so a sentence is not broken where they look for it;
// test/render/terminal-width.test.ts (and any test that passes its own COLUMNS) checks the fit at 60, 80, 120.
process.env.COLUMNS = '240'
