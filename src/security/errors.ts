/**
 * RFC 6750 §3.1 request errors of protected resources.
 *
 * Codes are stable API; messages may change. A retired code is never reused.
 *
 * | class | status | `error` (body) | challenge `error` | code |
 * |---|---|---|---|---|
 * | {@link NotAuthenticated} | 401 | `unauthorized` | none (RFC 6750 §3.1) | `GH_ERR_AUTH_MISSING` |
 * | {@link InvalidCredentials} | 401 | `invalid_credentials` | none | `GH_ERR_AUTH_INVALID` |
 * | {@link InvalidToken} | 401 | `invalid_token` | `invalid_token` | `GH_ERR_TOKEN_*` |
 * | {@link InsufficientScope} | 403 | `insufficient_scope` | `insufficient_scope` + `scope` | `GH_ERR_SCOPE_INSUFFICIENT` |
 * | {@link InvalidRequest} | 400 | `invalid_request` | `invalid_request` | `GH_ERR_AUTH_MALFORMED` |
 *
 * The body is `{ "error", "error_description" }` (written by the fastify layer's error handler).
 * A missing credential is not an RFC 6750 error, so its body uses `unauthorized` (not an RFC 6750
 * code, so clients branching on those codes never misread it) and its challenge has no `error`.
 */
import { GatehouseHTTPError, type GatehouseErrorCode } from '../errors.js'
import type { ChallengeParams, SecurityScheme } from './scheme.js'

/** Options of every security request error. */
export interface SecurityErrorOptions {
  /** Sent as `error_description` (body, and challenge for Bearer schemes). */
  readonly description?: string
  /**
   * The scheme(s) whose challenges answer this error. When given, `headers` carries one
   * `WWW-Authenticate` per scheme; the fastify layer may re-challenge with `challenges()`.
   */
  readonly schemes?: readonly SecurityScheme[]
  readonly cause?: unknown
}

/**
 * Base of the RFC 6750 errors: an HTTP error that knows its challenge params.
 *
 * @example
 * ```ts
 * if (err instanceof SecurityError) reply.header('www-authenticate', err.challenges(routeSchemes))
 * ```
 */
export abstract class SecurityError extends GatehouseHTTPError {
  /** Auth-params for each scheme's `challenge()`. */
  readonly challengeParams: ChallengeParams
  /** The schemes that produced the error (may be empty). */
  readonly schemes: readonly SecurityScheme[]

  protected constructor(
    code: GatehouseErrorCode,
    statusCode: number,
    error: string,
    challengeParams: ChallengeParams,
    description: string,
    options: SecurityErrorOptions,
  ) {
    const schemes = Object.freeze([...(options.schemes ?? [])])
    super(code, statusCode, error, {
      description,
      headers: challengeHeaders(schemes, challengeParams),
      cause: options.cause,
    })
    this.challengeParams = Object.freeze(challengeParams)
    this.schemes = schemes
  }

  /**
   * One `WWW-Authenticate` value per scheme (RFC 7235 §4.1), for this error's params.
   *
   * @example
   * ```ts
   * reply.header('www-authenticate', err.challenges([oauth2, apiKey]))
   * ```
   */
  challenges(schemes: readonly SecurityScheme[] = this.schemes): string[] {
    return schemes.map((scheme) => scheme.challenge(this.challengeParams))
  }
}

function challengeHeaders(
  schemes: readonly SecurityScheme[],
  params: ChallengeParams,
): Record<string, string | string[]> {
  if (schemes.length === 0) return {}
  const values = schemes.map((scheme) => scheme.challenge(params))
  return { 'www-authenticate': values.length === 1 ? (values[0] as string) : values }
}

/**
 * No credential was sent for a scheme that requires one: 401, challenge without `error`.
 *
 * @example
 * ```ts
 * throw new NotAuthenticated({ schemes: [oauth2] })
 * // 401 WWW-Authenticate: Bearer
 * // {"error":"unauthorized","error_description":"Not authenticated"}
 * ```
 */
export class NotAuthenticated extends SecurityError {
  constructor(options: SecurityErrorOptions = {}) {
    // RFC 6750 §3.1: no error code when the request lacks authentication information.
    const description = options.description ?? 'Not authenticated'
    super('GH_ERR_AUTH_MISSING', 401, 'unauthorized', {}, description, options)
  }
}

/**
 * A non-bearer credential (Basic, API key) was sent but is malformed or wrong: 401.
 * Basic and API-key challenges carry no error params; for bearer tokens use {@link InvalidToken}.
 *
 * @example
 * ```ts
 * if (!(await keys.verify(key))) throw new InvalidCredentials({ schemes: [apiKey] })
 * ```
 */
export class InvalidCredentials extends SecurityError {
  constructor(options: SecurityErrorOptions = {}) {
    const description = options.description ?? 'Invalid authentication credentials'
    super('GH_ERR_AUTH_INVALID', 401, 'invalid_credentials', {}, description, options)
  }
}

/** Codes an {@link InvalidToken} may carry, so logs tell expiry and revocation apart. */
export type InvalidTokenCode =
  'GH_ERR_TOKEN_INVALID' | 'GH_ERR_TOKEN_EXPIRED' | 'GH_ERR_TOKEN_REVOKED'

/**
 * The access token is expired, revoked, malformed or otherwise invalid: 401 `invalid_token`.
 *
 * @example
 * ```ts
 * throw new InvalidToken({ description: 'The access token expired', code: 'GH_ERR_TOKEN_EXPIRED' })
 * ```
 */
export class InvalidToken extends SecurityError {
  constructor(options: SecurityErrorOptions & { readonly code?: InvalidTokenCode } = {}) {
    const errorDescription = options.description ?? 'The access token is invalid'
    super(
      options.code ?? 'GH_ERR_TOKEN_INVALID',
      401,
      'invalid_token',
      { error: 'invalid_token', errorDescription },
      errorDescription,
      options,
    )
  }
}

/**
 * The token is valid but lacks scopes the resource needs: 403 `insufficient_scope` with `scope`.
 *
 * @param scope - the scope(s) required, as a list or an RFC 6749 scope string.
 * @example
 * ```ts
 * throw new InsufficientScope(['admin'], { schemes: [oauth2] })
 * // 403 WWW-Authenticate: Bearer error="insufficient_scope", scope="admin", error_description="..."
 * ```
 */
export class InsufficientScope extends SecurityError {
  /** The required scope string (space-separated). */
  readonly scope: string

  constructor(scope: string | readonly string[], options: SecurityErrorOptions = {}) {
    const scopeString = typeof scope === 'string' ? scope : scope.join(' ')
    const errorDescription =
      options.description ??
      'The request requires higher privileges than provided by the access token'
    super(
      'GH_ERR_SCOPE_INSUFFICIENT',
      403,
      'insufficient_scope',
      { error: 'insufficient_scope', errorDescription, scope: scopeString },
      errorDescription,
      options,
    )
    this.scope = scopeString
  }
}

/**
 * The request is malformed (empty credentials, repeated `Authorization`): 400 `invalid_request`.
 *
 * @example
 * ```ts
 * throw new InvalidRequest({ description: 'Multiple Authorization headers', schemes: [oauth2] })
 * ```
 */
export class InvalidRequest extends SecurityError {
  constructor(options: SecurityErrorOptions = {}) {
    const errorDescription = options.description ?? 'The request is malformed'
    super(
      'GH_ERR_AUTH_MALFORMED',
      400,
      'invalid_request',
      { error: 'invalid_request', errorDescription },
      errorDescription,
      options,
    )
  }
}
