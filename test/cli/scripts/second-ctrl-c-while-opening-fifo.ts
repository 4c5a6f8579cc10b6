// A run waiting to open a FIFO that no writer opened yet (a thread-pool request blocked for ever) with Ctrl-C
// handled as the CLI does: prints `ready` once it waits; the test then sends SIGINT twice.
import {open} from 'node:fs/promises'

import {ReadInterrupt} from '../../../src/cli/interrupt.js'

const interrupt = new ReadInterrupt('dovediag')
const opening = open(process.argv[2], 'r')
process.stdout.write('ready\n')
await opening
interrupt.stop()
