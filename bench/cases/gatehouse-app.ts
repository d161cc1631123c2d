/**
 * The "typical app" every Gatehouse case serves: one protected route whose dependency graph has
 * three levels (route → `Security(currentUser, ['read'])` → a credential-checking dependency → a
 * security scheme), answering the same body as the bare cases.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { Security, type Dependency } from '../../src/deps/index.js'
import { gatehouse } from '../../src/fastify/index.js'
import { BENCH_PATH } from './protocol.js'

/** The principal the route sees. */
export interface BenchUser {
  readonly username: string
}

/** The scopes of the proposed model (admin ⊇ write ⊇ read). */
export const BENCH_SCOPES = {
  read: 'Read access',
  write: { description: 'Write access', implies: ['read'] },
  admin: { description: 'Administrative access', implies: ['write'] },
}

/** A Fastify app with the gatehouse plugin and `GET /secure-endpoint` behind `currentUser`. */
export async function buildProtectedApp(
  currentUser: Dependency<BenchUser>,
  setup?: (app: FastifyInstance) => Promise<void>,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  await app.register(gatehouse, { scopes: BENCH_SCOPES })
  if (setup !== undefined) await setup(app)
  app.get(
    BENCH_PATH,
    { config: { deps: { user: Security(currentUser, ['read']) } } },
    async (request) => ({ hello: request.deps.user.username }),
  )
  return app
}
