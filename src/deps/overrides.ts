import type { SecurityScheme } from '../security/index.js'
import { Dependency, isSecurityScheme, modeOf, type DependencyContext } from './dependency.js'
import { invalidDependencyError } from './errors.js'
import { compileTarget, type PlanNode, type ResolutionPlan } from './plan.js'

/** What may be overridden: a dependency or a scheme. */
export type OverrideTarget<V> = Dependency<V> | SecurityScheme<V, boolean>

/** A replacement: a dependency with the same value type, or a function of the context. */
export type OverrideReplacement<V> =
  | Dependency<V>
  | ((context: DependencyContext) => V | Promise<V> | Generator<V> | AsyncGenerator<V>)

/**
 * Per-app replacements for dependencies and schemes, for tests (FastAPI's
 * `app.dependency_overrides`). Routes keep their declarations; the resolver looks the
 * replacement up per request, so overrides may be set and cleared at any time.
 * A replacement's own inputs are resolved normally, never overridden themselves.
 *
 * @example
 * ```ts
 * app.gatehouse.overrides.set(currentUser, async () => ({ username: 'alice' }))
 * const response = await app.inject('/users/me')   // no token needed
 * app.gatehouse.overrides.clear()
 * ```
 */
export class DependencyOverrides {
  readonly #replacements = new Map<object, Dependency>()
  readonly #plans = new WeakMap<PlanNode, Map<Dependency, ResolutionPlan>>()

  /** Number of active overrides (the resolver skips lookups when 0). */
  get size(): number {
    return this.#replacements.size
  }

  /** Replaces `target` everywhere in this app until deleted. */
  set<V>(target: OverrideTarget<V>, replacement: OverrideReplacement<NoInfer<V>>): this {
    if (!(target instanceof Dependency) && !isSecurityScheme(target)) {
      throw invalidDependencyError('overrides.set() needs a dependency or a scheme as its target')
    }
    this.#replacements.set(target, toDependency(replacement))
    return this
  }

  /** Whether `target` is overridden. */
  has(target: OverrideTarget<unknown>): boolean {
    return this.#replacements.has(target)
  }

  /** Removes one override; returns whether there was one. */
  delete(target: OverrideTarget<unknown>): boolean {
    return this.#replacements.delete(target)
  }

  /** Removes every override. */
  clear(): void {
    this.#replacements.clear()
  }

  /** The replacement plan for a node, compiled on first use with the node's scopes. */
  planFor(
    node: PlanNode,
    target: object,
    registryPlan: ResolutionPlan,
  ): ResolutionPlan | undefined {
    const replacement = this.#replacements.get(target)
    if (replacement === undefined) return undefined
    let plans = this.#plans.get(node)
    if (plans === undefined) this.#plans.set(node, (plans = new Map()))
    let plan = plans.get(replacement)
    if (plan === undefined) {
      plan = compileTarget(replacement, node.securityScopes.groups, {
        registry: registryPlan.registry,
        where: `override of ${describeTarget(target)}`,
      })
      plans.set(replacement, plan)
    }
    return plan
  }
}

function toDependency<V>(replacement: OverrideReplacement<V>): Dependency {
  if (replacement instanceof Dependency) return replacement
  if (typeof replacement !== 'function') {
    throw invalidDependencyError('overrides.set() needs a dependency or a function as replacement')
  }
  const options = { name: replacement.name || 'override' }
  const call = replacement as (context: DependencyContext) => Generator & AsyncGenerator
  // Wrappers of the same kind keep generator replacements generators (yield* forwards throw()).
  switch (modeOf(call)) {
    case 'async-generator':
      return new Dependency(
        {},
        async function* (_values, context) {
          return yield* call(context)
        },
        options,
      )
    case 'generator':
      return new Dependency(
        {},
        function* (_values, context) {
          return yield* call(context)
        },
        options,
      )
    case 'value':
      return new Dependency({}, (_values, context) => call(context), options)
  }
}

function describeTarget(target: object): string {
  return target instanceof Dependency ? `dependency "${target.name}"` : 'scheme'
}
