#!/usr/bin/env node
// Writes oclif.manifest.json from the build in dist/: the list of commands with their flags and args, so that
// a run loads only the command it runs instead of importing every command to learn what they are (about half
// of `dovediag exit 75`'s start-up). Part of `npm run build`, right after dist/ is replaced, so the manifest
// always describes the dist/ beside it; bin/dev.js (the sources) never reads it.
import {Plugin} from '@oclif/core'
import {writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// What `oclif manifest` does, without loading the oclif CLI (seconds of start-up): read the commands, not a manifest.
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true})
await plugin.load()
writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify(plugin.manifest, null, 2) + '\n')
