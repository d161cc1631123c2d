/**
 * An open-loop latency probe: sends requests at a fixed rate over a few keep-alive connections and
 * measures each from the moment it was due, so time spent waiting for a busy connection counts
 * (no coordinated omission). Reads its configuration as JSON on stdin; prints one JSON result.
 */
import { Agent, request as httpRequest } from 'node:http'
import { text } from 'node:stream/consumers'

interface ProbeConfig {
  readonly port: number
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly headers: Record<string, string>
  readonly rate: number
  readonly connections: number
  readonly seconds: number
}

const config = JSON.parse(await text(process.stdin)) as ProbeConfig // adapter: written by probe.ts
const agent = new Agent({ keepAlive: true, maxSockets: config.connections })
const latencies: number[] = []
let failures = 0

function sendOne(due: number): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: config.port, method: config.method, path: config.path, headers: config.headers, agent },
      (res) => {
        res.resume()
        res.on('end', () => {
          if (res.statusCode === undefined || res.statusCode >= 300) failures += 1
          else latencies.push(performance.now() - due)
          resolve()
        })
      },
    )
    req.on('error', () => {
      failures += 1
      resolve()
    })
    req.end()
  })
}

const started = performance.now()
const total = Math.round(config.rate * config.seconds)
const pending: Promise<void>[] = []
let sent = 0
await new Promise<void>((done) => {
  const tick = (): void => {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * config.rate))
    for (; sent < due; sent += 1) pending.push(sendOne(started + (sent / config.rate) * 1000))
    if (sent >= total) done()
    else setTimeout(tick, 1)
  }
  tick()
})
await Promise.all(pending)
agent.destroy()
latencies.sort((a, b) => a - b)
const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
process.stdout.write(
  JSON.stringify({ requests: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99), failures }),
)
