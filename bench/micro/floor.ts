/**
 * The plugin floor against bare Fastify, and nothing else: `npx tsx bench/micro/floor.ts
 * [--rounds 6] [--seconds 3] [--cases extra.json]` measures `bare-fastify`, `gh-floor` (async
 * dependencies) and `gh-floor` with `sync: true` through the same throughput stage as
 * `npm run bench`, in interleaved rounds, and prints the lowest server CPU µs per request of each
 * and its capacity ratio to bare Fastify. It writes no report.
 *
 * `--cases` adds throughput cases from a JSON file (an array of `{ id, label, script, options,
 * expect }` with `expect` `"hello"` or `"protected"`), for trying variants of a case.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { HELLO, type Expectation } from '../lib/check.js'
import { leastCpuPerRequest, runThroughput, type ThroughputCase } from '../lib/throughput.js'

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '3' },
    cases: { type: 'string' },
  },
})

const PROTECTED: Expectation = { ...HELLO, protected: true }

const CASES: ThroughputCase[] = [
  { id: 'bare-fastify', label: 'bare Fastify', script: 'bare-fastify', expect: HELLO },
  { id: 'gh-floor', label: 'floor, async deps', script: 'gatehouse-floor', expect: PROTECTED },
  {
    id: 'gh-floor-sync',
    label: 'floor, sync deps',
    script: 'gatehouse-floor',
    options: { sync: true },
    expect: PROTECTED,
  },
]

interface ExtraCase extends Omit<ThroughputCase, 'expect'> {
  readonly expect: 'hello' | 'protected'
}

function extraCases(file: string | undefined): ThroughputCase[] {
  if (file === undefined) return []
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as ExtraCase[] // bench-only input
  return parsed.map((c) => ({ ...c, expect: c.expect === 'hello' ? HELLO : PROTECTED }))
}

const outcomes = await runThroughput(
  [...CASES, ...extraCases(flags.cases)],
  {
    connections: 64,
    warmupSeconds: 1,
    seconds: Number(flags.seconds),
    rounds: Number(flags.rounds),
  },
  (line) => process.stderr.write(`${line}\n`),
)
const bare = leastCpuPerRequest(outcomes[0] as (typeof outcomes)[number])
for (const outcome of outcomes) {
  const cpu = leastCpuPerRequest(outcome)
  const ratio = cpu === undefined || bare === undefined ? 'n/a' : (bare / cpu).toFixed(3)
  const runs = outcome.runs.map((r) => r.cpuMicrosPerRequest.toFixed(1)).join(', ')
  const line = `${outcome.case.label.padEnd(24)} ${cpu?.toFixed(2) ?? 'n/a'} µs/req`
  process.stdout.write(`${line}  capacity ÷ bare ${ratio}  (runs: ${runs})\n`)
}
