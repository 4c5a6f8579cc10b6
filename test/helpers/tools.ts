import {execFileSync} from 'node:child_process'

/**
 * For `describe(..., {skip})` around tests that run a real program from Debian (logrotate, promtool):
 * false when it is installed; else the reason to skip, shown in the test report. CI (.ci/run) installs
 * them and sets DOVEDIAG_REQUIRE_TOOLS=1, where a missing one fails instead of skipping.
 */
export function skipWithout(program: string, versionArgs: string[], debianPackage: string): false | string {
  try {
    execFileSync(program, versionArgs, {stdio: 'ignore'})
    return false
  } catch {
    const reason = `${program} is not installed (apt-get install ${debianPackage})`
    if (process.env.DOVEDIAG_REQUIRE_TOOLS === '1') throw new Error(`${reason}, and DOVEDIAG_REQUIRE_TOOLS=1 (CI) requires it`)
    return reason
  }
}
