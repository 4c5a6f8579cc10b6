#!/usr/bin/env -S node --import tsx
// Runs the TypeScript sources directly (no build), for development.
import '../scripts/ignore-manifest.mjs'
import {execute} from '@oclif/core'

await execute({development: true, dir: import.meta.url})
