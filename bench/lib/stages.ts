/**
 * The stages after throughput: the raw argon2id rate, logins/s, protected-route latency during a
 * login storm, and resident memory across a long run.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { CaseOptions } from '../cases/protocol.js'
import { checkTarget, HELLO, type Expectation } from './check.js'
import { placed, type Placement } from './cores.js'
import { runLoad } from './load.js'
import { runProbe, type ProbeResult } from './probe.js'
import { startServer, type ServerProcess } from './server-process.js'

const ARGON2_RATE = fileURLToPath(new URL('./argon2-rate.ts', import.meta.url))
const VERIFY_COST = fileURLToPath(new URL('./verify-cost.ts', import.meta.url))

/** The answer of a successful `POST /token`. */
export const TOKEN_ISSUED: Expectation = {
  status: 200,
  body: (json) => typeof json === 'object' && json !== null && 'access_token' in json,
  protected: false,
}

/** Microseconds of CPU per token verification, by method, on the server core. */
export function measureVerifyCost(iterations: number): Promise<Record<string, number>> {
  return runResult(placed('server', process.execPath, ['--import', 'tsx', VERIFY_COST, String(iterations)]))
}

function runResult<T>([file, args]: [string, string[]]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(file, args, (error, stdout, stderr) => {
      const match = /^RESULT (.*)$/m.exec(stdout)
      if (error || match?.[1] === undefined) reject(new Error(`${args.join(' ')} failed: ${stderr}`))
      else resolve(JSON.parse(match[1]) as T) // adapter: our own child printed it
    })
  })
}

/** Raw argon2id verifications per second, `concurrency` in flight, on the given cores. */
export function measureArgon2Rate(
  placement: Placement,
  concurrency: number,
  seconds: number,
): Promise<number> {
  const args = ['--import', 'tsx', ARGON2_RATE, JSON.stringify({ concurrency, seconds })]
  return runResult<{ rate: number }>(placed(placement, process.execPath, args)).then((r) => r.rate)
}

/** Settings of the login stages. */
export interface LoginSettings {
  readonly script: string
  readonly options?: CaseOptions
  /** What the protected route answers. Default {@link HELLO}, protected. */
  readonly protectedAnswer?: Expectation
  readonly connections: number
  readonly warmupSeconds: number
  readonly seconds: number
}

/** A started login server, checked: `POST /token` issues, the protected route answers. */
async function startLoginServer(settings: LoginSettings, placement: Placement): Promise<ServerProcess> {
  const server = await startServer({
    script: settings.script,
    placement,
    ...(settings.options === undefined ? {} : { options: settings.options }),
  })
  try {
    const login = server.target.extra?.['login']
    if (login === undefined) throw new Error(`${settings.script} announced no login request`)
    await checkTarget(server.target.port, login, TOKEN_ISSUED)
    const answer = settings.protectedAnswer ?? { ...HELLO, protected: true }
    await checkTarget(server.target.port, server.target.request, answer)
    return server
  } catch (error) {
    await server.stop()
    throw error
  }
}

function loginRequest(server: ServerProcess): NonNullable<ServerProcess['target']['extra']>[string] {
  const login = server.target.extra?.['login']
  if (login === undefined) throw new Error('no login request')
  return login
}

/** Successful logins per second with the server on `placement`. */
export async function measureLogins(settings: LoginSettings, placement: Placement): Promise<number> {
  const server = await startLoginServer(settings, placement)
  try {
    const load = { port: server.target.port, request: loginRequest(server), connections: settings.connections }
    if (settings.warmupSeconds > 0) await runLoad({ ...load, seconds: settings.warmupSeconds })
    const result = await runLoad({ ...load, seconds: settings.seconds })
    if (result.failures > 0) throw new Error(`${result.failures} failed logins of ${result.requests}`)
    return result.rps
  } finally {
    await server.stop()
  }
}

/** Latency of the protected route, idle and while a login storm runs. */
export interface StormResult {
  readonly idle: ProbeResult
  readonly storm: ProbeResult
  readonly logins: number
  readonly rate: number
}

/** Settings of the storm stage's probe. */
export interface ProbeSettings {
  readonly rate: number
  readonly connections: number
  readonly seconds: number
}

/**
 * Probes the protected route at a fixed rate, first idle, then while `connections` clients post
 * logins as fast as they are answered. The server runs pinned to its core like every other case.
 */
export async function measureStorm(settings: LoginSettings, probe: ProbeSettings): Promise<StormResult> {
  const server = await startLoginServer(settings, 'server')
  try {
    const { port, request } = server.target
    const probeOptions = { port, request, ...probe }
    if (settings.warmupSeconds > 0) await runProbe({ ...probeOptions, seconds: settings.warmupSeconds })
    const idle = await runProbe(probeOptions)
    const storm = runLoad({
      port,
      request: loginRequest(server),
      connections: settings.connections,
      seconds: probe.seconds + 2,
    })
    await delay(1000) // let the storm saturate the hashing threads first
    const during = await runProbe(probeOptions)
    const stormResult = await storm
    for (const [name, failures] of [['idle', idle.failures], ['storm', during.failures], ['logins', stormResult.failures]] as const) {
      if (failures > 0) throw new Error(`${failures} failed requests (${name})`)
    }
    return { idle, storm: during, logins: stormResult.rps, rate: probe.rate }
  } finally {
    await server.stop()
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Resident memory before and after a long run of one protected case. */
export interface MemoryResult {
  readonly requests: number
  readonly rps: number
  readonly beforeKiB: number
  readonly afterKiB: number
  readonly peakKiB: number
}

/**
 * Warms a case up, samples VmRSS, drives at least `requests` more requests through it and samples
 * again. Runs in slices so the stage stops as soon as the count is reached.
 */
export async function measureMemory(
  script: string,
  options: CaseOptions,
  expect: Expectation,
  load: { connections: number; warmupSeconds: number; requests: number; sliceSeconds: number },
): Promise<MemoryResult> {
  const server = await startServer({ script, options })
  try {
    const { port, request } = server.target
    await checkTarget(port, request, expect)
    if (load.warmupSeconds > 0) {
      await runLoad({ port, request, connections: load.connections, seconds: load.warmupSeconds })
    }
    const beforeKiB = server.rssKiB()
    let requests = 0
    let seconds = 0
    while (requests < load.requests) {
      const slice = await runLoad({ port, request, connections: load.connections, seconds: load.sliceSeconds })
      if (slice.failures > 0) throw new Error(`${slice.failures} failed requests`)
      requests += slice.requests
      seconds += slice.seconds
    }
    return { requests, rps: requests / seconds, beforeKiB, afterKiB: server.rssKiB(), peakKiB: server.peakRssKiB() }
  } finally {
    await server.stop()
  }
}
