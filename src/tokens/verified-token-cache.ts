import type { AccessTokenClaims } from './verify.js'

interface Entry {
  readonly token: string
  readonly claims: AccessTokenClaims
}

/**
 * Claims of tokens that passed full verification, for the exact compact token only: any altered
 * byte misses. Bounded: the least recently used entry leaves first. Whether cached claims are
 * still good right now (expiry, revocation) is the verifier's question, asked on every hit.
 *
 * Entries are found by the signature segment and then compared with the whole token. Each request
 * brings its token as a new string, and a Map keyed by it would hash all of it (about 1 µs for a
 * 600-character token, most of a hit); the signature is a few dozen characters, and comparing two
 * strings of equal length is a memcmp.
 */
export class VerifiedTokenCache {
  // A Map iterates in insertion order; re-inserting on each hit keeps it in order of use.
  readonly #entries = new Map<string, Entry>()
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
    const key = signatureOf(token)
    const entry = this.#entries.get(key)
    if (entry === undefined || entry.token !== token) return undefined
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    return entry.claims
  }

  /** Remembers a verified token, evicting the least recently used one when full. */
  set(token: string, claims: AccessTokenClaims): void {
    const key = signatureOf(token)
    this.#entries.delete(key)
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
    this.#entries.set(key, { token, claims })
  }

  /** Forgets `token` (only that exact token). */
  delete(token: string): void {
    const key = signatureOf(token)
    if (this.#entries.get(key)?.token === token) this.#entries.delete(key)
  }
}

/** The JWS signature segment (RFC 7515 §7.1): what follows the last `.`. */
function signatureOf(token: string): string {
  return token.slice(token.lastIndexOf('.') + 1)
}
