import { SignJWT, base64url } from 'jose'
import { GatehouseConfigError } from '../errors.js'
import { formatScope } from '../scopes/index.js'
import { ACCESS_TOKEN_TYPE, DEFAULT_ACCESS_TOKEN_TTL_SECONDS, JTI_BYTES } from './defaults.js'
import type { KeyRing } from './key-ring.js'

/** Current time in milliseconds since the epoch (the shape of `Date.now`). */
export type Clock = () => number

/** Options of {@link createTokenIssuer}. */
export interface TokenIssuerOptions {
  /** Keys; the ring's first signing key signs. */
  readonly keyRing: KeyRing
  /** The `iss` claim: this authorization server's identifier (usually its URL). */
  readonly issuer: string
  /** The `aud` claim: the resource server(s) the tokens are for. */
  readonly audience: string | readonly string[]
  /** Access-token lifetime in seconds. Default 900 (15 minutes). */
  readonly accessTokenTtlSeconds?: number
  /** Time source, injectable for tests. Default `Date.now`. */
  readonly clock?: Clock
}

/** What to put in one access token. */
export interface IssueAccessTokenInput {
  /** The `sub` claim: the principal the token is about. */
  readonly subject: string
  /** Granted scopes; written as the space-separated `scope` claim (RFC 9068 §2.2.3). */
  readonly scope: readonly string[]
  /** The `client_id` claim (RFC 9068 §2.2), when a client is known. */
  readonly clientId?: string
  /** Extra private claims. Registered claims (`iss`, `exp`, ...) cannot be overridden. */
  readonly claims?: Readonly<Record<string, unknown>>
  /**
   * The `iat` claim in unix seconds, when it is not now: the instant the credentials this token
   * stands for were checked (the token endpoint passes the time it read the user, so a password
   * change that lands while a login is hashing still outdates that login's token). `exp` is
   * counted from it. Default: now.
   */
  readonly issuedAt?: number
}

/** An issued access token, shaped for the RFC 6749 §5.1 token response. */
export interface IssuedAccessToken {
  /** The compact JWS. */
  readonly token: string
  readonly tokenType: 'bearer'
  /** Lifetime in seconds (`expires_in`). */
  readonly expiresIn: number
  /** `exp`, unix seconds. */
  readonly expiresAt: number
  readonly jti: string
  /** Granted scopes, space-separated (`scope` of the token response). */
  readonly scope: string
}

/** Mints signed access tokens. */
export interface TokenIssuer {
  /** Signs an RFC 9068 JWT access token. */
  issueAccessToken(input: IssueAccessTokenInput): Promise<IssuedAccessToken>
}

const REGISTERED_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'scope',
  'client_id',
])

/**
 * Creates an access-token issuer. Tokens carry `iss aud sub scope iat exp jti` (and `client_id`
 * when given) with the protected header `{ alg, kid, typ: 'at+jwt' }` (RFC 9068 §2).
 *
 * @throws GatehouseConfigError for invalid options, or a key ring that cannot sign.
 * @example
 * ```ts
 * const issuer = createTokenIssuer({ keyRing, issuer: 'https://auth.example', audience: 'api' })
 * const { token, expiresIn } = await issuer.issueAccessToken({ subject: 'alice', scope: ['read'] })
 * ```
 */
export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  const config = validateIssuerOptions(options)
  return {
    issueAccessToken: (input) => issueAccessToken(config, input),
  }
}

interface IssuerConfig {
  readonly keyRing: KeyRing
  readonly issuer: string
  readonly audience: string | string[]
  readonly ttl: number
  readonly clock: Clock
}

function validateIssuerOptions(options: TokenIssuerOptions): IssuerConfig {
  const { keyRing, issuer, audience } = options
  if (!keyRing?.canSign)
    throw new GatehouseConfigError('`keyRing` must hold a key that can sign', {
      code: 'GH_ERR_KEY_INVALID',
    })
  assertNonEmpty(issuer, 'issuer')
  const audiences = typeof audience === 'string' ? [audience] : [...(audience ?? [])]
  if (audiences.length === 0) throw configError('`audience` must name at least one audience')
  for (const entry of audiences) assertNonEmpty(entry, 'audience')
  const ttl = options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS
  if (!Number.isSafeInteger(ttl) || ttl < 1) {
    throw configError(`\`accessTokenTtlSeconds\` must be a positive integer, got ${String(ttl)}`)
  }
  const aud = typeof audience === 'string' ? audience : audiences
  return Object.freeze({ keyRing, issuer, audience: aud, ttl, clock: options.clock ?? Date.now })
}

async function issueAccessToken(
  config: IssuerConfig,
  input: IssueAccessTokenInput,
): Promise<IssuedAccessToken> {
  if (!Array.isArray(input.scope)) throw new TypeError('`scope` must be an array of scope tokens')
  const scope = formatScope(input.scope)
  const payload = buildPayload(input, scope)
  const iat = input.issuedAt ?? Math.floor(config.clock() / 1000)
  if (!Number.isSafeInteger(iat) || iat < 0) {
    throw new TypeError(`\`issuedAt\` must be a non-negative integer, got ${String(iat)}`)
  }
  const expiresAt = iat + config.ttl
  const jti = base64url.encode(crypto.getRandomValues(new Uint8Array(JTI_BYTES)))
  const { kid, alg, key } = config.keyRing.signingKey
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg, kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setSubject(input.subject)
    .setIssuedAt(iat)
    .setExpirationTime(expiresAt)
    .setJti(jti)
    .sign(key)
  return { token, tokenType: 'bearer', expiresIn: config.ttl, expiresAt, jti, scope }
}

function buildPayload(input: IssueAccessTokenInput, scope: string): Record<string, unknown> {
  if (typeof input.subject !== 'string' || input.subject === '') {
    throw new TypeError('`subject` must be a non-empty string')
  }
  const payload: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(input.claims ?? {})) {
    if (REGISTERED_CLAIMS.has(name)) throw new TypeError(`claim \`${name}\` cannot be overridden`)
    payload[name] = value
  }
  if (scope !== '') payload['scope'] = scope
  if (input.clientId !== undefined) payload['client_id'] = input.clientId
  return payload
}

function assertNonEmpty(value: unknown, name: string): void {
  if (typeof value !== 'string' || value === '') {
    throw configError(`\`${name}\` must be a non-empty string, got ${describe(value)}`)
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value
}

function configError(message: string): GatehouseConfigError {
  return new GatehouseConfigError(message)
}
