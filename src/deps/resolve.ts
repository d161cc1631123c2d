import type { FastifyReply, FastifyRequest } from 'fastify'
import { NotAuthenticated } from '../security/index.js'
import type { AnySecurityScheme, DependencyContext } from './dependency.js'
import { CleanupStack, type CleanupFailure, type CleanupGenerator } from './cleanup.js'
import { invalidDependencyError } from './errors.js'
import type { DependencyOverrides } from './overrides.js'
import type { AnyOfNode, DependencyNode, PlanNode, ResolutionPlan, SchemeNode } from './plan.js'

// Index reads below are within bounds (loops over the plan's own arrays); their `as` casts only
// undo noUncheckedIndexedAccess.

/** Marks an empty cache slot (`undefined` is a legitimate value of an optional scheme). */
const EMPTY: unique symbol = Symbol('gatehouse.empty')

type Values = Record<string, unknown>

/**
 * One request's resolution of a {@link ResolutionPlan}: the per-request cache (one slot per node),
 * the cleanup stack of generator dependencies, and the schemes to challenge when it fails.
 *
 * Hot path: when every step is synchronous, {@link Resolution.run} returns the values directly,
 * with no Promise; only the first async step switches to a Promise chain.
 *
 * @example
 * ```ts
 * const resolution = new Resolution(plan, request, reply)
 * const deps = await resolution.run()
 * // after the response:
 * const failures = await resolution.finish(error)
 * ```
 */
export class Resolution {
  readonly plan: ResolutionPlan
  readonly request: FastifyRequest
  readonly reply: FastifyReply
  /** The schemes whose challenges answer the failure (set by the innermost failing step). */
  challengeSchemes: readonly AnySecurityScheme[] | undefined = undefined
  readonly #values: unknown[]
  readonly #overrides: DependencyOverrides | undefined
  #cleanup: CleanupStack | undefined = undefined

  constructor(
    plan: ResolutionPlan,
    request: FastifyRequest,
    reply: FastifyReply,
    overrides?: DependencyOverrides,
  ) {
    this.plan = plan
    this.request = request
    this.reply = reply
    this.#values = new Array<unknown>(plan.slotCount).fill(EMPTY)
    this.#overrides = overrides !== undefined && overrides.size > 0 ? overrides : undefined
  }

  /** Resolves every root; the result is the handler's `request.deps`. */
  run(): Values | Promise<Values> {
    return this.#collect(this.plan.keys, this.plan.roots, {}, 0)
  }

  /** Whether a generator dependency started (so {@link Resolution.finish} has work to do). */
  get needsCleanup(): boolean {
    return this.#cleanup !== undefined && !this.#cleanup.isEmpty
  }

  /**
   * Runs the cleanup of generator dependencies in reverse order; `error` (the request's failure,
   * if any) is thrown into each at its `yield`. Returns the cleanup failures, for logging.
   */
  finish(error?: unknown): Promise<CleanupFailure[]> {
    return this.#cleanup === undefined ? Promise.resolve([]) : this.#cleanup.finish(error)
  }

