/**
 * `buildApp`: the reference server, the paper's proposed model done properly, assembled from the
 * public API of the library layers only.
 */
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import helmet from '@fastify/helmet'
import swagger from '@fastify/swagger'
import swaggerUI from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { GatehouseConfigError } from '../errors.js'
import {
  gatehouse,
  gatehouseClientErrorHandler,
  gatehouseFrameworkErrors,
  gatehouseSwagger,
} from '../fastify/index.js'
import { createTokenEndpoint, DEFAULT_TOKEN_BODY_LIMIT_BYTES } from '../oauth2/index.js'
import { createArgon2Hasher, type PasswordHasher } from '../passwords/index.js'
import type { ScopeRegistry } from '../scopes/index.js'
import {
  createTokenIssuer,
  createTokenVerifier,
  KeyRing,
  type Clock,
  type RevocationStore,
} from '../tokens/index.js'
import type { Config } from './config.js'
import {
  DEFAULT_BODY_LIMIT_BYTES,
  REQUEST_TIMEOUT_MS,
  TIMEOUT_CHECK_INTERVAL_MS,
} from './defaults.js'
import { createLoggerOptions } from './logger.js'
import { healthRoutes } from './routes/health.js'
import { protectedRoutes } from './routes/protected.js'
import { tokenRoutes } from './routes/token.js'
import { createServerSecurity } from './security.js'
import { principals, resourceOwners, type ServerUsers } from './services.js'

/** What the app needs besides its configuration. */
export interface AppOptions {
  readonly config: Config
  /** The users, from an opened and migrated store. */
  readonly users: ServerUsers
  /**
   * Revoked token ids (`store.revocations`), refused on every protected request. Without it only
   * the per-user cut-offs (disabling, password changes) end tokens early.
   */
  readonly revocations?: RevocationStore
  /** Resolves when the database answers (for `/healthz`). */
  readonly checkDatabase: () => Promise<void>
  /** Default: argon2id with `config.passwordHashing`. */
  readonly hasher?: PasswordHasher
  /** Default: the ring built from `config.signingKeys`. */
  readonly keyRing?: KeyRing
  /** Time source for issuing and verifying tokens. Default `Date.now`. */
  readonly clock?: Clock
  /** Where log lines go; default stdout. */
  readonly logStream?: NodeJS.WritableStream
}

/** Package version, shown in the OpenAPI document. */
const VERSION = '0.1.0'

/**
 * Builds the reference server (not yet listening).
 *
 * @example
 * const app = await buildApp({ config, users, checkDatabase: () => store.ping() })
 * await app.listen({ host: config.host, port: config.port })
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options
  const { security, endpoint } = await createServices(options)
  const app = Fastify(serverOptions(config, options.logStream))
  await registerPlugins(app, config, security.scopes)
  await app.register(tokenRoutes, {
    prefix: '/token',
    endpoint,
    bodyLimit: DEFAULT_TOKEN_BODY_LIMIT_BYTES,
    rateLimit: config.tokenRateLimit,
  })
  await app.register(protectedRoutes, { security })
  await app.register(healthRoutes, { checkDatabase: options.checkDatabase })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  return app
}

/** The token service behind the routes: issuer, verifier, `currentUser` and the token endpoint. */
async function createServices(options: AppOptions) {
  const { config } = options
  const keyRing = options.keyRing ?? (await keyRingFromConfig(config))
  const clock = options.clock ?? Date.now
  const tokenOptions = { keyRing, issuer: config.issuer, audience: config.audience, clock }
  const issuer = createTokenIssuer({
    ...tokenOptions,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
  })
  const { revocations } = options
  const verifier = createTokenVerifier({
    ...tokenOptions,
    ...(revocations === undefined ? {} : { revocation: revocations }),
  })
  const security = createServerSecurity({ verifier, principals: principals(options.users) })
  const endpoint = createTokenEndpoint({
    owners: resourceOwners(options.users),
    hasher: options.hasher ?? createArgon2Hasher(config.passwordHashing),
    issuer,
    scopes: security.scopes,
    clock,
  })
  return { security, endpoint }
}

async function keyRingFromConfig(config: Config): Promise<KeyRing> {
  if (config.signingKeys.length === 0) {
    throw new GatehouseConfigError(
      'buildApp: the configuration has no signing key (set GATEHOUSE_SIGNING_KEY, or start with ' +
        'startDevServer, which generates one)',
    )
  }
  return KeyRing.fromSecrets(config.signingKeys.map((secret) => ({ secret })))
}

function serverOptions(config: Config, logStream: NodeJS.WritableStream | undefined) {
  const logger = createLoggerOptions({
    level: config.logLevel,
    ...(logStream === undefined ? {} : { stream: logStream }),
  })
  const base: FastifyServerOptions = {
    logger,
    bodyLimit: DEFAULT_BODY_LIMIT_BYTES,
    requestTimeout: REQUEST_TIMEOUT_MS,
    clientErrorHandler: gatehouseClientErrorHandler,
    frameworkErrors: gatehouseFrameworkErrors,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
  }
  // Node checks request timeouts only every connectionsCheckingInterval (30 s by default), and a
  // request still arriving is also held to headersTimeout (60 s by default): together they let a
  // stalled body live 60-90 s. Both follow REQUEST_TIMEOUT_MS here.
  const checking = {
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    headersTimeout: REQUEST_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
  }
  return config.tls === undefined
    ? { ...base, http: checking }
    : { ...base, https: { cert: config.tls.cert, key: config.tls.key, ...checking } }
}

async function registerPlugins(
  app: FastifyInstance,
  config: Config,
  scopes: ScopeRegistry,
): Promise<void> {
  await app.register(helmet, {
    // HSTS only makes sense when this process serves HTTPS itself.
    hsts: config.tls !== undefined,
  })
  await app.register(formbody)
  await app.register(cookie)
  await app.register(gatehouse, { scopes, notFoundHandler: true })
  await app.register(swagger, gatehouseSwagger(app, openapiOptions()))
  await app.register(swaggerUI, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (header) => docsCSP(header, config.tls !== undefined),
    uiConfig: { persistAuthorization: false },
  })
}

/**
 * The CSP of the Swagger UI pages: swagger-ui's own (scripts from 'self' only), with inline style
 * attributes allowed (Swagger UI sets a few; styles cannot run code), and without
 * upgrade-insecure-requests over plain HTTP, where it would send the UI's assets to https://.
 */
function docsCSP(header: string, https: boolean): string {
  const styled = header.replace(/style-src [^;]*;/, "style-src 'self' 'unsafe-inline';")
  return https ? styled : styled.replace(/\s*upgrade-insecure-requests;?/, '')
}

function openapiOptions() {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gatehouse',
        version: VERSION,
        description:
          'The reference token service: OAuth 2.0 password grant at `POST /token`, JWT access ' +
          'tokens carrying the scopes `read`, `write` and `admin`, and resources guarded by them. ' +
          'Use **Authorize** to log in.',
      },
      servers: [{ url: '/', description: 'This server' }],
      tags: [
        { name: 'oauth2', description: 'Token endpoint' },
        { name: 'resources', description: 'Protected resources' },
        { name: 'users', description: 'The caller' },
        { name: 'operations', description: 'Health' },
      ],
    },
  }
}
