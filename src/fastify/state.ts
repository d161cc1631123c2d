import { isDeepStrictEqual } from 'node:util'
import type { RouteOptions } from 'fastify'
import {
  DependencyOverrides,
  assertDependencyInputs,
  compilePlan,
  type AnySecurityScheme,
  type ResolutionPlan,
} from '../deps/index.js'
import { GatehouseConfigError } from '../errors.js'
import { ScopeRegistry, type ScopeDefinition, type ScopeDefinitions } from '../scopes/index.js'
import type { SecuritySchemeObject } from '../security/index.js'
import type { ResolvedGatehouseOptions } from './options.js'
import { attachPlan } from './routes.js'

interface RouteEntry {
  readonly where: string
  readonly plan: ResolutionPlan
}

const plans = new WeakMap<object, ResolutionPlan>()

/** The compiled plan of a route (by its route options object), for the OpenAPI transform. */
export function planOfRoute(route: object): ResolutionPlan | undefined {
  return plans.get(route)
}

/**
 * What the plugin knows about one app: its overrides, the scheme of each `schemeName`, every
 * route's plan. Startup errors are collected while routes register and thrown at `ready()`.
 */
export class GatehouseState {
  /** Per-app dependency overrides, for tests (FastAPI's `dependency_overrides`). */
  readonly overrides = new DependencyOverrides()
  readonly #options: ResolvedGatehouseOptions
  readonly #schemes = new Map<string, AnySecurityScheme>()
  readonly #routes: RouteEntry[] = []
  readonly #errors: Error[] = []
  #registry: ScopeRegistry | undefined

  constructor(options: ResolvedGatehouseOptions) {
    this.#options = options
    this.#registry = options.scopes
  }

  /** `onRoute`: compiles the route's `config.deps` and adds its hooks. */
  addRoute(route: RouteOptions): void {
    const deps: unknown = route.config?.deps
    if (deps === undefined) return
    const where = `route ${[route.method].flat().join(',')} ${route.url}`
    try {
      assertDependencyInputs(deps, where)
      const plan = compilePlan(deps, { registry: () => this.scopes, where })
      for (const scheme of plan.schemes) this.#addScheme(scheme, where)
      this.#routes.push({ where, plan })
      plans.set(route, plan)
      attachPlan(route, plan, this.overrides)
    } catch (error) {
      this.#errors.push(error as Error)
    }
  }

  /** `onReady`: throws the first registration error, then checks every route's scopes. */
  check(): void {
    if (this.#errors.length > 0) throw this.#errors[0]
    const registry = this.scopes
    for (const { where, plan } of this.#routes) registry.assertKnown(plan.scopes, where)
  }

  /** The registry routes are checked against: the `scopes` option, else the schemes' scopes. */
  get scopes(): ScopeRegistry {
    return (this.#registry ??= new ScopeRegistry(schemeScopes(this.#schemes.values())))
  }

  /** Every scheme used by a route, by `schemeName`. */
  get schemes(): ReadonlyMap<string, AnySecurityScheme> {
    return this.#schemes
  }

  /**
   * `components.securitySchemes` for OpenAPI. OAuth2 flow scopes take their descriptions from the
   * `scopes` registry when one is configured, so they mention implication.
   */
  securitySchemes(): Record<string, SecuritySchemeObject> {
    const result: Record<string, SecuritySchemeObject> = {}
    for (const [name, scheme] of this.#schemes) {
      result[name] = withRegistryScopes(scheme.openapi(), this.#options.scopes)
    }
    return result
  }

  #addScheme(scheme: AnySecurityScheme, where: string): void {
    const existing = this.#schemes.get(scheme.schemeName)
    if (existing === undefined) this.#schemes.set(scheme.schemeName, scheme)
    // Instances that document themselves alike are one OpenAPI scheme (a required and an optional
    // APIKeyHeader for the same header, say); only a different description is a conflict.
    else if (existing !== scheme && !isDeepStrictEqual(existing.openapi(), scheme.openapi())) {
      throw new GatehouseConfigError(
        `Two different security schemes are named "${scheme.schemeName}" (${where}); ` +
          'give one of them another `schemeName`, or reuse the same instance',
        { code: 'GH_ERR_SCHEME_NAME_CONFLICT' },
      )
    }
  }
}

/**
 * The union of the scope registries the app's schemes carry (OAuth2 and OpenID Connect schemes
 * have a `scopes` registry), implication included; the first scheme to define a scope wins.
 */
function schemeScopes(schemes: Iterable<AnySecurityScheme>): ScopeDefinitions {
  const result: Record<string, ScopeDefinition> = {}
  for (const scheme of schemes) {
    const declared = (scheme as { readonly scopes?: unknown }).scopes
    if (!(declared instanceof ScopeRegistry)) continue
    for (const entry of declared.entries()) {
      result[entry.name] ??= { description: entry.description, implies: entry.implies }
    }
  }
  return result
}

function withRegistryScopes(
  object: SecuritySchemeObject,
  registry: ScopeRegistry | undefined,
): SecuritySchemeObject {
  if (object.type !== 'oauth2' || registry === undefined) return object
  const described = registry.toOpenAPIScopes()
  const flows: Record<string, (typeof object.flows)[string]> = {}
  for (const [name, flow] of Object.entries(object.flows)) {
    const names = Object.keys(flow.scopes)
    const scopes: Record<string, string> = {}
    for (const scope of names.length > 0 ? names : Object.keys(described)) {
      scopes[scope] = described[scope] ?? flow.scopes[scope] ?? ''
    }
    flows[name] = { ...flow, scopes }
  }
  return { ...object, flows }
}
