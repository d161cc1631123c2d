/**
 * `POST /token` (RFC 6749 §3.2, §4.3): the token endpoint in its own encapsulated scope, so its
 * body rules (form only, 8 KiB), its `Cache-Control: no-store` and its rate limit touch no other
 * route.
 */
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { GatehouseHTTPError } from '../../errors.js'
import { errorBodySchema, notFoundHandler } from '../../fastify/index.js'
import {
  OAuthInvalidRequest,
  TOKEN_RESPONSE_HEADERS,
  type TokenEndpoint,
} from '../../oauth2/index.js'
import { hasDuplicateAuthorization } from '../../security/index.js'
import { tryNormalizeUsername } from '../../store/index.js'
import { TOKEN_RATE_LIMIT_WINDOW_MS } from '../defaults.js'

/** Options of {@link tokenRoutes}. */
export interface TokenRoutesOptions {
  readonly endpoint: TokenEndpoint
  /** Largest accepted body, in bytes. */
  readonly bodyLimit: number
  /** Requests per IP and username per minute; 0 disables the limit. */
  readonly rateLimit: number
}

const TokenForm = Type.Object(
  {
    grant_type: Type.Optional(
      Type.String({ description: '`password`; may be omitted', examples: ['password'] }),
    ),
    username: Type.String({ description: "The resource owner's username", maxLength: 64 }),
    password: Type.String({ description: "The resource owner's password", format: 'password' }),
    scope: Type.Optional(
      Type.String({ description: "Space-separated scopes; omitted means all the user's scopes" }),
    ),
    client_id: Type.Optional(Type.String({ description: 'Public client id (optional)' })),
    client_secret: Type.Optional(
      Type.String({ description: 'Not accepted: every client is public', format: 'password' }),
    ),
  },
  { additionalProperties: true },
)

const TokenResponse = Type.Object({
  access_token: Type.String({ description: 'JWT access token (RFC 9068)' }),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer({ description: 'Lifetime in seconds' }),
  scope: Type.String({ description: 'Granted scopes, space-separated' }),
})

const errorResponse = (description: string) => ({ description, ...errorBodySchema })

const tokenSchema = {
  summary: 'Issue an access token (OAuth 2.0 password grant)',
  description:
    'RFC 6749 §4.3. Send `username` and `password` form-encoded; `grant_type=password` may be ' +
    'omitted. Every response carries `Cache-Control: no-store`.',
  tags: ['oauth2'],
  consumes: ['application/x-www-form-urlencoded'],
  body: TokenForm,
  response: {
    200: { description: 'The access token (RFC 6749 §5.1)', ...TokenResponse },
    400: errorResponse(
      '`invalid_request`, `invalid_grant`, `invalid_scope` or `unsupported_grant_type` (RFC 6749 §5.2)',
    ),
    401: errorResponse('`invalid_client`: client authentication failed'),
    413: errorResponse('The body is larger than the token endpoint accepts'),
    429: errorResponse('Too many token requests; see `Retry-After`'),
    503: errorResponse(
      '`temporarily_unavailable`: every password-hashing thread is busy; retry after `Retry-After`',
    ),
  },
}

/**
 * Registers `POST /token`, `405` for every other method on it, and a 404 for `/token/…`, all with
 * `Cache-Control: no-store`. Register it with `prefix: '/token'`.
 *
 * @example
 * await app.register(tokenRoutes, { prefix: '/token', endpoint, bodyLimit: 8192, rateLimit: 10 })
 */
export async function tokenRoutes(
  app: FastifyInstance,
  options: TokenRoutesOptions,
): Promise<void> {
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(TOKEN_RESPONSE_HEADERS)
  })
  app.setNotFoundHandler(notFoundHandler)
  await configureBodyParsing(app, options.bodyLimit)
  if (options.rateLimit > 0) await registerRateLimit(app, options.rateLimit)
  app.post('', {
    schema: tokenSchema,
    // The endpoint validates the form itself, with RFC 6749 errors; the schema only documents it.
    validatorCompiler: () => () => true,
    handler: (request) => {
      // Node keeps the first of repeated Authorization headers; a second one may carry the
      // credentials the client meant (RFC 6749 §3.2 parameters, likewise, are sent once).
      if (hasDuplicateAuthorization(request)) {
        throw new OAuthInvalidRequest('The request has more than one Authorization header.')
      }
      return options.endpoint.handle({
        contentType: request.headers['content-type'],
        authorization: request.headers.authorization,
        body: request.body,
        log: request.log,
      })
    },
  })
  app.route({
    // Every method Fastify routes but POST (and HEAD, derived from GET).
    method: app.supportedMethods.filter((method) => method !== 'POST' && method !== 'HEAD'),
    url: '',
    schema: { hide: true },
    exposeHeadRoute: true,
    handler: methodNotAllowed,
  })
}

/**
 * Only forms are token requests; any other media type reaches the endpoint as "no form" and is
 * answered `400 invalid_request` (RFC 6749 §5.2) rather than Fastify's 415.
 */
async function configureBodyParsing(app: FastifyInstance, bodyLimit: number): Promise<void> {
  app.removeAllContentTypeParsers()
  await app.register(formbody, { bodyLimit })
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, _body, done) => {
    done(null, undefined)
  })
}

async function registerRateLimit(app: FastifyInstance, max: number): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max,
    timeWindow: TOKEN_RATE_LIMIT_WINDOW_MS,
    // preHandler: the form is parsed, so the key can include the username being guessed.
    hook: 'preHandler',
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) =>
      new GatehouseHTTPError('GH_ERR_HTTP_TOO_MANY_REQUESTS', 429, 'too_many_requests', {
        description: `Too many token requests; retry in ${Math.ceil(context.ttl / 1000)} seconds.`,
      }),
  })
}

/** Per IP and account: the username as the store looks it up (NFC), so spellings share a count. */
function rateLimitKey(request: FastifyRequest): string {
  const body = request.body as { username?: unknown } | undefined
  const username = typeof body?.username === 'string' ? body.username : ''
  return `${request.ip}\u0000${tryNormalizeUsername(username) ?? username}`
}

async function methodNotAllowed(request: FastifyRequest): Promise<never> {
  throw new GatehouseHTTPError('GH_ERR_HTTP_METHOD_NOT_ALLOWED', 405, 'method_not_allowed', {
    description: `The token endpoint accepts POST, not ${request.method}.`,
    headers: { allow: 'POST' },
  })
}
