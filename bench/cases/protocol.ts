/**
 * The contract between `bench/run.ts` and a server under test.
 *
 * Every case is a script that builds one server, listens on 127.0.0.1 port 0 and prints a single
 * `READY <json>` line on stdout describing how to call it (a {@link BenchTarget}). Credentials the
 * load generator needs (a token, an API key) are minted inside the case and travel only over this
 * pipe; nothing is logged.
 */
import { writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'

/** The route every throughput case serves: same path, same JSON body. */
export const BENCH_PATH = '/secure-endpoint'

/** The user every case answers with, so every case sends byte-identical bodies. */
export const BENCH_USER = 'user1'

/** One HTTP request the load generator repeats. */
export interface BenchRequest {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
}

/** What a case announces once it listens. */
export interface BenchTarget {
  readonly port: number
  /** The measured request. */
  readonly request: BenchRequest
  /** Other named requests the case serves (for example `login` next to a protected route). */
  readonly extra?: Readonly<Record<string, BenchRequest>>
}

/** Options every case reads from its first argument (a JSON object). */
export type CaseOptions = Readonly<Record<string, string | number | boolean>>

/** Parses the case's JSON options argument; an absent argument means no options. */
export function readCaseOptions(): CaseOptions {
  const raw = process.argv[2]
  if (raw === undefined || raw === '') return {}
  const parsed: unknown = JSON.parse(raw)
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TypeError(`case options must be a JSON object, got ${raw}`)
  }
  return parsed as CaseOptions // adapter spot: shape checked above, values read by each case
}

/** Prints the READY line the orchestrator waits for. */
export function announce(target: BenchTarget): void {
  process.stdout.write(`READY ${JSON.stringify(target)}\n`)
}

/** Listens a Fastify app on loopback port 0 and returns the port. */
export async function listenFastify(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  return portOf(app.server)
}

/** Listens a bare node:http server on loopback port 0 and returns the port. */
export function listenHttp(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(portOf(server)))
  })
}

function portOf(server: Server): number {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('server is not on TCP')
  return address.port
}

/** `iss` and `aud` of every bench token. */
export const BENCH_ISSUER = 'https://gatehouse.bench'
export const BENCH_AUDIENCE = 'bench-api'

/** A GET of {@link BENCH_PATH} with the given headers. */
export function getRequest(headers: Record<string, string> = {}): BenchRequest {
  return { method: 'GET', path: BENCH_PATH, headers }
}

/** The environment variable naming the directory a profiled case writes `main.cpuprofile` to. */
export const PROFILE_DIR_ENV = 'GATEHOUSE_BENCH_PROFILE_DIR'

/**
 * Closes the server on SIGTERM/SIGINT so the orchestrator can stop cases cleanly. When
 * {@link PROFILE_DIR_ENV} is set, SIGUSR2 starts the V8 CPU profiler on the main thread (after
 * warm-up, so start-up and module loading stay out of the profile) and stopping writes it.
 */
export function closeOnSignal(close: () => Promise<unknown> | void): void {
  const profiler = profileOnSignal(process.env[PROFILE_DIR_ENV])
  const stop = (): void => {
    Promise.resolve(profiler?.())
      .then(() => close())
      .finally(() => process.exit(0))
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

function profileOnSignal(dir: string | undefined): (() => Promise<void>) | undefined {
  if (dir === undefined || dir === '') return undefined
  const session = new Session()
  session.connect()
  let started: Promise<unknown> | undefined
  process.on('SIGUSR2', () => {
    started ??= session.post('Profiler.enable').then(() => session.post('Profiler.start'))
  })
  return async () => {
    if (started === undefined) return
    await started
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(join(dir, 'main.cpuprofile'), JSON.stringify(profile))
  }
}
