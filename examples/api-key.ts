/**
 * An API key in a header, checked against hashed keys (docs/security.md, "API keys").
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { APIKeyHeader, InvalidCredentials, dependency } from 'gatehouse'

/** The scheme: reads `X-API-Key`, documents itself as `{ type: 'apiKey', in: 'header' }`. */
export const apiKey = new APIKeyHeader({ name: 'X-API-Key', description: 'Service-to-service key' })

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest()

/** Keys are stored hashed: a leaked table does not leak keys. */
const serviceKeys = [{ service: 'billing', hash: sha256('demo-billing-key') }]

/** The calling service, or a 401 with `WWW-Authenticate: APIKey`. */
export const serviceClient = dependency({ key: apiKey }, ({ key }) => {
  const hash = sha256(key)
  const match = serviceKeys.find((entry) => timingSafeEqual(entry.hash, hash))
  if (match === undefined) throw new InvalidCredentials({ description: 'Unknown API key' })
  return { service: match.service }
})

export function apiKeyRoutes(app: FastifyInstance): void {
  app.get('/service/status', { config: { deps: { client: serviceClient } } }, async (request) => ({
    service: request.deps.client.service,
    status: 'ok',
  }))
}
