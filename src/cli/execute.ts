// bin/run.js starts the CLI through this module, so that the build's bundle gives it the very copy of
// @oclif/core that the bundled commands use (scripts/bundle.mjs).
export {execute} from '@oclif/core/execute'
