/**
 * Defaults of the tokens layer. Each is documented here once; the configuration table in the docs
 * is written from these comments.
 */

/**
 * Access-token lifetime in seconds: 15 minutes. Short enough that a leaked token expires soon,
 * long enough that clients do not refresh on every request (RFC 9068 leaves it to the server).
 */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 900

/**
 * Clock skew tolerated when checking `exp`, `nbf` and `iat`, in seconds. Covers small clock drift
 * between the instances that issue and verify tokens without meaningfully extending a lifetime.
 */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5

/**
 * The JWS algorithms a {@link KeyRing} can hold. `HS256`, `HS384` and `HS512` use a shared secret;
 * `ES256` (P-256) and `EdDSA` (Ed25519) are asymmetric and publishable as a JWKS.
 * `none` is never accepted.
 */
export const SUPPORTED_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'ES256', 'EdDSA'] as const

/** One of {@link SUPPORTED_ALGORITHMS}. */
export type SigningAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number]

/** The algorithm used when none is named: HMAC with SHA-256 over a shared secret. */
export const DEFAULT_ALGORITHM: SigningAlgorithm = 'HS256'

/**
 * The shortest accepted HMAC secret, in bytes: 32 bytes (256 bits), the output size of SHA-256,
 * as RFC 7518 §3.2 requires for HS256.
 */
export const MIN_SECRET_BYTES = 32

/**
 * The JWT `typ` header of access tokens (RFC 9068 §2.1). Verification also accepts the full media
 * type `application/at+jwt` (RFC 8725 §3.11).
 */
export const ACCESS_TOKEN_TYPE = 'at+jwt'

/**
 * The largest token accepted for verification, in bytes (8 KiB). Longer input is rejected before
 * any parsing, so oversized headers cost nothing to refuse.
 */
export const MAX_TOKEN_BYTES = 8192

/** Random bytes in a `jti`: 128 bits, base64url-encoded to 22 characters. */
export const JTI_BYTES = 16

/** Entries a {@link MemoryRevocationStore} holds before it evicts the ones expiring soonest. */
export const DEFAULT_MAX_REVOKED_ENTRIES = 100_000

/**
 * Entries a verifier's verified-token cache holds before it drops the least recently used: 10 000
 * tokens, a few MiB. Enough that every active client's current token stays cached; a token
 * verified once then skips the signature check on later requests.
 */
export const DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES = 10_000
