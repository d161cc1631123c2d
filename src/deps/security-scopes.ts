import { ScopeRegistry, tryParseScope } from '../scopes/index.js'
import { InsufficientScope } from '../security/index.js'
import type { ScopeGroup } from './dependency.js'

const EMPTY_REGISTRY = new ScopeRegistry()

/** A registry, or a function returning it when a check runs. */
export type ScopeRegistrySource = ScopeRegistry | (() => ScopeRegistry)

/**
 * The scopes required from the route down to one dependency (FastAPI's `SecurityScopes`), in the
 * order they were declared, outermost first. Built once per route at startup, never per request.
 *
 * @example
 * ```ts
 * const currentUser = dependency({ token: oauth2 }, async ({ token }, { securityScopes }) => {
 *   const claims = await verifier.verify(token)
 *   securityScopes.require(claims.scope) // 403 insufficient_scope, scope="<scopeStr>"
 *   return claims
 * })
 * ```
 */
export class SecurityScopes {
  /** Every required scope, deduplicated, outermost first (FastAPI's `scopes`). */
  readonly scopes: readonly string[]
  /** `scopes` joined by spaces (FastAPI's `scope_str`); the `scope` challenge attribute. */
  readonly scopeStr: string
  /** The requirement as declared: `all` groups and `any` groups, outermost first. */
  readonly groups: readonly ScopeGroup[]
  readonly #registry: ScopeRegistrySource

  /**
   * @param registry the implication rules, or a function returning them (read at check time, so
   *   an app can settle its registry after routes are compiled).
   */
  constructor(groups: readonly ScopeGroup[] = [], registry: ScopeRegistrySource = EMPTY_REGISTRY) {
    this.groups = Object.freeze(groups.filter((group) => group.scopes.length > 0))
    this.scopes = Object.freeze([...new Set(this.groups.flatMap((group) => group.scopes))])
    this.scopeStr = this.scopes.join(' ')
    this.#registry = registry
    Object.freeze(this)
  }

  /**
   * Whether `granted` (an array, a Set or an RFC 6749 scope string) covers the requirement, with
   * the registry's implication applied (`admin` grants `read` when so configured).
   */
  isSatisfiedBy(granted: Iterable<string> | string): boolean {
    const list = grantedList(granted)
    if (list === undefined) return this.groups.length === 0
    const registry = typeof this.#registry === 'function' ? this.#registry() : this.#registry
    for (const group of this.groups) {
      if (!registry.satisfies(list, group.scopes, group.mode)) return false
    }
    return true
  }

  /**
   * Throws `InsufficientScope` (403, `scope="<scopeStr>"`) unless `granted` covers the
   * requirement. A malformed scope string grants nothing.
   */
  require(granted: Iterable<string> | string): void {
    if (!this.isSatisfiedBy(granted)) throw new InsufficientScope(this.scopeStr)
  }
}

function grantedList(granted: Iterable<string> | string): readonly string[] | undefined {
  if (typeof granted === 'string') return tryParseScope(granted)
  // Array.isArray narrows to any[]; the cast restores the element type it already has.
  return Array.isArray(granted) ? (granted as readonly string[]) : [...granted]
}
