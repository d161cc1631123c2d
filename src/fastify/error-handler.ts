import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isGatehouseHTTPError, type GatehouseHTTPError } from '../errors.js'
import type { ChallengeParams, SecurityScheme } from '../security/index.js'
import { DEFAULT_SECURITY_LOG_LEVEL } from './defaults.js'
import type { SecurityLogLevel } from './options.js'
import { kGatehouseResolution } from './symbols.js'

/** The JSON body of every error response: RFC 6749 §5.2 / RFC 6750 §3 field names. */
export interface ErrorBody {
  readonly error: string
  readonly error_description: string
}

/** Options of {@link createErrorHandler}. */
export interface ErrorHandlerOptions {
  /** Level for expected 4xx rejections. Default `'info'`. */
  readonly securityLogLevel?: SecurityLogLevel
}

/** A Fastify error handler (the `setErrorHandler` signature). */
export type GatehouseErrorHandler = (
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
) => FastifyReply

/** Errors that carry RFC 6750 challenge params (the security layer's `SecurityError`). */
interface ChallengingError extends GatehouseHTTPError {
  readonly challengeParams: ChallengeParams
  readonly schemes?: readonly SecurityScheme[]
}

const SERVER_ERROR: ErrorBody = Object.freeze({
  error: 'server_error',
  error_description: 'Internal server error',
})

/**
 * Builds the error handler the plugin installs: Gatehouse request errors become their status with
 * `{ error, error_description }`, their headers, and for security errors one `WWW-Authenticate`
 * per scheme of the step that rejected; Fastify's own 4xx errors (validation, content type, body
 * size, JSON syntax) become `invalid_request`; anything else is a generic 500 whose detail goes
 * only to the log. Apps with their own handler can delegate to it.
 *
 * @example
 * ```ts
 * const gatehouseErrors = createErrorHandler({ securityLogLevel: 'debug' })
 * app.setErrorHandler((error, request, reply) => {
 *   if (error instanceof MyAppError) return reply.code(409).send({ error: 'conflict' })
 *   return gatehouseErrors(error, request, reply)
 * })
 * ```
 */
export function createErrorHandler(options: ErrorHandlerOptions = {}): GatehouseErrorHandler {
  const level = options.securityLogLevel ?? DEFAULT_SECURITY_LOG_LEVEL
  return function gatehouseErrorHandler(error, request, reply) {
    if (isGatehouseHTTPError(error) && error.expose) {
      return sendGatehouseError(error, request, reply, level)
    }
    const status = clientErrorStatus(error)
    if (status !== undefined && !isGatehouseHTTPError(error)) {
      return sendClientError(error as FastifyError, status, request, reply, level)
    }
    request.log.error({ err: error }, 'request failed')
    return reply.code(500).type('application/json; charset=utf-8').send(SERVER_ERROR)
  }
}

/**
 * The handler with default options (rejections logged at `info`).
 *
 * @example
 * ```ts
 * await app.register(gatehouse, { errorHandler: false })
 * app.setErrorHandler(gatehouseErrorHandler)
 * ```
 */
export const gatehouseErrorHandler: GatehouseErrorHandler = createErrorHandler()

function sendGatehouseError(
  error: GatehouseHTTPError,
  request: FastifyRequest,
  reply: FastifyReply,
  level: SecurityLogLevel,
): FastifyReply {
  if (error.statusCode >= 500) request.log.error({ err: error }, 'request failed')
  else logRejection(request, level, error.statusCode, error.code, error.error)
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value)
  if (isChallenging(error)) {
    const challenges = challengesFor(error, request)
    if (challenges.length > 0)
      reply.header('www-authenticate', challenges.length === 1 ? challenges[0] : challenges)
  }
  const body: ErrorBody = {
    error: error.error,
    error_description: error.errorDescription ?? error.message,
  }
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(body)
}

/**
 * The schemes that answer a security error, most specific first: those the error names, else the
 * step of the route's graph that rejected, else every scheme of the route.
 */
function challengesFor(error: ChallengingError, request: FastifyRequest): string[] {
  const resolution = request[kGatehouseResolution]
  let schemes: readonly SecurityScheme[] | undefined = error.schemes
  if (schemes === undefined || schemes.length === 0) schemes = resolution?.challengeSchemes
  if (schemes === undefined || schemes.length === 0) schemes = resolution?.plan.schemes ?? []
  return scopedFor(error, schemes).map((scheme) => scheme.challenge(error.challengeParams))
}

/** A 403 is about scopes: challenge with the scoped schemes when the step has any. */
function scopedFor(
  error: ChallengingError,
  schemes: readonly SecurityScheme[],
): readonly SecurityScheme[] {
  if (error.statusCode !== 403) return schemes
  const scoped = schemes.filter((scheme) => scheme.usesScopes)
  return scoped.length > 0 ? scoped : schemes
}

function isChallenging(error: GatehouseHTTPError): error is ChallengingError {
  const params = (error as Partial<ChallengingError>).challengeParams
  return typeof params === 'object' && params !== null
}

/** The 4xx status of a Fastify (or other plugin) error, if it is one. */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { statusCode } = error as { statusCode?: unknown }
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined
  return statusCode
}

function sendClientError(
  error: FastifyError,
  status: number,
  request: FastifyRequest,
  reply: FastifyReply,
  level: SecurityLogLevel,
): FastifyReply {
  const code = clientErrorCode(status)
  logRejection(request, level, status, error.code, code)
  const headers = (error as { headers?: unknown }).headers
  if (typeof headers === 'object' && headers !== null)
    reply.headers(headers as Record<string, string>)
  const body: ErrorBody = { error: code, error_description: error.message }
  return reply.code(status).type('application/json; charset=utf-8').send(body)
}

/** Fastify's 4xx errors are malformed requests, except the few with their own meaning. */
function clientErrorCode(status: number): string {
  switch (status) {
    case 404:
      return 'not_found'
    case 429:
      return 'too_many_requests'
    default:
      return 'invalid_request'
  }
}

function logRejection(
  request: FastifyRequest,
  level: SecurityLogLevel,
  statusCode: number,
  code: string | undefined,
  error: string,
): void {
  if (level === 'silent') return
  request.log[level](
    { statusCode, code, error, route: request.routeOptions.url },
    'request rejected',
  )
}

/**
 * A not-found handler answering `404 {"error":"not_found","error_description":"Route GET /x not found"}`,
 * in the same shape as every other error.
 *
 * @example
 * ```ts
 * app.setNotFoundHandler(notFoundHandler)
 * ```
 */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body: ErrorBody = {
    error: 'not_found',
    error_description: `Route ${request.method} ${request.url.split('?')[0] ?? '/'} not found`,
  }
  return reply.code(404).type('application/json; charset=utf-8').send(body)
}
