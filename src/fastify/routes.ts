import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify'
import type { DependencyOverrides, ResolutionPlan } from '../deps/index.js'
import { Resolution } from '../deps/index.js'
import { GatehouseError, GatehouseHTTPError } from '../errors.js'
import { kGatehouseError, kGatehouseResolution } from './symbols.js'

type Hook = (...args: never[]) => unknown
type HookOption = Hook | readonly Hook[] | undefined

/** Route options as they reach an `onRoute` hook. */
export type HookableRoute = Pick<
  RouteOptions,
  'preValidation' | 'onError' | 'onResponse' | 'onRequestAbort'
>

/**
 * Adds the plan's hooks to a route: a `preValidation` hook (first of the route's own) that resolves
 * the dependencies into `request.deps` (security before body validation, as FastAPI does: a 401
 * beats a 400), and, only when a generator dependency needs cleanup, the hooks that finish it
 * after the response or an abort.
 */
export function attachPlan(
  route: HookableRoute,
  plan: ResolutionPlan,
  overrides: DependencyOverrides,
): void {
  const mutable = route as Record<keyof HookableRoute, HookOption>
  mutable.preValidation = prepend(route.preValidation, createResolveHook(plan, overrides))
  if (!plan.hasCleanup) return
  mutable.onError = append(route.onError, recordError)
  mutable.onResponse = append(route.onResponse, finishOnResponse)
  mutable.onRequestAbort = append(route.onRequestAbort, finishOnAbort)
}

/**
 * The per-request hot path: one `Resolution` (values array + cache), no closures, no Promise
 * when every step is sync and one when some are.
 */
function createResolveHook(plan: ResolutionPlan, overrides: DependencyOverrides) {
  return function resolveDependencies(
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void {
    const resolution = new Resolution(plan, request, reply, overrides)
    request[kGatehouseResolution] = resolution
    resolution.runWith(continueRoute, done)
  }
}

/** Hands the values to the handler, or the failure to Fastify's error handling. */
function continueRoute(
  resolution: Resolution,
  values: Record<string, unknown> | undefined,
  error: unknown,
  done: HookHandlerDoneFunction,
): void {
  if (values === undefined) {
    done(asError(error))
    return
  }
  resolution.request.deps = values
  afterResolve(resolution)
  done()
}

/**
 * Fastify reads a falsy `done(error)` as success and would run the handler, so a thrown
 * `undefined` (or `null`, `0`, `''`, `false`) becomes an Error: a 500, never a pass.
 */
function asError(error: unknown): Error {
  // The truthiness test is Fastify's own; other values reach the error handler as they are.
  if (error) return error as Error
  const thrown = typeof error === 'string' ? "''" : String(error)
  return new TypeError(`A dependency threw ${thrown} instead of an Error`)
}

/** A generator brought in by an override on a route without cleanup hooks: finish on close. */
function afterResolve(resolution: Resolution): void {
  if (resolution.plan.hasCleanup || !resolution.needsCleanup) return
  resolution.reply.raw.once('close', () => {
    void finish(resolution.request, resolution.request[kGatehouseError] ?? undefined)
  })
}

function recordError(
  request: FastifyRequest,
  _reply: FastifyReply,
  error: Error,
  done: HookHandlerDoneFunction,
): void {
  request[kGatehouseError] = error
  done()
}

function finishOnResponse(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  finish(request, request[kGatehouseError] ?? undefined).then(() => done(), done)
}

function finishOnAbort(request: FastifyRequest, done: HookHandlerDoneFunction): void {
  finish(request, new RequestAborted()).then(() => done(), done)
}

/** Runs the cleanup stack and logs (never throws) what failed in it. */
async function finish(request: FastifyRequest, error: unknown): Promise<void> {
  const resolution = request[kGatehouseResolution]
  if (resolution === null || !resolution.needsCleanup) return
  const failures = await resolution.finish(error)
  for (const failure of failures) {
    request.log.error(
      { err: failure.error, dependency: failure.dependency },
      'dependency cleanup failed',
    )
  }
}

/**
 * Thrown into generator dependencies when the client aborted the request before the response, so
 * their `catch` can roll back.
 *
 * @example
 * ```ts
 * const tx = dependency(async function* () {
 *   try { yield begin() } catch (err) { if (err instanceof RequestAborted) await rollback(); throw err }
 * })
 * ```
 */
export class RequestAborted extends GatehouseError {
  constructor() {
    super('GH_ERR_HTTP_CLIENT_CLOSED', 'The client aborted the request')
  }
}

/**
 * Fails closed on a route that declares `config.deps` the plugin never compiled: one registered
 * before the plugin loaded (an earlier `app.get`, or `app.register(gatehouse)` without `await`
 * followed by routes; `onRoute` hooks only see later routes). Installed app-wide, as a `preHandler`
 * so that every route's own `preValidation` resolver has run: `request.deps` is set exactly when
 * one did.
 */
export function refuseUnresolvedDeps(
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  // `undefined` in a child context created before the plugin decorated requests with `deps`.
  if (
    (request.deps !== null && request.deps !== undefined) ||
    request.routeOptions.config.deps === undefined
  ) {
    done()
    return
  }
  const { method, url } = request.routeOptions
  const error = new UnresolvedDependencies(`${[method].flat().join(',')} ${url ?? ''}`)
  // Answered here, not through the route's error handler: a route registered before the plugin
  // also predates the plugin's handler, and Fastify's default one would show the message.
  request.log.error({ err: error, code: error.code }, 'route dependencies never ran')
  void reply.code(500).send({ error: 'server_error', error_description: 'Internal server error' })
}

/** A 500 whose detail (only in the log) names the route and the fix. */
export class UnresolvedDependencies extends GatehouseHTTPError {
  constructor(route: string) {
    super('GH_ERR_DEP_UNRESOLVED', 500, 'server_error', {
      description:
        `Route ${route} declares config.deps, but it was registered before the gatehouse ` +
        'plugin loaded, so its dependencies never ran; the request is refused. Register the ' +
        'plugin first, with await: `await app.register(gatehouse)`.',
      expose: false,
    })
  }
}

function prepend(existing: HookOption, hook: Hook): Hook[] {
  if (existing === undefined) return [hook]
  return [hook, ...(Array.isArray(existing) ? existing : [existing as Hook])]
}

function append(existing: HookOption, hook: Hook): Hook[] {
  if (existing === undefined) return [hook]
  return [...(Array.isArray(existing) ? existing : [existing as Hook]), hook]
}
