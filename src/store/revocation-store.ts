import { CompiledQuery, type Kysely } from 'kysely'
import type { RevocationStore } from '../tokens/index.js'
import type { Database } from './database.js'
import type { StoreClock } from './users-repository.js'

/** Expired rows are swept after this many revocations. */
const PRUNE_EVERY = 100

/**
 * The tokens layer's {@link RevocationStore} over the `revoked_tokens` table: shared by every
 * instance on the same database, and surviving restarts. Expired rows are pruned as it goes.
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
  #sinceLastPrune = 0

  constructor(db: Kysely<Database>, clock: StoreClock = Date.now) {
    this.#db = db
    this.#clock = clock
    // Compiled once: checked on every protected request.
    this.#lookup = db
      .selectFrom('revoked_tokens')
      .select('jti')
      .where('jti', '=', '')
      .where('expires_at', '>', 0)
      .compile().sql
  }

  async isRevoked(jti: string): Promise<boolean> {
    const query = CompiledQuery.raw(this.#lookup, [jti, this.#nowSeconds()])
    const { rows } = await this.#db.executeQuery(query)
    return rows.length > 0
  }

  async revoke(jti: string, expiresAt: number): Promise<void> {
    if (typeof jti !== 'string' || jti === '')
      throw new TypeError('`jti` must be a non-empty string')
    if (!Number.isSafeInteger(expiresAt)) throw new TypeError('`expiresAt` must be unix seconds')
    if (expiresAt <= this.#nowSeconds()) return // already dead: nothing to remember
    await this.#db
      .insertInto('revoked_tokens')
      .values({ jti, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('jti')
          .doUpdateSet({ expires_at: (eb) => eb.ref('excluded.expires_at') })
          .where('revoked_tokens.expires_at', '<', (eb) => eb.ref('excluded.expires_at')),
      )
      .execute()
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

  #nowSeconds(): number {
    return Math.floor(this.#clock() / 1000)
  }
}
