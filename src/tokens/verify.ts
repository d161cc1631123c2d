import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import { GatehouseConfigError } from '../errors.js'
import { tryParseScope } from '../scopes/index.js'
import { InvalidToken, type InvalidTokenCode } from '../security/errors.js'
import {
  ACCESS_TOKEN_TYPE,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES,
  MAX_TOKEN_BYTES,
} from './defaults.js'
import type { Clock } from './issue.js'
import type { KeyRing } from './key-ring.js'
import type { RevocationStore } from './revocation.js'
import { VerifiedTokenCache } from './verified-token-cache.js'

/** Options of {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  /** Keys that verify; only their algorithms are accepted. */
  readonly keyRing: KeyRing
  /** Required `iss` value(s). */
  readonly issuer: string | readonly string[]
  /** Accepted `aud` value(s); the token must name at least one. */
  readonly audience: string | readonly string[]
  /** Skew tolerated on `exp`, `nbf` and `iat`, in seconds. Default 5. */
  readonly clockToleranceSeconds?: number
  /** Time source, injectable for tests. Default `Date.now`. */
  readonly clock?: Clock
  /** When given, tokens whose `jti` is revoked are refused. */
  readonly revocation?: RevocationStore
  /**
   * Bound of the verified-token cache; 0 turns it off. Default 10 000. A token that passed full
   * verification is remembered by its exact compact form, so later requests with it skip the
   * signature check. Every hit still checks `exp`, `nbf` and `iat` against `clock` (with the same
   * skew) and asks `revocation` about the `jti`: a cached token is never accepted once it has
   * expired or been revoked. The least recently used token leaves first. Key rings are immutable,
   * so the cache lives and dies with its verifier: rotating keys means a new verifier.
   */
  readonly cacheMaxEntries?: number
}

/** The claims of a verified access token, with `scope` parsed into a list. */
export interface AccessTokenClaims {
  readonly iss: string
  readonly sub: string
  readonly aud: string | readonly string[]
  readonly iat: number
  readonly exp: number
  readonly jti: string
  readonly nbf?: number
  /** The `scope` claim split on spaces; empty when the token carries none. */
  readonly scope: readonly string[]
  readonly client_id?: string
  readonly [claim: string]: unknown
}

/** Verifies access tokens. */
export interface TokenVerifier {
  /**
   * Verifies signature, header and claims.
   *
   * @throws InvalidToken (401 `invalid_token`) for any token that is not valid right now.
   */
  verify(token: string): Promise<AccessTokenClaims>
}

const REQUIRED_CLAIMS = ['iss', 'aud', 'exp', 'sub', 'jti', 'iat']

/**
 * Creates an access-token verifier. Algorithms are pinned to the key ring's, and each `kid` to its
 * own algorithm; `typ` must be `at+jwt` (RFC 9068 §4). Every failure, whatever jose reported,
 * becomes an `InvalidToken` whose `cause` is jose's error (with its `code`).
 *
 * @throws GatehouseConfigError for invalid options.
 * @example
 * ```ts
 * const verifier = createTokenVerifier({ keyRing, issuer: issuerUrl, audience: 'api' })
 * const claims = await verifier.verify(token) // claims.scope: ['read', 'write']
 * ```
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const config = validateVerifierOptions(options)
  if (config.cacheMaxEntries === 0) return { verify: (token) => verifyAccessToken(config, token) }
  const cache = new VerifiedTokenCache(config.cacheMaxEntries)
  return { verify: (token) => verifyCached(config, cache, token) }
}

interface VerifierConfig {
  readonly keyRing: KeyRing
  /** The ring's algorithms, computed once (the ring is immutable). */
  readonly algorithms: string[]
  readonly issuer: string | string[]
  readonly audience: string | string[]
  readonly tolerance: number
  readonly clock: Clock
  readonly revocation: RevocationStore | undefined
  readonly getKey: JWTVerifyGetKey
  readonly cacheMaxEntries: number
}

function validateVerifierOptions(options: TokenVerifierOptions): VerifierConfig {
  const { keyRing } = options
  if (keyRing === undefined || typeof keyRing.verificationKey !== 'function') {
    throw new GatehouseConfigError('`keyRing` must be a KeyRing', { code: 'GH_ERR_KEY_INVALID' })
  }
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new GatehouseConfigError(
      `\`clockToleranceSeconds\` must be a non-negative number, got ${String(tolerance)}`,
    )
  }
  const cacheMaxEntries = options.cacheMaxEntries ?? DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES
  if (!Number.isSafeInteger(cacheMaxEntries) || cacheMaxEntries < 0) {
    throw new GatehouseConfigError(
      `\`cacheMaxEntries\` must be a non-negative integer, got ${String(cacheMaxEntries)}`,
    )
  }
  return Object.freeze({
    keyRing,
    algorithms: [...keyRing.algorithms],
    issuer: stringOrList(options.issuer, 'issuer'),
    audience: stringOrList(options.audience, 'audience'),
    tolerance,
    clock: options.clock ?? Date.now,
    revocation: options.revocation,
    getKey: keyResolver(keyRing),
    cacheMaxEntries,
  })
}

/** Resolves the key by `kid` from keys imported once; unknown kid or alg mismatch is a no-match. */
function keyResolver(keyRing: KeyRing): JWTVerifyGetKey {
  return (header) => {
    const key =
      header.kid === undefined ? undefined : keyRing.verificationKey(header.kid, header.alg)
    if (key === undefined) throw new errors.JWKSNoMatchingKey()
    return key
  }
}