  /** Fills `target[keys[i]]` from `nodes[i]`, from `start`; sync until a step is async. */
  #collect(
    keys: readonly string[],
    nodes: readonly PlanNode[],
    target: Values,
    start: number,
  ): Values | Promise<Values> {
    for (let i = start; i < nodes.length; i++) {
      const value = this.#evaluate(nodes[i] as PlanNode)
      if (isThenable(value)) return this.#collectAsync(keys, nodes, target, i, value)
      target[keys[i] as string] = value
    }
    return target
  }

  /** The slow path of {@link Resolution.#collect}: one async frame instead of a closure per step. */
  async #collectAsync(
    keys: readonly string[],
    nodes: readonly PlanNode[],
    target: Values,
    index: number,
    pending: Promise<unknown>,
  ): Promise<Values> {
    target[keys[index] as string] = await pending
    for (let i = index + 1; i < nodes.length; i++) {
      const value = this.#evaluate(nodes[i] as PlanNode)
      target[keys[i] as string] = isThenable(value) ? await value : value
    }
    return target
  }

  #evaluate(node: PlanNode): unknown {
    const cached = this.#values[node.slot]
    if (cached !== EMPTY) return cached
    if (this.#overrides !== undefined) {
      const target =
        node.kind === 'scheme'
          ? node.scheme
          : node.kind === 'dependency'
            ? node.dependency
            : undefined
      const plan =
        target === undefined ? undefined : this.#overrides.planFor(node, target, this.plan)
      if (plan !== undefined) return this.#override(node, plan)
    }
    switch (node.kind) {
      case 'scheme':
        return this.#scheme(node)
      case 'dependency':
        return this.#dependency(node)
      case 'any-of':
        return this.#anyOf(node)
    }
  }

  #scheme(node: SchemeNode): unknown {
    let value: unknown
    try {
      value = node.scheme.extract(this.request)
    } catch (error) {
      return this.#fail(node, error)
    }
    if (value === undefined && !node.scheme.optional)
      return this.#fail(node, new NotAuthenticated({ schemes: node.schemes }))
    return (this.#values[node.slot] = value)
  }

  #dependency(node: DependencyNode): unknown {
    const values = this.#collect(node.keys, node.inputs, {}, 0)
    if (isThenable(values)) return this.#callAfter(node, values)
    return this.#call(node, values)
  }

  async #callAfter(node: DependencyNode, pending: Promise<Values>): Promise<unknown> {
    const result = this.#call(node, await pending)
    return isThenable(result) ? await result : result
  }

  #call(node: DependencyNode, values: Values): unknown {
    const context: DependencyContext = {
      request: this.request,
      reply: this.reply,
      securityScopes: node.securityScopes,
    }
    let result: unknown
    try {
      result = node.dependency.call(values, context)
    } catch (error) {
      return this.#fail(node, error)
    }
    if (node.dependency.mode !== 'value') return this.#start(node, result as CleanupGenerator)
    if (isThenable(result)) return this.#settle(node, result)
    return (this.#values[node.slot] = result)
  }

  /** Awaits an async dependency's result into its slot. */
  async #settle(node: DependencyNode, result: Promise<unknown>): Promise<unknown> {
    try {
      return (this.#values[node.slot] = await result)
    } catch (error) {
      return this.#fail(node, error)
    }
  }

  /** Advances a generator dependency to its `yield` and registers it for cleanup. */
  #start(node: DependencyNode, generator: CleanupGenerator): unknown {
    let step: IteratorResult<unknown> | Promise<IteratorResult<unknown>>
    try {
      step = generator.next()
    } catch (error) {
      return this.#fail(node, error)
    }
    const yielded = (result: IteratorResult<unknown>): unknown => {
      if (result.done === true) {
        const message = `Dependency "${node.dependency.name}" returned without yielding a value`
        return this.#fail(node, invalidDependencyError(message))
      }
      ;(this.#cleanup ??= new CleanupStack()).push(node.dependency.name, generator)
      return (this.#values[node.slot] = result.value)
    }
    if (isThenable(step)) return step.then(yielded, (error: unknown) => this.#fail(node, error))
    return yielded(step)
  }

  #anyOf(node: AnyOfNode): unknown {
    let malformed: { readonly error: unknown } | undefined
    for (let i = 0; i < node.alternatives.length; i++) {
      const presence = this.#isPresent(node, i)
      if (presence === true)
        return this.#store(node, this.#evaluate(node.alternatives[i] as PlanNode))
      if (presence !== false) malformed ??= presence
    }
    return this.#fail(
      node,
      malformed === undefined ? new NotAuthenticated({ schemes: node.schemes }) : malformed.error,
    )
  }

  /** `true` when every required credential of alternative `i` is present (and caches them). */
  #isPresent(node: AnyOfNode, i: number): boolean | { readonly error: unknown } {
    const presence = node.presence[i]
    if (presence === undefined) return false
    for (const scheme of presence.schemes) {
      if (this.#values[scheme.slot] !== EMPTY) continue
      let value: unknown
      try {
        value = scheme.scheme.extract(this.request)
      } catch (error) {
        return { error }
      }
      if (value === undefined) return false
      this.#values[scheme.slot] = value
    }
    for (const nested of presence.anyOfs) {
      if (!nested.presence.some((_, j) => this.#isPresent(nested, j) === true)) return false
    }
    return true
  }

  /** Runs an override's plan and caches its value in the overridden node's slot. */
  #override(node: PlanNode, plan: ResolutionPlan): unknown {
    const child = new Resolution(plan, this.request, this.reply)
    child.#cleanup = this.#cleanup ??= new CleanupStack()
    let values: Values | Promise<Values>
    const store = (resolved: Values): unknown => (this.#values[node.slot] = resolved.value)
    const fail = (error: unknown): never => {
      // A replacement without schemes of its own is challenged as the node it replaces.
      const own = child.challengeSchemes
      this.challengeSchemes ??= own !== undefined && own.length > 0 ? own : node.schemes
      throw error
    }
    try {
      values = child.run()
    } catch (error) {
      return fail(error)
    }
    if (!isThenable(values)) return store(values)
    return values.then(store, fail)
  }

  #store(node: PlanNode, value: unknown): unknown {
    if (isThenable(value)) return value.then((resolved) => (this.#values[node.slot] = resolved))
    return (this.#values[node.slot] = value)
  }

  /** Records which schemes answer this failure (innermost wins) and rethrows. */
  #fail(node: PlanNode, error: unknown): never {
    this.challengeSchemes ??= node.schemes
    throw error
  }
}

// Narrowed to Promise for typing; any thenable is adopted, as `await` would.
function isThenable(value: unknown): value is Promise<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}
