import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ScopeMatchMode } from '../scopes/index.js'
import type { SchemeValue, SecurityScheme } from '../security/index.js'
import { invalidDependencyError } from './errors.js'
import type { SecurityScopes } from './security-scopes.js'

/** Phantom key that carries a dependency's value type; never present at runtime. */
declare const kValue: unique symbol

/** What a dependency function receives besides its input values. */
export interface DependencyContext {
  readonly request: FastifyRequest
  readonly reply: FastifyReply
  /** The scopes required from the route down to this dependency (FastAPI's `SecurityScopes`). */
  readonly securityScopes: SecurityScopes
}

/** A scheme with any value type (the input position of a dependency). */
export type AnySecurityScheme = SecurityScheme<unknown, boolean>

/** Anything a dependency, a `Security()` use or a route's `deps` entry may name. */
export type DependencyInput =
  | AnySecurityScheme
  | Dependency<unknown>
  | DependencyUse<DependencyTarget>
  | AnyOf<readonly DependencyInput[]>

/** What `Security()` and `Depends()` may wrap. */
export type DependencyTarget =
  AnySecurityScheme | Dependency<unknown> | AnyOf<readonly DependencyInput[]>

/** A record of named inputs: the first argument of {@link dependency}, or a route's `deps`. */
export type DependencyInputs = Readonly<Record<string, DependencyInput>>

/** The value an input resolves to. */
export type InputValue<I> =
  I extends SecurityScheme<unknown, boolean>
    ? SchemeValue<I>
    : I extends Dependency<infer V>
      ? V
      : I extends DependencyUse<infer T>
        ? InputValue<T>
        : I extends AnyOf<infer M>
          ? InputValue<M[number]>
          : never

/** The values object a dependency function (or a handler's `request.deps`) receives. */
export type InputValues<I> = { -readonly [K in keyof I]: InputValue<I[K]> }

/** The value of a dependency function's result: awaited, or what a generator yields. */
export type DependencyValue<R> =
  R extends AsyncGenerator<infer Y, unknown, never>
    ? Y
    : R extends Generator<infer Y, unknown, never>
      ? Y
      : Awaited<R>

/** The function behind a dependency. */
export type DependencyFunction<Values, Result> = (
  values: Values,
  context: DependencyContext,
) => Result

/** How the dependency function produces its value. */
export type DependencyMode = 'value' | 'generator' | 'async-generator'

/** Options of {@link dependency}. */
export interface DependencyOptions {
  /** Name used in error messages and logs; defaults to the function's name. */
  readonly name?: string
}

// The runtime signature: values are checked by the compiler at the dependency() call site.
type ErasedFunction = (values: Record<string, unknown>, context: DependencyContext) => unknown

/**
 * A declared dependency: named inputs plus the function that turns their values into `Value`.
 * Create with {@link dependency}; instances are frozen and may be shared by many routes.
 *
 * @example
 * ```ts
 * const user: Dependency<User> = dependency({ token: oauth2 }, ({ token }) => lookUp(token))
 * user.mode // 'value' ('generator' / 'async-generator' for yield dependencies)
 * ```
 */
export class Dependency<Value = unknown> {
  readonly kind = 'dependency' as const
  readonly name: string
  readonly mode: DependencyMode
  readonly #inputs: DependencyInputs | (() => DependencyInputs)
  readonly #fn: ErasedFunction
  declare readonly [kValue]?: Value

  constructor(
    inputs: DependencyInputs | (() => DependencyInputs),
    fn: ErasedFunction,
    options: DependencyOptions = {},
  ) {
    this.#inputs = inputs
    this.#fn = fn
    this.name = options.name ?? (fn.name || 'anonymous')
    this.mode = modeOf(fn)
    Object.freeze(this)
  }

  /** The named inputs (a lazy `() => inputs` declaration is evaluated here). */
  inputs(): DependencyInputs {
    const inputs = typeof this.#inputs === 'function' ? this.#inputs() : this.#inputs
    assertInputs(inputs, this.name)
    return inputs
  }

  /** Calls the function (internal to the resolver). */
  call(values: Record<string, unknown>, context: DependencyContext): unknown {
    return this.#fn(values, context)
  }
}

/** Whether a function is plain, a generator function or an async generator function. */
export function modeOf(fn: object): DependencyMode {
  const tag = (fn as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag]
  if (tag === 'AsyncGeneratorFunction') return 'async-generator'
  return tag === 'GeneratorFunction' ? 'generator' : 'value'
}

/**
 * Declares a dependency: FastAPI's `Depends` callable, as a value.
 *
 * Inputs may be security schemes, other dependencies, {@link Security} or {@link Depends} uses and
 * {@link anyOf} alternatives; their resolved values are passed to `fn`, fully typed. `fn` may be
 * sync, async, or a (async) generator: the code after `yield` runs after the response is sent, and
 * sees the handler's error thrown into it (FastAPI's dependencies with `yield`).
 * Pass `() => inputs` to refer to dependencies declared later (cycles fail at startup).
 *
 * @example
 * ```ts
 * const currentUser = dependency({ token: oauth2 }, async ({ token }, { securityScopes }) => {
 *   const claims = await verifier.verify(token)
 *   securityScopes.require(claims.scope)
 *   return { username: claims.sub }
 * })
 * ```
 */
