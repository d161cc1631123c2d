import { CompiledQuery, type Kysely } from 'kysely'
import type { RevocationStore } from '../tokens/index.js'
import type { Database } from './database.js'
import type { LocalConnection } from './dialect.js'
import { RevokedTokenSet } from './revoked-token-set.js'
import type { StoreClock } from './users-repository.js'

/** Expired rows are swept after this many revocations. */
const PRUNE_EVERY = 100

/**
 * The tokens layer's {@link RevocationStore} over the `revoked_tokens` table: shared by every
 * instance on the same database, and surviving restarts. Expired rows are pruned as it goes.
 *
 * Given a `local` connection (SQLite), `isRevoked` answers synchronously from an in-memory set of
 * the unexpired revoked ids, loaded on first use, updated by `revoke`, and reloaded when another
 * process (the CLI, another instance) writes to the database. Without one (PostgreSQL), each
 * `isRevoked` is one indexed query, so revocations by any instance count at once.
 *
 * @example
 * ```ts
 * const revocation = store.revocations
 * const verifier = createTokenVerifier({ keyRing, issuer, audience, revocation })
 * await store.revocations.revoke(claims.jti, claims.exp)
 * ```
 */
export class DatabaseRevocationStore implements RevocationStore {
  readonly #db: Kysely<Database>
  readonly #clock: StoreClock
  readonly #lookup: string
  readonly #memory: RevokedTokenSet | undefined
  #sinceLastPrune = 0

  constructor(db: Kysely<Database>, clock: StoreClock = Date.now, local?: LocalConnection) {
    this.#db = db
    this.#clock = clock
    // Compiled once: checked on every protected request.
    this.#lookup = db
      .selectFrom('revoked_tokens')
      .select('jti')
      .where('jti', '=', '')
      .where('expires_at', '>', 0)
      .compile().sql
    if (local !== undefined) {
      const load = db
        .selectFrom('revoked_tokens')
        .select(['jti', 'expires_at'])
        .where('expires_at', '>', 0)
        .compile().sql
      const upsert = this.#upsert('', 0).compile().sql
      this.#memory = new RevokedTokenSet(local, clock, { load, upsert })
    }
  }

  isRevoked(jti: string): boolean | Promise<boolean> {
    return this.#memory === undefined ? this.#query(jti) : this.#memory.has(jti)
  }

  async revoke(jti: string, expiresAt: number): Promise<void> {
    if (typeof jti !== 'string' || jti === '')
      throw new TypeError('`jti` must be a non-empty string')
    if (!Number.isSafeInteger(expiresAt)) throw new TypeError('`expiresAt` must be unix seconds')
    if (expiresAt <= this.#nowSeconds()) return // already dead: nothing to remember
    if (this.#memory === undefined) await this.#upsert(jti, expiresAt).execute()
    else this.#memory.add(jti, expiresAt)
    if (++this.#sinceLastPrune >= PRUNE_EVERY) await this.prune()
  }

  /** Deletes rows whose token has expired; returns how many. */
  async prune(): Promise<number> {
    this.#sinceLastPrune = 0
    const result = await this.#db
      .deleteFrom('revoked_tokens')
      .where('expires_at', '<=', this.#nowSeconds())
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  async #query(jti: string): Promise<boolean> {
    const query = CompiledQuery.raw(this.#lookup, [jti, this.#nowSeconds()])
    const { rows } = await this.#db.executeQuery(query)
    return rows.length > 0
  }

  /** Inserts the row, or moves its expiry later (never earlier). */
  #upsert(jti: string, expiresAt: number) {
    return this.#db
      .insertInto('revoked_tokens')
      .values({ jti, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('jti')
          .doUpdateSet({ expires_at: (eb) => eb.ref('excluded.expires_at') })
          .where('revoked_tokens.expires_at', '<', (eb) => eb.ref('excluded.expires_at')),
      )
  }

  #nowSeconds(): number {
    return Math.floor(this.#clock() / 1000)
  }
}
