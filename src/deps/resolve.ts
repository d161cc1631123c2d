import type { FastifyReply, FastifyRequest } from 'fastify'
import { NotAuthenticated } from '../security/index.js'
import type { AnySecurityScheme, DependencyContext } from './dependency.js'
import { CleanupStack, type CleanupFailure, type CleanupGenerator } from './cleanup.js'
import { invalidDependencyError } from './errors.js'
import type { DependencyOverrides } from './overrides.js'
import {
  EMPTY,
  type AnyOfNode,
  type DependencyNode,
  type PlanNode,
  type ResolutionPlan,
  type SchemeNode,
} from './plan.js'

// Index reads below are within bounds (loops over the plan's own arrays); their `as` casts only
// undo noUncheckedIndexedAccess.

/** What a walk returns when it stopped at an async step (see {@link Resolution}). */
const PENDING: unique symbol = Symbol('gatehouse.pending')

type Values = Record<string, unknown>

/**
 * What {@link Resolution.runWith} calls once the resolution settles: `values` on success, else
 * `undefined` and what was thrown.
 */
export type Settled<State> = (
  resolution: Resolution,
  values: Values | undefined,
  error: unknown,
  state: State,
) => void

/**
 * One request's resolution of a {@link ResolutionPlan}: the per-request cache (one slot per node),
 * the cleanup stack of generator dependencies, and the schemes to challenge when it fails.
 *
 * Hot path: a walk of the plan, depth first in declaration order, fills each node's slot. When
 * every step is synchronous, {@link Resolution.run} returns the values directly, with no Promise.
 * A step that returns a thenable stops the walk; one async frame awaits it, stores its value and
 * walks again from the roots, skipping every filled slot, until the walk completes. So a request
 * costs one Promise of Gatehouse's own however deep its async steps sit, and the order of steps
 * (and so which error wins) is the same as resolving one step after the other.
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
  /** The step the walk stopped at, and what it awaits. */
  #pendingNode: PlanNode | undefined = undefined
  #pending: unknown = undefined

  constructor(
    plan: ResolutionPlan,
    request: FastifyRequest,
    reply: FastifyReply,
    overrides?: DependencyOverrides,
  ) {
    this.plan = plan
    this.request = request
    this.reply = reply
    this.#values = plan.emptySlots.slice()
    this.#overrides = overrides !== undefined && overrides.size > 0 ? overrides : undefined
  }

  /** Resolves every root; the result is the handler's `request.deps`. */
  run(): Values | Promise<Values> {
    const values = this.#walk()
    if (values !== PENDING) return values
    return new Promise((resolve, reject) => {
      void this.#resume(settlePromise, { resolve, reject })
    })
  }

  /**
   * {@link Resolution.run} for callback-style hooks: calls `settled` once, synchronously when
   * every step is sync. Unlike `run().then(...)`, it chains no Promise onto the resolution, and
   * a module-level callback with `state` needs no closure per request.
   *
   * @example
   * ```ts
   * function continueRoute(resolution, values, error, done) {
   *   if (values === undefined) return done(error)
   *   resolution.request.deps = values
   *   done()
   * }
   * new Resolution(plan, request, reply).runWith(continueRoute, done)
   * ```
   */
  runWith<State>(settled: Settled<State>, state: State): void {
    let values: Values | typeof PENDING
    try {
      values = this.#walk()
    } catch (error) {
      settled(this, undefined, error, state)
      return
    }
    if (values === PENDING) void this.#resume(settled, state)
    else settled(this, values, undefined, state)
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

  /** Fills every slot the roots need; {@link PENDING} when a step went async. */
  #walk(): Values | typeof PENDING {
    const { roots } = this.plan
    for (let i = 0; i < roots.length; i++) {
      if (!this.#evaluate(roots[i] as PlanNode)) return PENDING
    }
    return this.plan.values(this.#values)
  }

  /** The slow path: awaits each async step, walks on, and reports to `settled`. */
  async #resume<State>(settled: Settled<State>, state: State): Promise<void> {
    let values: Values | typeof PENDING = PENDING
    try {
      while (values === PENDING) {
        const node = this.#pendingNode as PlanNode
        const pending = this.#pending
        this.#pendingNode = this.#pending = undefined
        try {
          this.#values[node.slot] = await pending
        } catch (error) {
          this.#fail(node, error)
        }
        values = this.#walk()
      }
    } catch (error) {
      settled(this, undefined, error, state)
      return
    }
    settled(this, values, undefined, state)
  }

  /** Fills the node's slot; `false` when it stopped at an async step (the walk's pending one). */
  #evaluate(node: PlanNode): boolean {
    if (this.#values[node.slot] !== EMPTY) return true
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

  /** Stops the walk at `node` until `pending` settles; its value goes to the node's slot. */
  #wait(node: PlanNode, pending: unknown): false {
    this.#pendingNode = node
    this.#pending = pending
    return false
  }

  #scheme(node: SchemeNode): boolean {
    let value: unknown
    try {
      value = node.scheme.extract(this.request)
    } catch (error) {
      return this.#fail(node, error)
    }
    if (value === undefined && !node.scheme.optional)
      return this.#fail(node, new NotAuthenticated({ schemes: node.schemes }))
    if (isThenable(value)) return this.#wait(node, value)
    this.#values[node.slot] = value
    return true
  }

  #dependency(node: DependencyNode): boolean {
    const { inputs } = node
    for (let i = 0; i < inputs.length; i++) {
      if (!this.#evaluate(inputs[i] as PlanNode)) return false
    }
    const context: DependencyContext = {
      request: this.request,
      reply: this.reply,
      securityScopes: node.securityScopes,
    }
    let result: unknown
    try {
      result = node.dependency.call(node.values(this.#values), context)
    } catch (error) {
      return this.#fail(node, error)
    }
    if (node.dependency.mode !== 'value') return this.#start(node, result as CleanupGenerator)
    if (isThenable(result)) return this.#wait(node, result)
    this.#values[node.slot] = result
    return true
  }

  /** Advances a generator dependency to its `yield` and registers it for cleanup. */
  #start(node: DependencyNode, generator: CleanupGenerator): boolean {
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
    if (isThenable(step)) return this.#wait(node, step.then(yielded))
    yielded(step)
    return true
  }

  #anyOf(node: AnyOfNode): boolean {
    let choice = this.#values[node.choiceSlot]
    if (choice === EMPTY) choice = this.#values[node.choiceSlot] = this.#choose(node)
    const alternative = node.alternatives[choice as number] as PlanNode
    if (!this.#evaluate(alternative)) return false
    this.#values[node.slot] = this.#values[alternative.slot]
    return true
  }

  /** The first alternative whose required credentials are present. */
  #choose(node: AnyOfNode): number {
    let malformed: { readonly error: unknown } | undefined
    for (let i = 0; i < node.alternatives.length; i++) {
      const presence = this.#isPresent(node, i)
      if (presence === true) return i
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
  #override(node: PlanNode, plan: ResolutionPlan): boolean {
    const child = new Resolution(plan, this.request, this.reply)
    child.#cleanup = this.#cleanup ??= new CleanupStack()
    let values: Values | Promise<Values>
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
    if (isThenable(values)) return this.#wait(node, values.then((v) => v.value, fail))
    this.#values[node.slot] = values.value
    return true
  }

  /** Records which schemes answer this failure (innermost wins) and rethrows. */
  #fail(node: PlanNode, error: unknown): never {
    this.challengeSchemes ??= node.schemes
    throw error
  }
}

function settlePromise(
  _resolution: Resolution,
  values: Values | undefined,
  error: unknown,
  promise: { resolve: (values: Values) => void; reject: (error: unknown) => void },
): void {
  if (values === undefined) promise.reject(error)
  else promise.resolve(values)
}

// Narrowed to Promise for typing; any thenable is adopted, as `await` would.
function isThenable(value: unknown): value is Promise<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}
