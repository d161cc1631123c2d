/**
 * The other schemes (docs/security.md): API keys in a query parameter and in a cookie, an
 * optional scheme, HTTP Bearer, and OpenID Connect.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import {
  APIKeyCookie,
  APIKeyQuery,
  HTTPBearer,
  InvalidCredentials,
  InvalidToken,
  OpenIdConnect,
  dependency,
} from 'gatehouse'

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()
const matches = (presented: string, expected: Buffer): boolean =>
  timingSafeEqual(digest(presented), expected)

/** Feed readers cannot send headers: the key travels as `?feed_key=...`. */
export const feedKey = new APIKeyQuery({ name: 'feed_key' })
const feedKeyHash = digest('demo-feed-key')

export const feedReader = dependency({ key: feedKey }, ({ key }) => {
  if (!matches(key, feedKeyHash)) throw new InvalidCredentials({ description: 'Unknown feed key' })
  return 'feed-reader'
})

/** Optional: no cookie is a guest (`undefined`), not a 401. A wrong cookie is still an error. */
export const session = new APIKeyCookie({ name: 'session', optional: true })
const sessionHash = digest('demo-session')

export const visitor = dependency({ session }, ({ session }) => {
  if (session === undefined) return { name: 'guest' }
  if (!matches(session, sessionHash)) throw new InvalidCredentials({ description: 'Stale session' })
  return { name: 'member' }
})

/** HTTP Bearer: a static token for a webhook sender, documented as `bearerFormat: opaque`. */
export const webhookBearer = new HTTPBearer({ bearerFormat: 'opaque' })
const webhookTokenHash = digest('demo-webhook-token')

export const webhookSender = dependency({ bearer: webhookBearer }, ({ bearer }) => {
  if (!matches(bearer.credentials, webhookTokenHash)) throw new InvalidToken()
  return 'webhook-sender'
})

/** OpenID Connect: documented by the provider's discovery URL; the token is verified elsewhere. */
export const oidc = new OpenIdConnect({
  openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration',
})

export const oidcSubject = dependency({ token: oidc }, ({ token }) => {
  // Verify the ID/access token against the provider's JWKS here (the tokens layer can).
  if (token !== 'demo-oidc-token') throw new InvalidToken()
  return { sub: 'oidc-user' }
})

export function moreSchemeRoutes(app: FastifyInstance): void {
  app.get('/feed', { config: { deps: { reader: feedReader } } }, async (request) => ({
    feed: [],
    for: request.deps.reader,
  }))
  app.get('/greeting', { config: { deps: { visitor } } }, async (request) => ({
    hello: request.deps.visitor.name,
  }))
  app.post('/webhooks/ping', { config: { deps: { sender: webhookSender } } }, async (request) => ({
    pong: request.deps.sender,
  }))
  app.get('/oidc/me', { config: { deps: { subject: oidcSubject } } }, async (request) => ({
    sub: request.deps.subject.sub,
  }))
}