export function dependency<const I extends DependencyInputs, R>(
  inputs: I | (() => I),
  fn: DependencyFunction<InputValues<I>, R>,
  options?: DependencyOptions,
): Dependency<DependencyValue<R>>
/**
 * Declares a dependency without inputs.
 *
 * @example
 * ```ts
 * const db = dependency(async function* () {
 *   const tx = await pool.begin()
 *   try { yield tx; await tx.commit() } catch (err) { await tx.rollback(); throw err }
 * })
 * ```
 */
export function dependency<R>(
  fn: DependencyFunction<Record<never, never>, R>,
  options?: DependencyOptions,
): Dependency<DependencyValue<R>>
// The overloads carry the types; the implementation sees erased shapes (checked at runtime).
export function dependency(
  inputsOrFn: unknown,
  fnOrOptions?: unknown,
  maybeOptions?: DependencyOptions,
): Dependency {
  if (typeof fnOrOptions === 'function') {
    // Two-argument form; a function as first argument is a lazy inputs thunk.
    const inputs = inputsOrFn as DependencyInputs | (() => DependencyInputs)
    return new Dependency(inputs, fnOrOptions as ErasedFunction, maybeOptions)
  }
  if (typeof inputsOrFn !== 'function') {
    throw invalidDependencyError(
      `dependency() needs a function, got ${describe(fnOrOptions ?? inputsOrFn)}`,
    )
  }
  return new Dependency({}, inputsOrFn as ErasedFunction, fnOrOptions as DependencyOptions)
}

/** Options of {@link Security} and {@link Depends}. */
export interface DependencyUseOptions {
  /** Reuse the value resolved earlier in the same request (default `true`), like FastAPI. */
  readonly useCache?: boolean
}

/** Options of {@link Security}. */
export interface SecurityOptions extends DependencyUseOptions {
  /** `'all'` (default): every scope is required; `'any'`: one of them is enough. */
  readonly mode?: ScopeMatchMode
}

/** A group of required scopes and how they combine. */
export interface ScopeGroup {
  readonly mode: ScopeMatchMode
  readonly scopes: readonly string[]
}

/** Scopes that are alternatives: any one of them satisfies the requirement. See {@link anyScope}. */
export interface AnyScope {
  readonly kind: 'any-scope'
  readonly scopes: readonly string[]
}

/**
 * Marks scopes as alternatives for {@link Security}: the token needs at least one of them.
 *
 * @example
 * ```ts
 * { deps: { user: Security(currentUser, anyScope('admin', 'items:write')) } }
 * ```
 */
export function anyScope(...scopes: string[]): AnyScope {
  return Object.freeze({ kind: 'any-scope', scopes: Object.freeze(checkScopes(scopes)) })
}

/**
 * One use of a scheme or dependency, with the scopes it adds and its cache policy.
 * Create with {@link Security} or {@link Depends}.
 *
 * @example
 * ```ts
 * Security(currentUser, ['admin']).scopes // { mode: 'all', scopes: ['admin'] }
 * ```
 */
export class DependencyUse<Target extends DependencyTarget = DependencyTarget> {
  readonly kind = 'use' as const
  readonly target: Target
  /** Scope group this use adds (empty for `Depends`). */
  readonly scopes: ScopeGroup
  readonly useCache: boolean

  constructor(target: Target, scopes: ScopeGroup, useCache: boolean) {
    assertTarget(target)
    this.target = target
    this.scopes = scopes
    this.useCache = useCache
    Object.freeze(this)
  }
}

/**
 * Uses a dependency or scheme and requires scopes (FastAPI's `Security`). Scopes accumulate from
 * the route through every nested use; each dependency reads them as `securityScopes`.
 *
 * @param scopes all required (`['a', 'b']`), or alternatives (`anyScope('a', 'b')`, or
 *   `{ mode: 'any' }`).
 * @example
 * ```ts
 * app.get('/admin/', { config: { deps: { user: Security(currentUser, ['admin']) } } },
 *   async (request) => ({ hello: request.deps.user.username }))
 * ```
 */
export function Security<Target extends DependencyTarget>(
  target: Target,
  scopes: readonly string[] | AnyScope = [],
  options: SecurityOptions = {},
): DependencyUse<Target> {
  const group: ScopeGroup = isAnyScope(scopes)
    ? { mode: 'any', scopes: scopes.scopes }
    : { mode: options.mode ?? 'all', scopes: Object.freeze(checkScopes(scopes)) }
  return new DependencyUse(target, Object.freeze(group), options.useCache ?? true)
}

const NO_SCOPES: ScopeGroup = Object.freeze({ mode: 'all', scopes: Object.freeze([]) })

