/**
 * RFC 6749 §5.2 error responses of the token endpoint.
 *
 * Each class is named after its RFC code and fixes its HTTP status. The codes (`GH_ERR_OAUTH_*`)
 * are stable API; a retired code is never reused.
 */
import { GatehouseHTTPError } from '../errors.js'
import { formatChallenge } from '../security/index.js'

/** The `realm` of the Basic challenge sent with `invalid_client` (RFC 6749 §5.2, RFC 7617). */
export const DEFAULT_CLIENT_REALM = 'gatehouse'

/** Options of the RFC 6749 error classes. */
export interface OAuthErrorOptions {
  readonly cause?: unknown
}

/**
 * `invalid_request` (400): a parameter is missing, repeated, malformed or unsupported.
 * Named `OAuthInvalidRequest` to keep it apart from the RFC 6750 `InvalidRequest` of the security
 * layer, which carries a Bearer challenge.
 *
 * @example
 * throw new OAuthInvalidRequest('The "username" parameter is required.')
 */
export class OAuthInvalidRequest extends GatehouseHTTPError {
  constructor(description: string, options: OAuthErrorOptions = {}) {
    super('GH_ERR_OAUTH_INVALID_REQUEST', 400, 'invalid_request', { ...options, description })
  }
}

/** Options of {@link InvalidClient}. */
export interface InvalidClientOptions extends OAuthErrorOptions {
  /**
   * The realm of the `WWW-Authenticate: Basic` challenge. RFC 6749 §5.2 requires the challenge
   * when the client authenticated with the Authorization header; RFC 7235 §3.1 requires one on
   * every 401, so it is always sent.
   */
  readonly realm?: string
}

/**
 * `invalid_client` (401): client authentication failed. Always carries a Basic challenge.
 *
 * @example
 * throw new InvalidClient('Client authentication failed.')
 * // WWW-Authenticate: Basic realm="gatehouse"
 */
export class InvalidClient extends GatehouseHTTPError {
  constructor(description: string, options: InvalidClientOptions = {}) {
    const realm = options.realm ?? DEFAULT_CLIENT_REALM
    super('GH_ERR_OAUTH_INVALID_CLIENT', 401, 'invalid_client', {
      description,
      cause: options.cause,
      headers: { 'www-authenticate': formatChallenge('Basic', { realm }) },
    })
  }
}

/**
 * `invalid_grant` (400): the resource owner's credentials are wrong, or the account cannot be
 * used. One description for every cause so the response does not reveal which usernames exist.
 *
 * @example
 * throw new InvalidGrant('Invalid username or password.')
 */
export class InvalidGrant extends GatehouseHTTPError {
  constructor(description: string, options: OAuthErrorOptions = {}) {
    super('GH_ERR_OAUTH_INVALID_GRANT', 400, 'invalid_grant', { ...options, description })
  }
}

/**
 * `unauthorized_client` (400): the client may not use this grant type.
 *
 * @example
 * throw new UnauthorizedClient('The client may not use the password grant.')
 */
export class UnauthorizedClient extends GatehouseHTTPError {
  constructor(description: string, options: OAuthErrorOptions = {}) {
    super('GH_ERR_OAUTH_UNAUTHORIZED_CLIENT', 400, 'unauthorized_client', {
      ...options,
      description,
    })
  }
}

/**
 * `unsupported_grant_type` (400): the server does not implement the requested `grant_type`.
 *
 * @example
 * throw new UnsupportedGrantType('The grant type "implicit" is not supported.')
 */
export class UnsupportedGrantType extends GatehouseHTTPError {
  constructor(description: string, options: OAuthErrorOptions = {}) {
    super('GH_ERR_OAUTH_UNSUPPORTED_GRANT_TYPE', 400, 'unsupported_grant_type', {
      ...options,
      description,
    })
  }
}

/**
 * `invalid_scope` (400): the requested scope is malformed, unknown, or exceeds what the resource
 * owner may grant.
 *
 * @example
 * throw new InvalidScope('The requested scope exceeds the scope granted to the user.')
 */
export class InvalidScope extends GatehouseHTTPError {
  constructor(description: string, options: OAuthErrorOptions = {}) {
    super('GH_ERR_OAUTH_INVALID_SCOPE', 400, 'invalid_scope', { ...options, description })
  }
}

/** Any RFC 6749 §5.2 error the token endpoint throws. */
export type AnyOAuthError =
  | OAuthInvalidRequest
  | InvalidClient
  | InvalidGrant
  | UnauthorizedClient
  | UnsupportedGrantType
  | InvalidScope
