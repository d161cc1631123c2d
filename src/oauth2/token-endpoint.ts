/**
 * The token endpoint (RFC 6749 §3.2), framework-free: parse the form, pick the grant by
 * `grant_type`, run its steps. The server's route turns the result or the thrown RFC 6749 error
 * into a response with `Cache-Control: no-store`.
 */
import { GatehouseConfigError } from '../errors.js'
import type { PasswordHasher } from '../passwords/index.js'
import type { ScopeRegistry } from '../scopes/index.js'
import type { TokenIssuer } from '../tokens/index.js'
import { publicClientsOnly, type ClientAuthenticator } from './client-auth.js'
import type {
  Grant,
  GrantContext,
  ResourceOwnerDirectory,
  TokenEndpointConfig,
  TokenRequest,
  TokenResponseBody,
} from './context.js'
import { stepOutput } from './context.js'
import {
  DEFAULT_GRANT_TYPE,
  DEFAULT_MAX_PASSWORD_BYTES,
  DEFAULT_MAX_USERNAME_LENGTH,
} from './defaults.js'
import { OAuthInvalidRequest, UnsupportedGrantType } from './errors.js'
import { parseForm, type TokenForm } from './form.js'
import { passwordGrant } from './grants/password.js'

/** Options of {@link createTokenEndpoint}. */
export interface TokenEndpointOptions {
  /** Where resource owners are looked up. */
  readonly owners: ResourceOwnerDirectory
  /** Verifies (and re-hashes) passwords. */
  readonly hasher: PasswordHasher
  /** Mints access tokens. */
  readonly issuer: TokenIssuer
  /** Client policy. Default {@link publicClientsOnly}. */
  readonly clients?: ClientAuthenticator
  /** Known scopes and their implications; without it, requests are checked literally. */
  readonly scopes?: ScopeRegistry
  /** Supported grants by `grant_type`. Default: the password grant only. */
  readonly grants?: readonly Grant[]
  /** Default {@link DEFAULT_MAX_USERNAME_LENGTH}. */
  readonly maxUsernameLength?: number
  /** Default {@link DEFAULT_MAX_PASSWORD_BYTES}. */
  readonly maxPasswordBytes?: number
  /** Time source in milliseconds, injectable for tests; use the issuer's. Default `Date.now`. */
  readonly clock?: () => number
}

/** A configured token endpoint. */
export interface TokenEndpoint {
  /** The `grant_type` values this endpoint supports. */
  readonly grantTypes: readonly string[]
  /**
   * Handles one token request.
   *
   * @throws an RFC 6749 §5.2 error (`OAuthInvalidRequest`, `InvalidClient`, `InvalidGrant`,
   *   `UnsupportedGrantType`, `InvalidScope`).
   */
  handle(request: TokenRequest): Promise<TokenResponseBody>
}

/**
 * Creates the token endpoint.
 *
 * @throws {GatehouseConfigError} for missing collaborators or bad limits.
 * @example
 * const endpoint = createTokenEndpoint({ owners, hasher, issuer, scopes })
 * const body = await endpoint.handle({
 *   contentType: 'application/x-www-form-urlencoded',
 *   authorization: undefined,
 *   body: { username: 'user1', password: 'secret' },
 * })
 * // { access_token: 'eyJ…', token_type: 'bearer', expires_in: 900, scope: 'read' }
 */
export function createTokenEndpoint(options: TokenEndpointOptions): TokenEndpoint {
  const config = validateOptions(options)
  const grants = grantMap(options.grants ?? [passwordGrant])
  return Object.freeze({
    grantTypes: Object.freeze([...grants.keys()]),
    handle: (request: TokenRequest) => handleTokenRequest(config, grants, request),
  })
}

async function handleTokenRequest(
  config: TokenEndpointConfig,
  grants: ReadonlyMap<string, Grant>,
  request: TokenRequest,
): Promise<TokenResponseBody> {
  const form = parseForm(request.contentType, request.body)
  const grant = selectGrant(grants, form)
  const context: GrantContext = { config, request, form }
  for (const step of grant.steps) await step(context)
  return stepOutput(context.response, 'response')
}

/**
 * Picks the grant for the request's `grant_type`. An omitted `grant_type` means `password`, as
 * in the paper's curl example; an empty one is a malformed request.
 *
 * @throws {OAuthInvalidRequest} for an empty `grant_type`.
 * @throws {UnsupportedGrantType} for one this endpoint does not implement.
 * @example
 * selectGrant(new Map([['password', passwordGrant]]), new Map()) // passwordGrant
 */
export function selectGrant(grants: ReadonlyMap<string, Grant>, form: TokenForm): Grant {
  const grantType = form.get('grant_type') ?? DEFAULT_GRANT_TYPE
  if (grantType === '') throw new OAuthInvalidRequest('The "grant_type" parameter is empty.')
  const grant = grants.get(grantType)
  if (grant === undefined) {
    throw new UnsupportedGrantType(`The grant type ${JSON.stringify(grantType)} is not supported.`)
  }
  return grant
}

function grantMap(grants: readonly Grant[]): ReadonlyMap<string, Grant> {
  const map = new Map<string, Grant>()
  for (const grant of grants) {
    if (map.has(grant.grantType)) {
      throw new GatehouseConfigError(`\`grants\` lists "${grant.grantType}" twice`)
    }
    map.set(grant.grantType, grant)
  }
  if (map.size === 0) throw new GatehouseConfigError('`grants` must name at least one grant')
  return map
}

function validateOptions(options: TokenEndpointOptions): TokenEndpointConfig {
  for (const name of ['owners', 'hasher', 'issuer'] as const) {
    if (typeof options[name] !== 'object' || options[name] === null) {
      throw new GatehouseConfigError(`\`${name}\` is required, got ${typeof options[name]}`)
    }
  }
  return Object.freeze({
    owners: options.owners,
    hasher: options.hasher,
    issuer: options.issuer,
    clients: options.clients ?? publicClientsOnly,
    scopes: options.scopes,
    maxUsernameLength: positiveInteger(
      options.maxUsernameLength,
      'maxUsernameLength',
      DEFAULT_MAX_USERNAME_LENGTH,
    ),
    maxPasswordBytes: positiveInteger(
      options.maxPasswordBytes,
      'maxPasswordBytes',
      DEFAULT_MAX_PASSWORD_BYTES,
    ),
    clock: options.clock ?? Date.now,
  })
}

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new GatehouseConfigError(`\`${name}\` must be a positive integer, got ${String(value)}`)
  }
  return value
}
