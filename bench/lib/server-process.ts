/**
 * Starts one case server in its own child process and reads its memory from /proc.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { PROFILE_DIR_ENV, type BenchTarget, type CaseOptions } from '../cases/protocol.js'
import { placed, type Placement } from './cores.js'

/** How to start a case server. */
export interface ServerSpec {
  /** File name under `bench/cases/` without extension, e.g. `bare-fastify`. */
  readonly script: string
  readonly options?: CaseOptions
  /** Default `server` (core 0). */
  readonly placement?: Placement
  /**
   * When set, {@link ServerProcess.startProfiling} starts the server's CPU profiler, and the
   * profile of its main thread is written to `<dir>/main.cpuprofile` when it stops.
   */
  readonly cpuProfileDir?: string
  /** Extra environment (for example `UV_THREADPOOL_SIZE`). */
  readonly env?: Readonly<Record<string, string>>
}

/** A running case server. */
export interface ServerProcess {
  readonly pid: number
  readonly target: BenchTarget
  /** Current resident set size in KiB (VmRSS). */
  rssKiB(): number
  /** Peak resident set size in KiB (VmHWM). */
  peakRssKiB(): number
  /** CPU time the server has used so far (user + system, all threads), in microseconds. */
  cpuMicros(): number
  /** Starts the CPU profiler (SIGUSR2) when the server was started with `cpuProfileDir`. */
  startProfiling(): void
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>
}

const READY_TIMEOUT_MS = 30_000

/** Spawns `bench/cases/<script>.ts` and waits for its READY line. */
export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const child = spawnCase(spec)
  const target = await waitForReady(child, spec.script)
  const pid = child.pid
  if (pid === undefined) throw new Error(`${spec.script}: no pid`)
  return {
    pid,
    target,
    rssKiB: () => procStatusKiB(pid, 'VmRSS'),
    peakRssKiB: () => procStatusKiB(pid, 'VmHWM'),
    cpuMicros: () => procCpuMicros(pid),
    startProfiling: () => {
      if (spec.cpuProfileDir !== undefined) child.kill('SIGUSR2')
    },
    stop: () => stopChild(child),
  }
}

function spawnCase(spec: ServerSpec): ChildProcess {
  const script = fileURLToPath(new URL(`../cases/${spec.script}.ts`, import.meta.url))
  const nodeArgs = ['--import', 'tsx']
  if (spec.cpuProfileDir !== undefined) mkdirSync(spec.cpuProfileDir, { recursive: true })
  const [file, args] = placed(spec.placement ?? 'server', process.execPath, [
    ...nodeArgs,
    script,
    JSON.stringify(spec.options ?? {}),
  ])
  return spawn(file, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ...(spec.cpuProfileDir === undefined ? {} : { [PROFILE_DIR_ENV]: spec.cpuProfileDir }),
      ...spec.env,
    },
  })
}

function waitForReady(child: ChildProcess, name: string): Promise<BenchTarget> {
  return new Promise((resolve, reject) => {
    let stderr = ''
    const timer = setTimeout(() => fail(new Error(`${name}: not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS)
    const fail = (error: Error): void => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(error)
    }
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000)
    })
    child.once('exit', (code) => fail(new Error(`${name}: exited with ${code} before ready\n${stderr}`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve(JSON.parse(line.slice(6)) as BenchTarget) // adapter: our own case wrote it
    })
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Reads one `kB` field of /proc/<pid>/status; 0 where /proc is unavailable. */
export function procStatusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
    return match?.[1] === undefined ? 0 : Number(match[1])
  } catch {
    return 0
  }
}

let clockTicks: number | undefined

/** Kernel clock ticks per second (`getconf CLK_TCK`), the unit of /proc/<pid>/stat times. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      clockTicks = 100
    }
  }
  return clockTicks
}

/** utime + stime of /proc/<pid>/stat in microseconds; 0 where /proc is unavailable. */
export function procCpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return (ticks / ticksPerSecond()) * 1e6
  } catch {
    return 0
  }
}
