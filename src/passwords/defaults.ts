/**
 * Defaults of the passwords layer: the OWASP Password Storage Cheat Sheet's first argon2id
 * configuration (m=19 MiB, t=2, p=1). Each is documented here once.
 */

/** Memory per hash in KiB: 19456 KiB = 19 MiB (OWASP minimum for argon2id). */
export const DEFAULT_MEMORY_COST = 19456

/** Passes over memory: 2 (OWASP, paired with 19 MiB). */
export const DEFAULT_TIME_COST = 2

/** Lanes computed in parallel: 1. Raising it changes the hash, so it is part of the parameters. */
export const DEFAULT_PARALLELISM = 1

/** Raw hash output in bytes: 32 (256 bits). */
export const OUTPUT_LENGTH = 32

/**
 * The longest password accepted, in UTF-8 bytes: 1024. Argon2 itself accepts more, but nobody
 * types more and the bound caps the work a single request can ask for. The token endpoint rejects
 * earlier; the hasher repeats the check as defence in depth.
 */
export const MAX_PASSWORD_BYTES = 1024
