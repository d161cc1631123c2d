/**
 * The throughput stage: each case in its own server process, checked, warmed up, then measured
 * with the same closed-loop load. Rounds interleave the cases so that slow periods of a shared
 * machine spread over all of them instead of penalising one.
 */
import { join } from 'node:path'
import type { CaseOptions } from '../cases/protocol.js'
import { checkTarget, type Expectation } from './check.js'
import { runLoad, type LoadResult } from './load.js'
import { startServer } from './server-process.js'

/** One server variant measured for throughput. */
export interface ThroughputCase {
  readonly id: string
  /** Row label, with the case number. */
  readonly label: string
  readonly script: string
  readonly options?: CaseOptions
  readonly expect: Expectation
}

/** Load shape of the stage. */
export interface ThroughputSettings {
  readonly connections: number
  readonly warmupSeconds: number
  readonly seconds: number
  readonly rounds: number
  /** When set, servers write CPU profiles here. */
  readonly cpuProfileDir?: string
}

/** One measured run of one case. */
export interface CaseRun extends LoadResult {
  readonly peakRssKiB: number
  /**
   * Server CPU time per response, in µs (all its threads). Unlike req/s it hardly moves when
   * other work shares the machine, so ratios of it are the noise-resistant view.
   */
  readonly cpuMicrosPerRequest: number
}

/** The outcome of one case across rounds: every run, or the reason it could not run. */
export interface CaseOutcome {
  readonly case: ThroughputCase
  readonly runs: readonly CaseRun[]
  readonly error?: string
}

/** The run with the highest throughput: noise on a shared machine only ever slows a run down. */
export function bestRun(outcome: CaseOutcome): CaseRun | undefined {
  return outcome.runs.reduce<CaseRun | undefined>(
    (best, run) => (best === undefined || run.rps > best.rps ? run : best),
    undefined,
  )
}

/** Measures every case, `rounds` times, interleaved. */
export async function runThroughput(
  cases: readonly ThroughputCase[],
  settings: ThroughputSettings,
  log: (line: string) => void,
): Promise<CaseOutcome[]> {
  const runs = new Map(cases.map((c) => [c.id, [] as CaseRun[]]))
  const errors = new Map<string, string>()
  for (let round = 1; round <= settings.rounds; round += 1) {
    for (const benchCase of cases) {
      if (errors.has(benchCase.id)) continue
      try {
        const run = await measureCase(benchCase, settings, round)
        runs.get(benchCase.id)?.push(run)
        log(`  round ${round} ${benchCase.id}: ${formatRun(run)}`)
      } catch (error) {
        errors.set(benchCase.id, error instanceof Error ? error.message : String(error))
        log(`  round ${round} ${benchCase.id}: FAILED ${errors.get(benchCase.id)}`)
      }
    }
  }
  return cases.map((c) => {
    const error = errors.get(c.id)
    return { case: c, runs: runs.get(c.id) ?? [], ...(error === undefined ? {} : { error }) }
  })
}

async function measureCase(
  benchCase: ThroughputCase,
  settings: ThroughputSettings,
  round: number,
): Promise<CaseRun> {
  const server = await startServer({
    script: benchCase.script,
    ...(benchCase.options === undefined ? {} : { options: benchCase.options }),
    ...(settings.cpuProfileDir === undefined
      ? {}
      : { cpuProfileDir: join(settings.cpuProfileDir, `${benchCase.id}-r${round}`) }),
  })
  try {
    const { port, request } = server.target
    await checkTarget(port, request, benchCase.expect)
    const load = { port, request, connections: settings.connections }
    if (settings.warmupSeconds > 0) await runLoad({ ...load, seconds: settings.warmupSeconds })
    server.startProfiling()
    const cpuBefore = server.cpuMicros()
    const result = await runLoad({ ...load, seconds: settings.seconds })
    const cpuMicrosPerRequest = (server.cpuMicros() - cpuBefore) / result.requests
    if (result.failures > 0 || result.requests === 0) {
      throw new Error(`${result.failures} failed of ${result.requests} requests`)
    }
    return { ...result, peakRssKiB: server.peakRssKiB(), cpuMicrosPerRequest }
  } finally {
    await server.stop()
  }
}

function formatRun(run: CaseRun): string {
  return `${Math.round(run.rps)} req/s, p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms, ${run.cpuMicrosPerRequest.toFixed(1)} µs CPU/req`
}

/** The lowest server CPU per request across runs (noise only ever adds to it). */
export function leastCpuPerRequest(outcome: CaseOutcome): number | undefined {
  const values = outcome.runs.map((r) => r.cpuMicrosPerRequest).filter((v) => v > 0)
  return values.length === 0 ? undefined : Math.min(...values)
}
