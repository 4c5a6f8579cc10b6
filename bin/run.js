#!/usr/bin/env node
import {execute} from '../dist/cli/execute.js'
import {setFlagsFromString} from 'node:v8'

// Reading a log allocates a record per line that dies at once. V8 sometimes starts allocating such objects
// straight into the old generation ("pretenuring", after a moment when many survived), which then fills with
// garbage until a full GC: peak memory jumped by ~50 MB in about one run in five. Off for the whole process.
setFlagsFromString('--no-allocation-site-pretenuring')

await execute({dir: import.meta.url})
