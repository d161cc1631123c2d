/**
 * Turns one run's results into the ratios the issue sets as targets, a console table, and the
 * Markdown of docs/benchmarks.md.
 */
import type { MachineInfo } from './machine.js'
import type { MemoryResult, StormResult } from './stages.js'
import {
  bestRun,
  leastCpuPerRequest,
  type CaseOutcome,
  type ThroughputSettings,
} from './throughput.js'

/** Everything one run measured. */
export interface BenchResults {
  readonly mode: 'full' | 'quick'
  /** ISO 8601 time the run started. */
  readonly startedAt: string
  readonly seconds: number
  readonly machine: MachineInfo
  readonly settings: ThroughputSettings
  readonly throughput: readonly CaseOutcome[]
  /** µs per token verification by method (full, and a verified-token cache hit). */
  readonly verifyCost?: Readonly<Record<string, number>>
  readonly argon2: { readonly oneCore?: number; readonly twoCores?: number }
  readonly logins: { readonly oneCore?: number; readonly twoCores?: number }
  readonly storm?: StormResult
  readonly memory?: MemoryResult
  /** Stages that could not run, with the reason. */
  readonly failures: readonly string[]
}

/** One ratio checked against its goal. */
export interface TargetRow {
  readonly name: string
  /** The value the verdict is based on (for throughput: the server-CPU capacity ratio). */
  readonly measured: number | undefined
  /** For throughput ratios: the same ratio from req/s, which other work on the machine skews. */
  readonly byRps?: number | undefined
  readonly goal: string
  readonly pass: boolean | undefined
  /** True for targets the issue sets; false for context rows. */
  readonly isTarget: boolean
}

function outcomeOf(results: BenchResults, id: string): CaseOutcome | undefined {
  return results.throughput.find((o) => o.case.id === id)
}

function rps(results: BenchResults, id: string): number | undefined {
  const outcome = outcomeOf(results, id)
  return outcome === undefined ? undefined : bestRun(outcome)?.rps
}

/** Requests per second one core could serve, from the server's CPU time per request. */
function capacity(results: BenchResults, id: string): number | undefined {
  const outcome = outcomeOf(results, id)
  const micros = outcome === undefined ? undefined : leastCpuPerRequest(outcome)
  return micros === undefined ? undefined : 1e6 / micros
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b
}

interface Goal {
  readonly kind: 'atLeast' | 'atMost' | 'info'
  readonly value?: number
}

function row(name: string, measured: number | undefined, goal: Goal, byRps?: number): TargetRow {
  const value = goal.value ?? 0
  const pass =
    goal.kind === 'info' || measured === undefined
      ? undefined
      : goal.kind === 'atLeast' ? measured >= value : measured <= value
  return {
    name,
    measured,
    ...(byRps === undefined ? {} : { byRps }),
    goal: goal.kind === 'info' ? '—' : `${goal.kind === 'atLeast' ? '≥' : '≤'} ${value.toFixed(2)}`,
    pass,
    isTarget: goal.kind !== 'info',
  }
}

/** A throughput ratio `a ÷ b`: by server CPU capacity (the verdict) and by req/s. */
function throughputRow(results: BenchResults, name: string, a: string, b: string, goal: Goal): TargetRow {
  return row(
    name,
    ratio(capacity(results, a), capacity(results, b)),
    goal,
    ratio(rps(results, a), rps(results, b)),
  )
}

