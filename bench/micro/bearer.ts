/**
 * Micro-benchmark of the bearer cases' per-request work without HTTP: the `preValidation` hook of
 * the typical app's three-level graph (route → `Security(currentUser, ['read'])` →
 * `verifiedClaims` → `OAuth2PasswordBearer`), with and without the revocation and user-status
 * checks, for each algorithm, against a stand-in request whose `Authorization` header is a new
 * string each time (as a parsed request's is).
 *
 * `npx tsx bench/micro/bearer.ts [iterations] [rounds]` prints the best ns per request of each
 * variant over interleaved rounds. In-process and warm: it compares versions of the code path,
 * not what a server spends per request (that is `npm run bench`). In a loop of microtasks no
 * event-loop turn passes, so the SQLite change check runs once, where a server pays it at most
 * once per turn.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { DependencyOverrides, Security, compilePlan } from '../../src/deps/index.js'
import { attachPlan } from '../../src/fastify/routes.js'
import { kGatehouseError, kGatehouseResolution } from '../../src/fastify/symbols.js'
import { ScopeRegistry } from '../../src/scopes/index.js'
import type { SigningAlgorithm } from '../../src/tokens/index.js'
import { createBearerSetup, type BearerSetup } from '../cases/bearer-setup.js'
import { BENCH_SCOPES } from '../cases/gatehouse-app.js'

type Done = (error?: Error) => void
type Hook = (request: FastifyRequest, reply: FastifyReply, done: Done) => void

const registry = new ScopeRegistry(BENCH_SCOPES)

function hookFor(setup: BearerSetup): Hook {
  const plan = compilePlan({ user: Security(setup.currentUser, ['read']) }, { registry })
  const route: { preValidation?: unknown } = {}
  attachPlan(route as never, plan, new DependencyOverrides())
  return (route.preValidation as Hook[])[0] as Hook
}

/** Shaped like a Fastify request as far as the resolver and the scheme look. */
class StandInRequest {
  headers: Record<string, string>
  raw: { rawHeaders: string[] }
  deps: unknown = null;
  [kGatehouseResolution]: unknown = null;
  [kGatehouseError]: unknown = null
  constructor(authorization: string) {
    this.headers = { host: 'localhost', authorization }
    this.raw = { rawHeaders: ['Host', 'localhost', 'Authorization', authorization] }
  }
}

async function measure(hook: Hook, header: Buffer, iterations: number): Promise<number> {
  const reply = { raw: {} } as unknown as FastifyReply
  const run = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const request = new StandInRequest(header.toString('latin1')) as unknown as FastifyRequest
      hook(request, reply, (error) => (error === undefined ? resolve() : reject(error)))
    })
  const start = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) await run()
  return Number(process.hrtime.bigint() - start) / iterations
}

interface Variant {
  readonly name: string
  readonly hook: Hook
  readonly header: Buffer
  readonly setup: BearerSetup
}

async function variant(algorithm: SigningAlgorithm, checks: boolean): Promise<Variant> {
  const setup = await createBearerSetup({ algorithm, checks })
  const header = Buffer.from(`Bearer ${await setup.issueToken()}`, 'latin1')
  const name = `${algorithm}${checks ? ' + revocation + status' : ''}`
  return { name, hook: hookFor(setup), header, setup }
}

const iterations = Number(process.argv[2] ?? 100_000)
const rounds = Number(process.argv[3] ?? 8)
const variants = [
  await variant('HS256', false),
  await variant('HS256', true),
  await variant('ES256', true),
  await variant('EdDSA', true),
]
// Interleaved rounds; the lowest time of each is kept (other work only ever slows a round down).
const best = variants.map(() => Infinity)
for (let round = 0; round < rounds; round++) {
  for (const [i, v] of variants.entries()) {
    best[i] = Math.min(best[i] as number, await measure(v.hook, v.header, iterations))
  }
}
for (const [i, v] of variants.entries()) {
  const ns = (best[i] as number).toFixed(0).padStart(6)
  process.stdout.write(`${v.name.padEnd(28)} ${ns} ns/request\n`)
}
await Promise.all(variants.map((v) => v.setup.close()))
