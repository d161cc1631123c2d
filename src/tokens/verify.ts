import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import { GatehouseConfigError } from '../errors.js'
import { tryParseScope } from '../scopes/index.js'
import { InvalidToken, type InvalidTokenCode } from '../security/errors.js'
import { ACCESS_TOKEN_TYPE, DEFAULT_CLOCK_TOLERANCE_SECONDS, MAX_TOKEN_BYTES } from './defaults.js'
import type { Clock } from './issue.js'
import type { KeyRing } from './key-ring.js'
import type { RevocationStore } from './revocation.js'

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
  return {
    verify: (token) => verifyAccessToken(config, token),
  }
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
  return Object.freeze({
    keyRing,
    algorithms: [...keyRing.algorithms],
    issuer: stringOrList(options.issuer, 'issuer'),
    audience: stringOrList(options.audience, 'audience'),
    tolerance,
    clock: options.clock ?? Date.now,
    revocation: options.revocation,
    getKey: keyResolver(keyRing),
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
  if (config.revocation !== undefined && (await config.revocation.isRevoked(claims.jti))) {
    throw invalidToken('token has been revoked', 'GH_ERR_TOKEN_REVOKED')
  }
  return claims
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
