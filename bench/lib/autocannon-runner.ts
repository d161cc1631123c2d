/**
 * Runs autocannon in its own process (pinned to the generator core by the caller). Reads its
 * configuration as JSON on stdin, so credentials never appear on a command line, and prints one
 * JSON {@link LoadResult} without `tool`.
 */
import { text } from 'node:stream/consumers'
import autocannon from 'autocannon'

interface RunnerConfig {
  readonly url: string
  readonly method: 'GET' | 'POST'
  readonly headers: Record<string, string>
  readonly body?: string
  readonly connections: number
  readonly duration: number
}

const config = JSON.parse(await text(process.stdin)) as RunnerConfig // adapter: written by load.ts
const result = await autocannon({
  url: config.url,
  method: config.method,
  headers: config.headers,
  ...(config.body === undefined ? {} : { body: config.body }),
  connections: config.connections,
  duration: config.duration,
})
const requests = result.requests.total
process.stdout.write(
  JSON.stringify({
    requests,
    seconds: result.duration,
    rps: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  }),
)