/**
 * Uses a dependency with options (FastAPI's `Depends(dep, use_cache=False)`). Naming the
 * dependency directly is the same as `Depends(dep)`.
 *
 * @example
 * ```ts
 * const fresh = dependency({ now: Depends(clock, { useCache: false }) }, ({ now }) => now)
 * ```
 */
export function Depends<Target extends DependencyTarget>(
  target: Target,
  options: DependencyUseOptions = {},
): DependencyUse<Target> {
  return new DependencyUse(target, NO_SCOPES, options.useCache ?? true)
}

/**
 * Alternatives: the first one whose credentials are present is used. Create with {@link anyOf}.
 *
 * @example
 * ```ts
 * anyOf(oauth2, apiKey).alternatives // [oauth2, apiKey]
 * ```
 */
export class AnyOf<Members extends readonly DependencyInput[] = readonly DependencyInput[]> {
  readonly kind = 'any-of' as const
  readonly alternatives: Members

  constructor(alternatives: Members) {
    if (alternatives.length < 2) {
      throw invalidDependencyError(
        `anyOf() needs at least two alternatives, got ${alternatives.length}`,
      )
    }
    for (const alternative of alternatives) assertInput(alternative, 'anyOf()')
    this.alternatives = Object.freeze([...alternatives]) as unknown as Members
    Object.freeze(this)
  }
}

/**
 * OR of schemes or dependencies: resolves the first alternative whose credentials are all present
 * (a bad credential is still an error, not a fallthrough). With none present: 401 with one
 * `WWW-Authenticate` challenge per scheme. The OpenAPI `security` lists one requirement object per
 * alternative. (Several inputs in one dependency are AND.)
 *
 * @example
 * ```ts
 * const caller = dependency({ who: anyOf(bearerUser, apiKeyClient) }, ({ who }) => who)
 * ```
 */
export function anyOf<const Members extends readonly DependencyInput[]>(
  ...alternatives: Members
): AnyOf<Members> {
  return new AnyOf(alternatives)
}

function isAnyScope(value: readonly string[] | AnyScope): value is AnyScope {
  return !Array.isArray(value) && (value as AnyScope).kind === 'any-scope'
}

function checkScopes(scopes: readonly unknown[]): string[] {
  if (!Array.isArray(scopes)) {
    throw invalidDependencyError(
      `Security() scopes must be an array of strings, got ${describe(scopes)}`,
    )
  }
  for (const scope of scopes) {
    if (typeof scope !== 'string' || scope === '' || scope.includes(' ')) {
      throw invalidDependencyError(
        `Security() scopes must be scope tokens, got ${JSON.stringify(scope)}`,
      )
    }
  }
  return [...new Set(scopes as string[])]
}

/**
 * Whether a value is a security scheme (the contract's `kind` brand).
 *
 * @example
 * ```ts
 * isSecurityScheme(new HTTPBasic()) // true
 * ```
 */
export function isSecurityScheme(value: unknown): value is AnySecurityScheme {
  return isObject(value) && value.kind === 'security-scheme'
}

function isObject(value: unknown): value is { readonly kind?: unknown } {
  return typeof value === 'object' && value !== null
}

function isInput(value: unknown): value is DependencyInput {
  return (
    isSecurityScheme(value) ||
    value instanceof Dependency ||
    value instanceof DependencyUse ||
    value instanceof AnyOf
  )
}

function assertTarget(value: unknown): void {
  if (value instanceof DependencyUse || !isInput(value)) {
    throw invalidDependencyError(
      `Security()/Depends() need a scheme, a dependency or anyOf(), got ${describe(value)}`,
    )
  }
}

function assertInput(value: unknown, where: string): void {
  if (!isInput(value)) {
    throw invalidDependencyError(
      `${where}: expected a scheme, dependency(), Security(), Depends() or anyOf(), got ${describe(value)}`,
    )
  }
}

function assertInputs(inputs: unknown, name: string): asserts inputs is DependencyInputs {
  if (!isObject(inputs) || Array.isArray(inputs)) {
    throw invalidDependencyError(
      `Dependency "${name}": inputs must be an object, got ${describe(inputs)}`,
    )
  }
  for (const [key, value] of Object.entries(inputs))
    assertInput(value, `Dependency "${name}" input "${key}"`)
}

/**
 * Validates a route's `deps` record (used by the fastify layer at registration).
 *
 * @throws {GatehouseConfigError} `GH_ERR_DEP_INVALID` naming the route and key.
 * @example
 * ```ts
 * assertDependencyInputs({ user: 'x' }, 'route GET /') // throws: route GET / deps.user: ...
 * ```
 */
export function assertDependencyInputs(
  inputs: unknown,
  where: string,
): asserts inputs is DependencyInputs {
  if (!isObject(inputs) || Array.isArray(inputs)) {
    throw invalidDependencyError(`${where}: \`deps\` must be an object, got ${describe(inputs)}`)
  }
  for (const [key, value] of Object.entries(inputs)) assertInput(value, `${where} deps.${key}`)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'function') return 'function'
  if (typeof value === 'object') return value.constructor?.name ?? 'object'
  return typeof value
}
