/**
 * The shared error base of every layer.
 *
 * Two families, never mixed (docs/errors.md):
 * - {@link GatehouseConfigError}: misuse and configuration, thrown at construction, registration or
 *   `ready()`. Never reaches a client.
 * - {@link GatehouseHTTPError}: request errors, thrown while handling a request and turned into an
 *   HTTP response by the fastify layer's error handler.
 *
 * Codes are stable API; messages are for humans and may change. A retired code is never reused.
 */

/** Every error code Gatehouse throws. Append only; never reuse a retired code. */
export type GatehouseErrorCode =
  // configuration and misuse (thrown at startup)
  | 'GH_ERR_CONFIG_INVALID'
  | 'GH_ERR_SCOPE_UNKNOWN'
  | 'GH_ERR_SCOPE_INVALID'
  | 'GH_ERR_SCHEME_NAME_CONFLICT'
  | 'GH_ERR_DEP_CYCLE'
  | 'GH_ERR_DEP_INVALID'
  | 'GH_ERR_KEY_INVALID'
  // request errors: RFC 6750 (protected resources)
  | 'GH_ERR_AUTH_MISSING'
  | 'GH_ERR_AUTH_MALFORMED'
  | 'GH_ERR_AUTH_INVALID'
  | 'GH_ERR_TOKEN_INVALID'
  | 'GH_ERR_TOKEN_EXPIRED'
  | 'GH_ERR_TOKEN_REVOKED'
  | 'GH_ERR_SCOPE_INSUFFICIENT'
  // request errors: RFC 6749 §5.2 (token endpoint)
  | 'GH_ERR_OAUTH_INVALID_REQUEST'
  | 'GH_ERR_OAUTH_INVALID_CLIENT'
  | 'GH_ERR_OAUTH_INVALID_GRANT'
  | 'GH_ERR_OAUTH_UNAUTHORIZED_CLIENT'
  | 'GH_ERR_OAUTH_UNSUPPORTED_GRANT_TYPE'
  | 'GH_ERR_OAUTH_INVALID_SCOPE'
  // request errors: CSRF
  | 'GH_ERR_CSRF_REJECTED'
  // request errors: generic HTTP
  | 'GH_ERR_HTTP_BAD_REQUEST'
  | 'GH_ERR_HTTP_NOT_FOUND'
  | 'GH_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE'
  | 'GH_ERR_HTTP_PAYLOAD_TOO_LARGE'
  | 'GH_ERR_HTTP_TOO_MANY_REQUESTS'
  // store
  | 'GH_ERR_STORE_CONFLICT'
  | 'GH_ERR_STORE_NOT_FOUND'
  | 'GH_ERR_STORE_USERNAME_INVALID'
  // passwords: no hashing thread can take the job (overloaded or closed)
  | 'GH_ERR_PASSWORD_HASHER_UNAVAILABLE'
  // server internals
  | 'GH_ERR_INTERNAL'
  // request lifecycle: the client closed the connection before the response (fastify layer)
  | 'GH_ERR_HTTP_CLIENT_CLOSED'
  | 'GH_ERR_HTTP_METHOD_NOT_ALLOWED'
  // a route declared config.deps where the plugin never saw it (registered before it loaded)
  | 'GH_ERR_DEP_UNRESOLVED'

/** Base class: a stable `code`, a human `message`, and the underlying `cause` when there is one. */
export class GatehouseError extends Error {
  readonly code: GatehouseErrorCode

  constructor(code: GatehouseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = new.target.name
  }
}

/** Misuse or bad configuration, detected at construction, registration or `ready()`. */
export class GatehouseConfigError extends GatehouseError {
  constructor(
    message: string,
    options?: { cause?: unknown; code?: GatehouseErrorCode },
  ) {
    super(options?.code ?? 'GH_ERR_CONFIG_INVALID', message, options)
  }
}

/** Options shared by every request-facing error. */
export interface GatehouseHTTPErrorOptions {
  /** Human-readable detail sent as `error_description` (when `expose` is true). */
  readonly description?: string
  /** Whether the description may be shown to the client. Default: true for 4xx. */
  readonly expose?: boolean
  /** Extra response headers (for example `WWW-Authenticate`). */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>
  readonly cause?: unknown
}

/**
 * A request error with a fixed HTTP status and an RFC error code (`error` on the wire).
 * The fastify layer's error handler is the only place that turns it into a response.
 */
export class GatehouseHTTPError extends GatehouseError {
  /** HTTP status code of the response. */
  readonly statusCode: number
  /** The RFC error code sent as `error` (for example `invalid_token`). */
  readonly error: string
  /** Sent as `error_description`. */
  readonly errorDescription: string | undefined
  /** When false the response is a generic 500 `server_error`; the detail goes only to the log. */
  readonly expose: boolean
  readonly headers: Readonly<Record<string, string | readonly string[]>>

  constructor(
    code: GatehouseErrorCode,
    statusCode: number,
    error: string,
    options: GatehouseHTTPErrorOptions = {},
  ) {
    super(code, options.description ?? error, { cause: options.cause })
    this.statusCode = statusCode
    this.error = error
    this.errorDescription = options.description
    this.expose = options.expose ?? statusCode < 500
    this.headers = options.headers ?? {}
  }
}

/** Narrows an unknown value to a request-facing Gatehouse error. */
export function isGatehouseHTTPError(value: unknown): value is GatehouseHTTPError {
  return value instanceof GatehouseHTTPError
}
