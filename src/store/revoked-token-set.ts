import type { LocalConnection } from './dialect.js'
import type { StoreClock } from './users-repository.js'

/** SQL of {@link RevokedTokenSet}, compiled by the store. */
export interface RevokedTokenSetQueries {
  /** `jti, expires_at` of every row with `expires_at` after the one parameter. */
  readonly load: string
  /** Upserts `(jti, expires_at)`, keeping the later expiry. */
  readonly upsert: string
}

interface Row {
  readonly jti: string
  readonly expires_at: number
}

/**
 * The unexpired revoked token ids of the database, in memory: `has` is a `Map` lookup. The whole
 * set is reloaded when the database's generation moves (a write by another process, or any other
 * write through this store); revocations through this set update it in place instead.
 */
export class RevokedTokenSet {
  readonly #local: LocalConnection
  readonly #clock: StoreClock
  readonly #load: (now: number) => Row[]
  readonly #upsert: (jti: string, expiresAt: number) => number
  #entries = new Map<string, number>()
  #generation = -1

  constructor(local: LocalConnection, clock: StoreClock, queries: RevokedTokenSetQueries) {
    this.#local = local
    this.#clock = clock
    this.#load = local.reader<Row>(queries.load)
    this.#upsert = local.ownWriter(queries.upsert)
  }

  /** Whether `jti` is revoked and its token not yet expired. */
  has(jti: string): boolean {
    this.#sync()
    const expiresAt = this.#entries.get(jti)
    if (expiresAt === undefined) return false
    if (expiresAt > this.#nowSeconds()) return true
    this.#entries.delete(jti)
    return false
  }

  /** Writes the revocation to the database, then to memory. */
  add(jti: string, expiresAt: number): void {
    this.#upsert(jti, expiresAt)
    this.#sync() // reloads, our row included, if anything else was written meanwhile
    this.#entries.set(jti, Math.max(this.#entries.get(jti) ?? 0, expiresAt))
  }

  #sync(): void {
    const generation = this.#local.generation()
    if (generation === this.#generation) return
    this.#generation = generation
    const rows = this.#load(this.#nowSeconds())
    this.#entries = new Map(rows.map((row) => [row.jti, Number(row.expires_at)]))
  }

  #nowSeconds(): number {
    return Math.floor(this.#clock() / 1000)
  }
}