/** The issue's targets as ratios from this run, then context ratios. */
export function targetRows(results: BenchResults): TargetRow[] {
  const memory = results.memory
  const growth = memory === undefined ? undefined : (memory.afterKiB - memory.beforeKiB) / memory.beforeKiB
  const storm = results.storm
  const t = (name: string, a: string, b: string, goal: Goal): TargetRow => throughputRow(results, name, a, b, goal)
  const info: Goal = { kind: 'info' }
  return [
    // Judged against the plain bare route, the conservative denominator: parsing the header the
    // client sends is counted against Gatehouse. The same-request ratios follow as context.
    t('HS256 + revocation/status ÷ bare Fastify', 'gh-hs256-checked', 'bare-fastify', { kind: 'atLeast', value: 0.9 }),
    t('ES256 + revocation/status ÷ bare Fastify', 'gh-es256-checked', 'bare-fastify', { kind: 'atLeast', value: 0.8 }),
    t('EdDSA + revocation/status ÷ bare Fastify', 'gh-eddsa-checked', 'bare-fastify', { kind: 'atLeast', value: 0.8 }),
    t('Gatehouse HS256 ÷ @fastify/jwt (same route)', 'gh-hs256', 'fastify-jwt', { kind: 'atLeast', value: 1 }),
    row('logins/s ÷ raw argon2id verify/s (2 cores)', ratio(results.logins.twoCores, results.argon2.twoCores), { kind: 'atLeast', value: 0.9 }),
    row('logins/s ÷ raw argon2id verify/s (1 core)', ratio(results.logins.oneCore, results.argon2.oneCore), { kind: 'atLeast', value: 0.9 }),
    row('protected p99 during login storm ÷ idle p99', storm && ratio(storm.storm.p99Ms, storm.idle.p99Ms), { kind: 'atMost', value: 2 }),
    row(`RSS growth over ${memory ? formatCount(memory.requests) : '1 M'} requests`, growth, { kind: 'atMost', value: 0.1 }),
    t('HS256 + revocation/status ÷ bare Fastify sent the same request', 'gh-hs256-checked', 'bare-fastify-bearer', info),
    t('ES256 + revocation/status ÷ bare Fastify sent the same request', 'gh-es256-checked', 'bare-fastify-bearer', info),
    t('bare Fastify with the bearer request ÷ without', 'bare-fastify-bearer', 'bare-fastify', info),
    t('Gatehouse HS256 ÷ bare Fastify (same request)', 'gh-hs256', 'bare-fastify-bearer', info),
    t('Gatehouse plugin floor ÷ bare Fastify', 'gh-floor', 'bare-fastify', info),
    t('Gatehouse API key ÷ bare Fastify', 'gh-api-key', 'bare-fastify', info),
    t('Gatehouse HS256 + checks ÷ @fastify/jwt', 'gh-hs256-checked', 'fastify-jwt', info),
    t('@fastify/jwt ÷ bare Fastify', 'fastify-jwt', 'bare-fastify', info),
    t('jose bytes key ÷ bare Fastify', 'jose-bytes', 'bare-fastify', info),
    t('jose CryptoKey ÷ bare Fastify', 'jose-cryptokey', 'bare-fastify', info),
    t('bare Fastify ÷ bare node:http', 'bare-fastify', 'bare-http', info),
  ]
}

/** True when every case and stage ran and every request succeeded (targets aside). */
export function allRan(results: BenchResults): boolean {
  return results.failures.length === 0 && results.throughput.every((o) => o.error === undefined && o.runs.length > 0)
}

export function formatCount(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(Math.round(n))
}

function fixed(n: number | undefined, digits: number): string {
  return n === undefined ? 'n/a' : n.toFixed(digits)
}

