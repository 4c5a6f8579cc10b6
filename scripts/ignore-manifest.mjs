// For runs of the sources (bin/dev.js, the tests): oclif.manifest.json describes the last build (dist/), and
// the sources may have other commands or flags since. oclif has no option for it, so its root plugin is told
// to read its commands as it does without a manifest. Imported for its effect.
import {Plugin} from '@oclif/core'

const readManifest = Plugin.prototype._manifest
Plugin.prototype._manifest = function () {
  if (this.isRoot) this.options.ignoreManifest = true
  return readManifest.call(this)
}
