/**
 * PROTOTYPE of a proposed change to src/tokens, used only by the bench to measure its effect on
 * the throughput targets: a bounded cache of verified access tokens in front of a
 * `TokenVerifier`. Tokens are reused across many requests, so most requests skip jose.
 *
 * Safety: the key is the exact compact JWS (any altered byte misses); every hit re-checks `exp`
 * and `nbf` against the clock and asks the revocation store about `jti`; entries leave at `exp`
 * or when the least recently used one must make room.
 */
import type {
  AccessTokenClaims,
  RevocationStore,
  TokenVerifier,
} from '../../src/tokens/index.js'
import { InvalidToken } from '../../src/security/index.js'

/** Options of {@link cachedVerifier}. */
export interface CachedVerifierOptions {
  readonly maxEntries?: number
  readonly clockToleranceSeconds?: number
  readonly clock?: () => number
  /** The verifier's own revocation store, consulted again on every hit. */
  readonly revocation?: RevocationStore
}

/** Wraps `base` with a verified-token cache. */
export function cachedVerifier(base: TokenVerifier, options: CachedVerifierOptions = {}): TokenVerifier {
  const maxEntries = options.maxEntries ?? 10_000
  const tolerance = options.clockToleranceSeconds ?? 5
  const clock = options.clock ?? Date.now
  const entries = new Map<string, AccessTokenClaims>()

  const hit = (token: string, claims: AccessTokenClaims): AccessTokenClaims | Promise<AccessTokenClaims> => {
    const now = clock() / 1000
    if (claims.exp + tolerance <= now) {
      entries.delete(token)
      return base.verify(token) // jose reports the expiry with its usual error
    }
    if (claims.nbf !== undefined && claims.nbf - tolerance > now) return base.verify(token)
    // LRU: re-insert moves the entry to the end of the Map's order.
    entries.delete(token)
    entries.set(token, claims)
    const revoked = options.revocation?.isRevoked(claims.jti)
    if (revoked === undefined || revoked === false) return claims
    if (revoked === true) throw new InvalidToken({ description: 'token has been revoked', code: 'GH_ERR_TOKEN_REVOKED' })
    return revoked.then((isRevoked) => {
      if (isRevoked) throw new InvalidToken({ description: 'token has been revoked', code: 'GH_ERR_TOKEN_REVOKED' })
      return claims
    })
  }

  return {
    verify: async (token) => {
      const cached = entries.get(token)
      if (cached !== undefined) return hit(token, cached)
      const claims = await base.verify(token)
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string)
      entries.set(token, claims)
      return claims
    },
  }
}
