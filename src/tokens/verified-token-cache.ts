import type { AccessTokenClaims } from './verify.js'

interface Entry {
  readonly token: string
  readonly claims: AccessTokenClaims
  /** Hit since the eviction scan last passed it (the CLOCK algorithm's reference bit). */
  used: boolean
}

/**
 * Claims of tokens that passed full verification, for the exact compact token only: any altered
 * byte misses. Bounded, with LRU's order approximated by CLOCK (second chance): a hit only marks
 * its entry; when full, the scan from the oldest entry moves marked ones to the young end,
 * unmarked, and evicts the first unmarked one. Moving an entry on every hit cost about 200 ns, half
 * of a hit. Whether cached claims are still good right now (expiry, revocation) is the
 * verifier's question, asked on every hit.
 *
 * Entries are found by the signature segment and then compared with the whole token. Each request
 * brings its token as a new string, and a Map keyed by it would hash all of it (about 1 µs for a
 * 600-character token, most of a hit); the signature is a few dozen characters, and comparing two
 * strings of equal length is a memcmp.
 */
export class VerifiedTokenCache {
  // A Map iterates in insertion order: oldest (or longest unmarked) first.
  readonly #entries = new Map<string, Entry>()
  readonly #maxEntries: number

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries
  }

  /** Number of tokens held. */
  get size(): number {
    return this.#entries.size
  }

  /** The claims of `token`, marked as used; `undefined` when not cached. */
  get(token: string): AccessTokenClaims | undefined {
    const entry = this.#entries.get(signatureOf(token))
    if (entry === undefined || entry.token !== token) return undefined
    entry.used = true
    return entry.claims
  }

  /** Remembers a verified token, evicting the oldest unused one when full. */
  set(token: string, claims: AccessTokenClaims): void {
    const key = signatureOf(token)
    this.#entries.delete(key)
    if (this.#entries.size >= this.#maxEntries) this.#evictOne()
    this.#entries.set(key, { token, claims, used: false })
  }

  /** CLOCK: marked entries get a second chance at the young end; the first unmarked one leaves. */
  #evictOne(): void {
    for (const [key, entry] of this.#entries) {
      this.#entries.delete(key)
      if (!entry.used) return
      entry.used = false
      this.#entries.set(key, entry)
    }
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
