/**
 * Runs the fixed-rate latency probe ({@link ./probe-runner.ts}) on the generator core.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { BenchRequest } from '../cases/protocol.js'
import { placed } from './cores.js'

/** Shape of one probe. */
export interface ProbeOptions {
  readonly port: number
  readonly request: BenchRequest
  /** Requests per second. */
  readonly rate: number
  readonly connections: number
  readonly seconds: number
}

/** What the probe measured; latencies in milliseconds. */
export interface ProbeResult {
  readonly requests: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly failures: number
}

const RUNNER = fileURLToPath(new URL('./probe-runner.ts', import.meta.url))

/** Probes one route at a fixed rate and returns its latency distribution. */
export function runProbe(options: ProbeOptions): Promise<ProbeResult> {
  const config = JSON.stringify({
    port: options.port,
    method: options.request.method,
    path: options.request.path,
    headers: options.request.headers,
    rate: options.rate,
    connections: options.connections,
    seconds: options.seconds,
  })
  const [file, args] = placed('generator', process.execPath, ['--import', 'tsx', RUNNER])
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, (error, stdout, stderr) => {
      if (error) reject(new Error(`probe failed: ${error.message}\n${stderr}`))
      else resolve(JSON.parse(stdout) as ProbeResult) // adapter: written by probe-runner.ts
    })
    child.stdin?.end(config)
  })
}
