/**
 * A small app built on the security layer alone (no token service): every scheme (API keys in a
 * header, query and cookie, HTTP Basic and Bearer, OAuth2 with scopes over a three-level
 * dependency graph, OpenID Connect), an OR of two schemes, and OpenAPI docs.
 *
 * Run it: `npx tsx examples/library-app.ts`, then open http://127.0.0.1:3000/docs.
 */
import swagger from '@fastify/swagger'
import swaggerUI from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { Security, anyOf, dependency, gatehouse, gatehouseSwagger } from 'gatehouse'
import { apiKeyRoutes, serviceClient } from './api-key.js'
import { basicRoutes } from './http-basic.js'
import { moreSchemeRoutes } from './more-schemes.js'
import {
  activeUser,
  createItemStore,
  oauth2Routes,
  scopes,
  type ItemStore,
} from './oauth2-scopes.js'

/** OR: a user token with `items:read`, or a service API key. */
export const caller = dependency(
  { who: anyOf(Security(activeUser, ['items:read']), serviceClient) },
  ({ who }) => ('service' in who ? `service:${who.service}` : `user:${who.username}`),
)

export interface LibraryApp {
  readonly app: FastifyInstance
  readonly store: ItemStore
}

export async function buildApp(options: FastifyServerOptions = {}): Promise<LibraryApp> {
  const app = Fastify(options)
  await app.register(gatehouse, { scopes, notFoundHandler: true })
  await app.register(
    swagger,
    gatehouseSwagger(app, {
      openapi: { openapi: '3.1.0', info: { title: 'Library app', version: '1.0.0' } },
    }),
  )
  await app.register(swaggerUI, { routePrefix: '/docs' })
  const store = createItemStore()
  apiKeyRoutes(app)
  basicRoutes(app)
  moreSchemeRoutes(app)
  oauth2Routes(app, store)
  app.get('/whoami', { config: { deps: { caller } } }, async (request) => ({
    caller: request.deps.caller,
  }))
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  return { app, store }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app } = await buildApp({ logger: true })
  await app.listen({ port: 3000, host: '127.0.0.1' })
}
