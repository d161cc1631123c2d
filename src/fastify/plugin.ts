import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { AnySecurityScheme, DependencyOverrides } from '../deps/index.js'
import type { ScopeRegistry } from '../scopes/index.js'
import type { SecuritySchemeObject } from '../security/index.js'
import { createErrorHandler, notFoundHandler } from './error-handler.js'
import { resolveOptions, type GatehouseOptions } from './options.js'
import { refuseUnresolvedDeps } from './routes.js'
import { GatehouseState } from './state.js'
import { kGatehouseError, kGatehouseResolution } from './symbols.js'
import './augment.js'

/** `app.gatehouse`: per-app Gatehouse state. */
export interface GatehouseDecorator {
  /** Replace dependencies or schemes in tests: `set(dep, replacement)`, `delete(dep)`, `clear()`. */
  readonly overrides: DependencyOverrides
  /** The registry route scopes are checked against (the `scopes` option, else the schemes'). */
  readonly scopes: ScopeRegistry
  /** Every scheme used by a route so far, by `schemeName`. */
  readonly schemes: ReadonlyMap<string, AnySecurityScheme>
  /** `components.securitySchemes` for OpenAPI. */
  securitySchemes(): Record<string, SecuritySchemeObject>
}

/** What `printRoutes()` answers before any route is registered (find-my-way's empty tree). */
const EMPTY_ROUTER = '(empty tree)'

async function gatehousePlugin(app: FastifyInstance, options: GatehouseOptions): Promise<void> {
  const resolved = resolveOptions(options)
  const state = new GatehouseState(resolved)
  app.decorate('gatehouse', {
    overrides: state.overrides,
    get scopes() {
      return state.scopes
    },
    schemes: state.schemes,
    securitySchemes: () => state.securitySchemes(),
  } satisfies GatehouseDecorator)
  // Fastify 5 wants a non-reference initial value; routes with deps overwrite it before use.
  app.decorateRequest('deps', null as never)
  app.decorateRequest(kGatehouseResolution, null)
  app.decorateRequest(kGatehouseError, null)
  app.addHook('onRoute', (route) => state.addRoute(route))
  // Routes that exist already never reach onRoute; app-wide hooks still reach them at ready(), so
  // a guard refuses those that declare deps. Not installed otherwise: it would cost every request.
  if (app.printRoutes() !== EMPTY_ROUTER) app.addHook('preHandler', refuseUnresolvedDeps)
  app.addHook('onReady', async () => state.check())
  if (resolved.errorHandler) {
    app.setErrorHandler(createErrorHandler({ securityLogLevel: resolved.securityLogLevel }))
  }
  if (resolved.notFoundHandler) app.setNotFoundHandler(notFoundHandler)
}

/**
 * The Gatehouse plugin: routes declare dependencies in `config.deps`; the plugin resolves them
 * before validation into a typed `request.deps`, answers rejections with RFC 6750 errors and
 * challenges, and checks declarations (scheme names, cycles, unknown scopes) at `ready()`.
 * Register it before the routes it should see.
 *
 * @example
 * ```ts
 * await app.register(gatehouse, { scopes: { read: 'Read', admin: { description: 'Admin', implies: ['read'] } } })
 * app.get('/admin/', { config: { deps: { user: Security(currentUser, ['admin']) } } },
 *   async (request) => ({ hello: request.deps.user.username }))
 * ```
 */
export const gatehouse = fp(gatehousePlugin, { fastify: '5.x', name: 'gatehouse' })
