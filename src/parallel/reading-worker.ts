// The worker thread of src/parallel/parallel-reading.ts: reads one input, or the second half of one file,
// and diagnoses it exactly as the main thread would, then sends back its counts and findings as plain data.
import {parentPort, workerData} from 'node:worker_threads'

import {loadRuleSet} from '../user-rules/rule-set.js'
import {Diagnoser} from '../diagnosis/diagnose.js'
import type {InputStats} from '../ingest/input-stats.js'
import {readLogs, type PartEnd} from '../ingest/read-logs.js'
import {rawRecognizer} from '../match/raw-recognizer.js'
import type {InputProblem} from '../input/problem.js'
import type {WorkerJob, WorkerResult} from './parallel-reading.js'

const job = workerData as WorkerJob
const progress = new Float64Array(job.progress)
let result: WorkerResult = null
try {
  const ruleSet = await loadRuleSet(job.rulesFiles)
  const diagnoser = new Diagnoser({...job.diagnose, rules: ruleSet.rules})
  const part = job.part && {
    ...job.part,
    warmUp: Buffer.from(job.part.warmUp.buffer, job.part.warmUp.byteOffset, job.part.warmUp.byteLength),
  }
  const problems: InputProblem[] = []
  let stats: InputStats | null = null
  let partEnd: PartEnd | null = null
  const signal = job.interruptible ? new AbortController().signal : undefined
  const reading = readLogs([job.input], {
    timeZone: job.timeZone,
    recognizeRaw: job.rawFallback ? rawRecognizer(ruleSet.rules) : undefined,
    maxLineBytes: job.maxLineBytes,
    part: part ?? undefined,
    signal,
    onProgress: (p) => (progress[0] = p.read),
  })
  for await (const event of reading) {
    if (event.type === 'records') for (const record of event.records) diagnoser.add(record)
    else if (event.type === 'problem') problems.push(event.problem)
    else if (event.type === 'input-done') stats = event.stats
    else partEnd = event.part
  }
  if (partEnd !== null || stats !== null) result = {diagnosis: diagnoser.part(), part: partEnd, whole: stats && {problems, stats}}
} catch {
  result = null // the main thread reads the input itself, and meets the same error there if it is one
}
parentPort!.postMessage(result)
