import type { AccessTokenClaims } from './verify.js'

/**
 * Claims of tokens that passed full verification, keyed by the exact compact token, so any
 * altered byte misses. Bounded: the least recently used entry leaves first. Whether cached claims
 * are still good right now (expiry, revocation) is the verifier's question, asked on every hit.
 */
export class VerifiedTokenCache {
  // A Map iterates in insertion order; re-inserting on each hit keeps it in order of use.
  readonly #entries = new Map<string, AccessTokenClaims>()
  readonly #maxEntries: number

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries
  }

  /** Number of tokens held. */
  get size(): number {
    return this.#entries.size
  }

  /** The claims of `token`, now the most recently used; `undefined` when not cached. */
  get(token: string): AccessTokenClaims | undefined {
    const claims = this.#entries.get(token)
    if (claims !== undefined) {
      this.#entries.delete(token)
      this.#entries.set(token, claims)
    }
    return claims
  }

  /** Remembers a verified token, evicting the least recently used one when full. */
  set(token: string, claims: AccessTokenClaims): void {
    this.#entries.delete(token)
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
    this.#entries.set(token, claims)
  }

  delete(token: string): void {
    this.#entries.delete(token)
  }
}