function mib(kib: number | undefined): string {
  return kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(1)} MiB`
}

function verdict(row: TargetRow): string {
  if (!row.isTarget) return ''
  return row.pass === undefined ? 'MISS (not measured)' : row.pass ? 'PASS' : 'MISS'
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

/** The throughput table: best run per case, and the spread of all runs. */
export function throughputTable(results: BenchResults): string {
  const bare = rps(results, 'bare-fastify')
  const bareCapacity = capacity(results, 'bare-fastify')
  const rows = results.throughput.map((outcome) => {
    const best = bestRun(outcome)
    if (best === undefined) {
      const reason = (outcome.error ?? 'no run').split('\n')[0] ?? ''
      return [outcome.case.label, `FAILED: ${reason.replaceAll('|', '/')}`, '', '', '', '', '', '', '']
    }
    const all = outcome.runs.map((r) => Math.round(r.rps)).join(', ')
    const cpu = leastCpuPerRequest(outcome)
    return [
      outcome.case.label,
      String(Math.round(best.rps)),
      fixed(ratio(best.rps, bare), 2),
      fixed(cpu, 1),
      fixed(ratio(cpu === undefined ? undefined : 1e6 / cpu, bareCapacity), 2),
      fixed(best.p50Ms, 2),
      fixed(best.p99Ms, 2),
      mib(Math.max(...outcome.runs.map((r) => r.peakRssKiB))),
      all,
    ]
  })
  return table(
    ['case', 'req/s (best)', '÷ bare', 'server CPU µs/req', 'capacity ÷ bare', 'p50 ms', 'p99 ms', 'peak RSS', 'all runs req/s'],
    rows,
  )
}

/** The targets table. */
export function targetsTable(results: BenchResults): string {
  const rows = targetRows(results).map((r) => [r.name, fixed(r.measured, 3), r.byRps === undefined ? '' : fixed(r.byRps, 3), r.goal, verdict(r)])
  return table(['ratio', 'measured (throughput: by server CPU)', 'by req/s', 'goal', 'result'], rows)
}

function loginsTable(results: BenchResults): string {
  return table(
    ['cores for the server', 'raw argon2id verify/s', 'POST /token logins/s', 'ratio'],
    [
      ['1 (pinned)', fixed(results.argon2.oneCore, 1), fixed(results.logins.oneCore, 1), fixed(ratio(results.logins.oneCore, results.argon2.oneCore), 3)],
      [`${results.machine.cores} (unpinned)`, fixed(results.argon2.twoCores, 1), fixed(results.logins.twoCores, 1), fixed(ratio(results.logins.twoCores, results.argon2.twoCores), 3)],
    ],
  )
}

function verifyCostTable(cost: BenchResults['verifyCost']): string {
  if (cost === undefined) return '_not measured_'
  return table(['verification (one token, repeated)', 'µs each'], Object.entries(cost).map(([k, v]) => [k, v.toFixed(2)]))
}

function stormRows(name: string, storm: StormResult | undefined): string[][] {
  if (storm === undefined) return [[name, 'not measured', '', '', '']]
  return [
    [name, `idle, ${storm.rate} req/s`, String(storm.idle.requests), fixed(storm.idle.p50Ms, 2), fixed(storm.idle.p99Ms, 2)],
    [name, `during login storm (${fixed(storm.logins, 1)} logins/s)`, String(storm.storm.requests), fixed(storm.storm.p50Ms, 2), fixed(storm.storm.p99Ms, 2)],
  ]
}

function stormTable(results: BenchResults): string {
  return table(
    ['server', 'protected route', 'probed requests', 'p50 ms', 'p99 ms'],
    [
      ...stormRows('reference server', results.storm),
    ],
  )
}

function memoryTable(memory: MemoryResult | undefined): string {
  if (memory === undefined) return '_not measured_'
  return table(
    ['requests after warm-up', 'req/s', 'RSS after warm-up', 'RSS at end', 'growth', 'peak RSS'],
    [[formatCount(memory.requests), String(Math.round(memory.rps)), mib(memory.beforeKiB), mib(memory.afterKiB), `${(((memory.afterKiB - memory.beforeKiB) / memory.beforeKiB) * 100).toFixed(1)} %`, mib(memory.peakKiB)]],
  )
}

/** The console summary. */
export function consoleReport(results: BenchResults): string {
  return [
    throughputTable(results),
    '',
    loginsTable(results),
    '',
    stormTable(results),
    '',
    memoryTable(results.memory),
    '',
    verifyCostTable(results.verifyCost),
    '',
    targetsTable(results),
    ...(results.failures.length === 0 ? [] : ['', 'FAILED:', ...results.failures.map((f) => `- ${f}`)]),
  ].join('\n')
}

/** The whole of docs/benchmarks.md: method, machine, results, targets, then the analysis. */
export function markdownReport(results: BenchResults, method: string, analysis: string): string {
  const m = results.machine
  const s = results.settings
  return `# Benchmarks

<!-- Generated by \`npm run bench\` (bench/run.ts); the method and analysis sections come from
bench/method.md and bench/analysis.md. Do not edit this file by hand. -->

Run of ${results.startedAt}, ${Math.round(results.seconds)} s in all. Every number
below comes from this one run.

## Machine

${table(['', ''], [
  ['CPU', `${m.cpuModel}, ${m.cores} cores (nproc)`],
  ['memory', `${m.memoryGiB} GiB`],
  ['Node.js', m.node],
  ['kernel', m.kernel],
  ['pinning', m.pinned ? 'server on core 0, load generator on core 1 (taskset)' : 'none (taskset or a second core missing)'],
  ['load generator', m.generator],
  ['load average at start', m.loadAverage.toFixed(2)],
])}

${method.trim()}

Settings of this run: ${s.connections} keep-alive connections, ${s.warmupSeconds} s warm-up and
${s.seconds} s measured per run, ${s.rounds} interleaved round(s) per case.

## Results

### Throughput and latency (same route, same body)

${throughputTable(results)}

### Logins (\`POST /token\`, argon2id m=19 MiB, t=2, p=1)

${loginsTable(results)}

### Cost of one token verification (server core, one token verified repeatedly)

${verifyCostTable(results.verifyCost)}

### Protected-route latency during a login storm

${stormTable(results)}

### Resident memory over a long run (${results.memory === undefined ? '' : 'Gatehouse HS256 + checks'})

${memoryTable(results.memory)}

## Targets

${targetsTable(results)}
${results.failures.length === 0 ? '' : `\n**Stages that failed:**\n\n${results.failures.map((f) => `- ${f}`).join('\n')}\n`}
${analysis.trim()}
`
}