async function verifyAccessToken(
  config: VerifierConfig,
  token: string,
): Promise<AccessTokenClaims> {
  if (typeof token !== 'string' || token.length === 0) throw invalidToken('token is malformed')
  if (token.length > MAX_TOKEN_BYTES) throw invalidToken('token is too large')
  const now = config.clock()
  const payload = await verifySignedJwt(config, token, now)
  const claims = toClaims(payload)
  if (claims.iat > Math.floor(now / 1000) + config.tolerance) {
    throw invalidToken('token was issued in the future')
  }
  await assertNotRevoked(config, claims)
  return claims
}

/**
 * A hit skips jose, not the checks that can change after a token was verified: its time window
 * and its revocation. A cached token outside its window is dropped and verified in full, so it
 * fails exactly as an uncached one would.
 */
async function verifyCached(
  config: VerifierConfig,
  cache: VerifiedTokenCache,
  token: string,
): Promise<AccessTokenClaims> {
  // JavaScript callers may pass anything; the full path refuses it as malformed.
  if (typeof token !== 'string') return verifyAccessToken(config, token)
  const cached = cache.get(token)
  if (cached !== undefined && isWithinTimeWindow(config, cached)) {
    const pending = assertNotRevoked(config, cached)
    if (pending !== undefined) await pending
    return cached
  }
  if (cached !== undefined) cache.delete(token)
  const claims = await verifyAccessToken(config, token)
  cache.set(token, claims)
  return claims
}

/** jose's `exp` and `nbf` rules and our `iat` rule, at the verifier's clock, in unix seconds. */
function isWithinTimeWindow(config: VerifierConfig, claims: AccessTokenClaims): boolean {
  const now = Math.floor(config.clock() / 1000)
  return (
    claims.exp > now - config.tolerance &&
    (claims.nbf === undefined || claims.nbf <= now + config.tolerance) &&
    claims.iat <= now + config.tolerance
  )
}

/** Synchronous when the store answers synchronously, so a cache hit costs no extra await. */
function assertNotRevoked(
  config: VerifierConfig,
  claims: AccessTokenClaims,
): Promise<void> | undefined {
  const revoked = config.revocation?.isRevoked(claims.jti)
  if (revoked === true) throw revokedToken()
  if (revoked === undefined || revoked === false) return undefined
  return revoked.then((isRevoked) => {
    if (isRevoked) throw revokedToken()
  })
}

function revokedToken(): InvalidToken {
  return invalidToken('token has been revoked', 'GH_ERR_TOKEN_REVOKED')
}

async function verifySignedJwt(
  config: VerifierConfig,
  token: string,
  now: number,
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, config.getKey, {
      algorithms: config.algorithms,
      typ: ACCESS_TOKEN_TYPE,
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: REQUIRED_CLAIMS,
      clockTolerance: config.tolerance,
      currentDate: new Date(now),
    })
    return payload
  } catch (error) {
    if (!(error instanceof errors.JOSEError)) throw error
    const code =
      error instanceof errors.JWTExpired ? 'GH_ERR_TOKEN_EXPIRED' : 'GH_ERR_TOKEN_INVALID'
    throw invalidToken(describeJoseError(error), code, error)
  }
}

/** The one place jose errors are mapped (house style 16): a description per failure. */
function describeJoseError(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) return 'token has expired'
  if (error instanceof errors.JWTClaimValidationFailed) return describeClaimFailure(error)
  switch (error.code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'token signature is invalid'
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'token algorithm is not allowed'
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'token signing key is unknown'
    default:
      return 'token is malformed'
  }
}

function describeClaimFailure(error: InstanceType<typeof errors.JWTClaimValidationFailed>): string {
  if (error.reason === 'missing') return `token is missing the "${error.claim}" claim`
  switch (error.claim) {
    case 'typ':
      return 'token type is not at+jwt'
    case 'nbf':
      return 'token is not yet valid'
    case 'iss':
      return 'token issuer is not accepted'
    case 'aud':
      return 'token audience is not accepted'
    default:
      return `token "${error.claim}" claim is invalid`
  }
}

/** Narrows the payload to {@link AccessTokenClaims}; jose checked presence, this checks types. */
function toClaims(payload: JWTPayload): AccessTokenClaims {
  const { sub, jti, iat, scope, client_id: clientId } = payload
  if (typeof sub !== 'string' || sub === '') throw claimError('sub')
  if (typeof jti !== 'string' || jti === '') throw claimError('jti')
  if (typeof iat !== 'number') throw claimError('iat')
  const parsed =
    scope === undefined ? [] : typeof scope === 'string' ? tryParseScope(scope) : undefined
  if (parsed === undefined) throw claimError('scope')
  if (clientId !== undefined && typeof clientId !== 'string') throw claimError('client_id')
  // Adapter spot: jose verified iss, aud and exp; the checks above cover the remaining claims.
  return Object.freeze({ ...payload, scope: Object.freeze(parsed) }) as AccessTokenClaims
}

function claimError(claim: string): InvalidToken {
  return invalidToken(`token "${claim}" claim is invalid`)
}

function invalidToken(
  description: string,
  code: InvalidTokenCode = 'GH_ERR_TOKEN_INVALID',
  cause?: unknown,
): InvalidToken {
  return new InvalidToken({ description, code, cause })
}

function stringOrList(value: string | readonly string[], name: string): string | string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? [...value] : []
  if (list.length === 0 || list.some((entry) => typeof entry !== 'string' || entry === '')) {
    throw new GatehouseConfigError(`\`${name}\` must be a non-empty string or list of strings`)
  }
  return typeof value === 'string' ? value : list
}
