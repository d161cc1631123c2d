/**
 * Closed-loop load generation: Debian's `wrk` when installed (C, far from being the bottleneck),
 * else autocannon in its own child process. Both run on the generator core.
 */
import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BenchRequest } from '../cases/protocol.js'
import { canPin, placed } from './cores.js'

/** One closed-loop run against one request. */
export interface LoadOptions {
  readonly port: number
  readonly request: BenchRequest
  readonly connections: number
  readonly seconds: number
  /** Force a generator; default: wrk when installed. */
  readonly tool?: LoadTool
}

export type LoadTool = 'wrk' | 'autocannon'

/** What a run measured. Latencies are in milliseconds. */
export interface LoadResult {
  readonly tool: LoadTool
  readonly requests: number
  readonly seconds: number
  readonly rps: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Responses that were not 2xx/3xx plus socket errors and timeouts. */
  readonly failures: number
}

const TMP_DIR = fileURLToPath(new URL('../../.tmp/bench/', import.meta.url))
const AUTOCANNON_RUNNER = fileURLToPath(new URL('./autocannon-runner.ts', import.meta.url))

let wrkPath: string | null | undefined

/** The generator this machine uses by default. */
export function defaultTool(): LoadTool {
  if (wrkPath === undefined) {
    try {
      wrkPath = execFileSync('which', ['wrk'], { encoding: 'utf8' }).trim() || null
    } catch {
      wrkPath = null
    }
  }
  return wrkPath === null ? 'autocannon' : 'wrk'
}

/** Runs one closed-loop load and returns its measurements. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return (options.tool ?? defaultTool()) === 'wrk' ? runWrk(options) : runAutocannon(options)
}

async function runWrk(options: LoadOptions): Promise<LoadResult> {
  mkdirSync(TMP_DIR, { recursive: true })
  const script = join(TMP_DIR, `wrk-${process.pid}-${Date.now()}.lua`)
  // The script carries the credentials, so they never appear on a command line; 0600.
  writeFileSync(script, wrkScript(options.request), { mode: 0o600 })
  try {
    const [file, args] = placed('generator', 'wrk', [
      '-t', canPin() ? '1' : '2',
      '-c', String(options.connections),
      '-d', `${Math.max(1, Math.round(options.seconds))}s`, // wrk takes whole seconds
      '--timeout', '10s',
      '-s', script,
      `http://127.0.0.1:${options.port}${options.request.path}`,
    ])
    const stdout = await run(file, args)
    return parseWrk(stdout)
  } finally {
    rmSync(script, { force: true })
  }
}

/** A wrk Lua script: the request, and a `done` hook that prints one machine-readable line. */
function wrkScript(request: BenchRequest): string {
  const lines = [`wrk.method = ${luaString(request.method)}`]
  for (const [name, value] of Object.entries(request.headers)) {
    lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`)
  }
  if (request.body !== undefined) lines.push(`wrk.body = ${luaString(request.body)}`)
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,',
    '    latency:percentile(50), latency:percentile(99),',
    '    e.connect + e.read + e.write + e.status + e.timeout))',
    'end',
  )
  return lines.join('\n') + '\n'
}

function luaString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new TypeError('wrk requests must be printable ASCII')
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

function parseWrk(stdout: string): LoadResult {
  const match = /^RESULT (\d+) (\d+) (\d+) (\d+) (\d+)$/m.exec(stdout)
  if (match === null) throw new Error(`wrk printed no RESULT line:\n${stdout}`)
  const [requests, micros, p50, p99, failures] = match.slice(1).map(Number) as [
    number, number, number, number, number,
  ]
  const seconds = micros / 1e6
  return {
    tool: 'wrk',
    requests,
    seconds,
    rps: requests / seconds,
    p50Ms: p50 / 1000,
    p99Ms: p99 / 1000,
    failures,
  }
}

async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const config = JSON.stringify({
    url: `http://127.0.0.1:${options.port}${options.request.path}`,
    method: options.request.method,
    headers: options.request.headers,
    body: options.request.body,
    connections: options.connections,
    duration: options.seconds,
  })
  const [file, args] = placed('generator', process.execPath, ['--import', 'tsx', AUTOCANNON_RUNNER])
  const stdout = await run(file, args, config)
  return { tool: 'autocannon', ...(JSON.parse(stdout) as Omit<LoadResult, 'tool'>) }
}

/** Runs a command, optionally feeding stdin, and resolves with its stdout. */
function run(file: string, args: readonly string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${args.join(' ')} failed: ${stderr.trim() || error.message}`))
      else resolve(stdout)
    })
    if (stdin !== undefined) child.stdin?.end(stdin)
  })
}
