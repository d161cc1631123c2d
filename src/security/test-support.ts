/**
 * Test support for scheme tests (not exported): a Fastify app with one route that resolves a
 * scheme like FastAPI's `Depends(scheme)`, and an error handler that writes Gatehouse errors the
 * way the fastify layer does: status, headers, `{ error, error_description }`.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { isGatehouseHTTPError } from '../errors.js'
import { resolveCredential } from './base.js'
import type { SecurityScheme } from './scheme.js'

export interface SchemeApp {
  readonly app: FastifyInstance
  /** How many times the handler ran (it must not run on rejection). */
  readonly handled: () => number
}

/** Builds the app; `setup` may register plugins (for example @fastify/cookie) first. */
export async function buildSchemeApp(
  scheme: SecurityScheme,
  setup?: (app: FastifyInstance) => Promise<void>,
): Promise<SchemeApp> {
  const app = Fastify()
  let count = 0
  if (setup) await setup(app)
  app.setErrorHandler((error, _request, reply) => {
    if (!isGatehouseHTTPError(error)) throw error
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value)
    return reply
      .code(error.statusCode)
      .send({ error: error.error, error_description: error.errorDescription })
  })
  app.get('/', async (request) => {
    const value = resolveCredential(scheme, request)
    count++
    return { value: value ?? null }
  })
  await app.ready()
  return { app, handled: () => count }
}
