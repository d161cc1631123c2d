/** `GET /healthz`: liveness and database reachability, unauthenticated and uncached. */
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { GatehouseHTTPError } from '../../errors.js'

/** Options of {@link healthRoutes}. */
export interface HealthRoutesOptions {
  /** Resolves when the database answers. */
  readonly checkDatabase: () => Promise<void>
}

const HealthResponse = Type.Object({ status: Type.Literal('ok') }, { description: 'Healthy' })

/**
 * Registers `GET /healthz`: `200 {"status":"ok"}`, or `503 server_error` when the database is
 * unreachable.
 *
 * @example
 * await app.register(healthRoutes, { checkDatabase: () => store.ping() })
 */
export async function healthRoutes(
  app: FastifyInstance,
  options: HealthRoutesOptions,
): Promise<void> {
  app.get('/healthz', {
    schema: { summary: 'Health check', tags: ['operations'], response: { 200: HealthResponse } },
    handler: async (_request, reply) => {
      reply.header('cache-control', 'no-store')
      try {
        await options.checkDatabase()
      } catch (cause) {
        throw new GatehouseHTTPError('GH_ERR_INTERNAL', 503, 'temporarily_unavailable', {
          description: 'The database is unreachable.',
          expose: true,
          cause,
        })
      }
      return { status: 'ok' as const }
    },
  })
}
