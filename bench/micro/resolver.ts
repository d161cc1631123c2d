/**
 * Micro-benchmark of Gatehouse's per-request machinery without HTTP: the `preValidation` hook that
 * `attachPlan` installs, run in a loop against a stand-in request for the floor case's
 * three-level graph (route → `Security(currentUser, ['read'])` → `keyPrincipal` → `APIKeyHeader`).
 *
 * `npx tsx bench/micro/resolver.ts [iterations] [rounds]` prints the best ns per request of each
 * variant over interleaved rounds, next to a hook that does nothing (the harness's own cost) and
 * the same work written by hand (the lower bound). Numbers are in-process and warm: they compare
 * versions of the resolver, not what a server spends per request (that is `npm run bench`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  DependencyOverrides,
  Security,
  compilePlan,
  dependency,
  type Dependency,
  type SecurityScopes,
} from '../../src/deps/index.js'
import { attachPlan } from '../../src/fastify/routes.js'
import { kGatehouseError, kGatehouseResolution } from '../../src/fastify/symbols.js'
import { ScopeRegistry } from '../../src/scopes/index.js'
import { APIKeyHeader } from '../../src/security/index.js'

type Done = (error?: Error) => void
type Hook = (request: FastifyRequest, reply: FastifyReply, done: Done) => void

const KEY = 'bench-key'
const apiKey = new APIKeyHeader({ name: 'X-API-Key' })
const principal = { username: 'user1', scopes: ['read'] } as const
const registry = new ScopeRegistry({
  read: 'Read access',
  write: { description: 'Write access', implies: ['read'] },
})

function check({ key }: { key: string }): typeof principal {
  if (key !== KEY) throw new Error('bad key')
  return principal
}

function authorize(
  { principal: p }: { principal: typeof principal },
  { securityScopes }: { securityScopes: { require(granted: readonly string[]): void } },
): { username: string } {
  securityScopes.require(p.scopes)
  return { username: p.username }
}

function graph(sync: boolean): Dependency<{ username: string }> {
  const keyPrincipal = sync
    ? dependency({ key: apiKey }, check)
    : dependency({ key: apiKey }, async (values) => check(values))
  return sync
    ? dependency({ principal: keyPrincipal }, authorize)
    : dependency({ principal: keyPrincipal }, async (v, c) => authorize(v, c))
}

function hookFor(currentUser: Dependency<{ username: string }>): Hook {
  const plan = compilePlan({ user: Security(currentUser, ['read']) }, { registry })
  const route: { preValidation?: unknown } = {}
  attachPlan(route as never, plan, new DependencyOverrides())
  return (route.preValidation as Hook[])[0] as Hook
}

/**
 * The same work written by hand, with no resolver: the floor's lower bound. `sync` picks plain
 * or async functions, as in {@link graph}.
 */
function handWritten(sync: boolean): Hook {
  const { securityScopes } = compilePlan({ user: Security(graph(true), ['read']) }, { registry })
    .roots[0] as { securityScopes: SecurityScopes }
  const context = { securityScopes }
  const principalOf = sync ? check : async (values: { key: string }) => check(values)
  const userOf = sync
    ? authorize
    : async (v: Parameters<typeof authorize>[0]) => authorize(v, context)
  return (request, _reply, done) => {
    const key = apiKey.extract(request)
    if (key === undefined) throw new Error('no key')
    if (sync) {
      const found = principalOf({ key }) as typeof principal
      request.deps = { user: userOf({ principal: found }, context) } as never
      done()
      return
    }
    void (async () => {
      const found = await principalOf({ key })
      request.deps = { user: await userOf({ principal: found }, context) } as never
      done()
    })()
  }
}

/** Shaped like a Fastify request as far as the resolver looks. */
class StandInRequest {
  headers = { 'x-api-key': KEY }
  deps: unknown = null;
  [kGatehouseResolution]: unknown = null;
  [kGatehouseError]: unknown = null
}

async function measure(hook: Hook, iterations: number): Promise<number> {
  const reply = { raw: {} } as unknown as FastifyReply
  const run = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const request = new StandInRequest() as unknown as FastifyRequest
      hook(request, reply, (error) => (error === undefined ? resolve() : reject(error)))
    })
  const start = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) await run()
  return Number(process.hrtime.bigint() - start) / iterations
}

const iterations = Number(process.argv[2] ?? 200_000)
const rounds = Number(process.argv[3] ?? 10)
const noop: Hook = (_request, _reply, done) => {
  done()
}
const variants: [string, Hook][] = [
  ['harness (no-op hook)', noop],
  ['floor, async dependencies', hookFor(graph(false))],
  ['floor, sync dependencies', hookFor(graph(true))],
  ['by hand, async functions', handWritten(false)],
  ['by hand, sync functions', handWritten(true)],
]
// Interleaved rounds; the lowest time of each is kept (other work only ever slows a round down).
const best = variants.map(() => Infinity)
for (let round = 0; round < rounds; round++) {
  for (const [i, [, hook]] of variants.entries()) {
    best[i] = Math.min(best[i] as number, await measure(hook, iterations))
  }
}
for (const [i, [name]] of variants.entries()) {
  const ns = (best[i] as number).toFixed(0).padStart(6)
  process.stdout.write(`${name.padEnd(28)} ${ns} ns/request\n`)
}
