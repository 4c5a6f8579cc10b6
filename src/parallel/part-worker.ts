// The worker thread of src/parallel/split-input.ts: reads the second half of one file and diagnoses it
// exactly as the main thread would, then sends back its counts and findings as plain data.
import {parentPort, workerData} from 'node:worker_threads'

import {loadRuleSet} from '../catalog/rule-set.js'
import {Diagnoser} from '../diagnosis/diagnose.js'
import {readLogs} from '../ingest/read-logs.js'
import type {PartJob, PartResult} from './split-input.js'

const job = workerData as PartJob
const progress = new Float64Array(job.progress)
let result: PartResult = null
try {
  const ruleSet = await loadRuleSet(job.rulesFiles)
  const diagnoser = new Diagnoser({...job.diagnose, rules: ruleSet.rules})
  const warmUp = Buffer.from(job.warmUp.buffer, job.warmUp.byteOffset, job.warmUp.byteLength)
  const part = {start: job.start, warmUp, reference: job.reference}
  for await (const event of readLogs([job.input], {timeZone: job.timeZone, maxLineBytes: job.maxLineBytes, part, onProgress: (p) => (progress[0] = p.read)})) {
    if (event.type === 'records') for (const record of event.records) diagnoser.add(record)
    else if (event.type === 'part-done') result = {part: event.part, diagnosis: diagnoser.part()}
  }
} catch {
  result = null // the main thread reads the part itself, and meets the same error there if it is one
}
parentPort!.postMessage(result)
