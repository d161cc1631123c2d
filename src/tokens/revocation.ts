import { DEFAULT_MAX_REVOKED_ENTRIES } from './defaults.js'

/**
 * Where revoked token ids (`jti`) are kept until the tokens would have expired anyway. The tokens
 * layer states this contract; `store` implements it over the database.
 *
 * @example
 * ```ts
 * await revocation.revoke(claims.jti, claims.exp)
 * await revocation.isRevoked(claims.jti) // true until claims.exp
 * ```
 */
export interface RevocationStore {
  /** Whether `jti` was revoked (and has not expired since). May answer synchronously. */
  isRevoked(jti: string): boolean | Promise<boolean>
  /** Revokes `jti` until `expiresAt` (unix seconds), after which the entry may be dropped. */
  revoke(jti: string, expiresAt: number): Promise<void>
}

/**
 * What a verifier needs to know about a token's subject on each request, answered by `store`
 * (`UsersRepository.findStatusById`). `undefined` means the subject no longer exists.
 */
export interface PrincipalStatus {
  /** A disabled principal's tokens are refused. */
  readonly disabled: boolean
  /** Unix seconds; tokens issued (`iat`) before this instant are dead. */
  readonly tokensValidAfter: number
  /** The scopes the principal currently holds. */
  readonly scopes: readonly string[]
}

/** Options of {@link MemoryRevocationStore}. */
export interface MemoryRevocationStoreOptions {
  /**
   * Upper bound of entries kept; when full, the entries expiring soonest are dropped.
   * Default 100 000.
   */
  readonly maxEntries?: number
  /** Current time in milliseconds since the epoch. Default `Date.now`. */
  readonly clock?: () => number
}

/**
 * An in-process {@link RevocationStore}: bounded, and entries are dropped once their token has
 * expired. Suits one instance and tests; several instances need the database-backed store.
 *
 * @example
 * ```ts
 * const revocation = new MemoryRevocationStore({ maxEntries: 10_000 })
 * const verifier = createTokenVerifier({ keyRing, issuer, audience, revocation })
 * ```
 */
export class MemoryRevocationStore implements RevocationStore {
  readonly #entries = new Map<string, number>()
  readonly #maxEntries: number
  readonly #clock: () => number

  constructor(options: MemoryRevocationStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_REVOKED_ENTRIES
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError(`\`maxEntries\` must be a positive integer, got ${String(maxEntries)}`)
    }
    this.#maxEntries = maxEntries
    this.#clock = options.clock ?? Date.now
  }

  /** Number of entries currently held (expired ones included until the next sweep). */
  get size(): number {
    return this.#entries.size
  }

  isRevoked(jti: string): boolean {
    const expiresAt = this.#entries.get(jti)
    if (expiresAt === undefined) return false
    if (expiresAt > this.#nowSeconds()) return true
    this.#entries.delete(jti)
    return false
  }

  async revoke(jti: string, expiresAt: number): Promise<void> {
    if (expiresAt <= this.#nowSeconds()) return // already dead: nothing to remember
    const current = this.#entries.get(jti) ?? 0
    this.#entries.delete(jti)
    this.#entries.set(jti, Math.max(current, expiresAt))
    if (this.#entries.size > this.#maxEntries) this.#evict()
  }

  /**
   * Drops expired entries, then, while still over the bound, those expiring soonest, down to 90%
   * of the bound so the sort is paid once per many insertions, not on each.
   */
  #evict(): void {
    const now = this.#nowSeconds()
    for (const [jti, expiresAt] of this.#entries) if (expiresAt <= now) this.#entries.delete(jti)
    if (this.#entries.size <= this.#maxEntries) return
    const target = Math.max(1, this.#maxEntries - Math.floor(this.#maxEntries / 10))
    const excess = this.#entries.size - target
    const soonest = [...this.#entries].sort((a, b) => a[1] - b[1]).slice(0, excess)
    for (const [jti] of soonest) this.#entries.delete(jti)
  }

  #nowSeconds(): number {
    return Math.floor(this.#clock() / 1000)
  }
}
