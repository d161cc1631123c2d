/**
 * Every `declare module 'fastify'` addition of Gatehouse (the only place in the repository).
 *
 * `request.deps` is typed from the route's `config.deps`: Fastify infers the route's
 * `ContextConfig` generic from the `config` option, and {@link ResolvedDeps} maps it to values.
 */
import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifyTypeProvider,
  FastifyTypeProviderDefault,
  RawRequestDefaultExpression,
  RawServerBase,
  RawServerDefault,
  RouteGenericInterface,
} from 'fastify'
import type { FastifyRequestType, ResolveFastifyRequestType } from 'fastify/types/type-provider.js'
import type { DependencyInputs, InputValues } from '../deps/index.js'
import type { GatehouseDecorator } from './plugin.js'
import type { kGatehouseError, kGatehouseResolution } from './symbols.js'
import type { Resolution } from '../deps/index.js'

/**
 * The type of `request.deps` for a route whose config is `ContextConfig`: one typed value per key
 * of `config.deps`, and no keys when the route declares none.
 *
 * @example
 * ```ts
 * type Deps = ResolvedDeps<{ deps: { user: typeof currentUser } }> // { user: User }
 * ```
 */
export type ResolvedDeps<ContextConfig> = ContextConfig extends { readonly deps: infer D }
  ? D extends DependencyInputs
    ? InputValues<D>
    : Record<never, never>
  : Record<never, never>

declare module 'fastify' {
  interface FastifyRequest<
    RouteGeneric extends RouteGenericInterface = RouteGenericInterface,
    RawServer extends RawServerBase = RawServerDefault,
    RawRequest extends RawRequestDefaultExpression<RawServer> =
      RawRequestDefaultExpression<RawServer>,
    // Inline import: a named import used only here trips noUnusedLocals in augmentations.
    SchemaCompiler extends import('fastify').FastifySchema = import('fastify').FastifySchema,
    TypeProvider extends FastifyTypeProvider = FastifyTypeProviderDefault,
    ContextConfig = ContextConfigDefault,
    Logger extends FastifyBaseLogger = FastifyBaseLogger,
    RequestType extends FastifyRequestType = ResolveFastifyRequestType<
      TypeProvider,
      SchemaCompiler,
      RouteGeneric
    >,
  > {
    /**
     * The values of the route's `config.deps`, resolved before validation (preValidation).
     * Routes without `config.deps` have no keys here (the runtime value is `null`).
     */
    deps: ResolvedDeps<ContextConfig>
    /** @internal */
    [kGatehouseResolution]: Resolution | null
    /** @internal */
    [kGatehouseError]: unknown
  }

  interface FastifyContextConfig {
    /** Dependencies of the route: schemes, `dependency()` values, `Security()` uses, `anyOf()`. */
    deps?: DependencyInputs
  }

  interface FastifyInstance {
    /** Gatehouse state of this app: overrides for tests, the scope registry, the schemes. */
    gatehouse: GatehouseDecorator
  }
}
