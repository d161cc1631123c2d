import { Kysely } from 'kysely'
import type { RevocationStore } from '../tokens/index.js'
import type { Database } from './database.js'
import type { StoreDialect, StoreDialectName } from './dialect.js'
import { createPostgresDialect } from './dialects/postgres.js'
import { createSqliteDialect } from './dialects/sqlite.js'
import { migrateToLatest, type MigrateResult } from './migrate.js'
import { DatabaseRevocationStore } from './revocation-store.js'
import { parseStoreUrl } from './url.js'
import { UsersRepository, type StoreClock } from './users-repository.js'

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /**
   * `sqlite:<path>`, `sqlite::memory:`, a file path, or `postgres://…` / `postgresql://…`.
   * A SQLite file's parent directory is created when missing.
   */
  readonly url: string
  /** PostgreSQL only: keep every table in this schema (created by `migrate()`). */
  readonly schema?: string
  /** Time source in milliseconds, injectable for tests. Default `Date.now`. */
  readonly clock?: StoreClock
  /**
   * SQLite only: answer the per-request checks (`users.findStatusById`, `revocations.isRevoked`)
   * from memory, kept in step with every write by this process or, from the next event-loop turn,
   * by any other. Default true. PostgreSQL always queries.
   */
  readonly cache?: boolean
}

/** An open database with its repositories. */
export interface Store {
  readonly dialect: StoreDialectName
  /** The typed query builder, for queries the repositories do not cover. */
  readonly db: Kysely<Database>
  readonly users: UsersRepository
  /** Persistent revocation list (`revoked_tokens`), for the token verifier. */
  readonly revocations: RevocationStore & { prune(): Promise<number> }
  /** Applies pending migrations; safe to call on every start and from several processes. */
  migrate(): Promise<MigrateResult>
  /** Closes the connection(s). */
  close(): Promise<void>
}

/**
 * Opens a store. Does not migrate: call `migrate()` (the CLI's `migrate` command and the dev
 * server do).
 *
 * @throws GatehouseConfigError for an unsupported URL.
 * @example
 * ```ts
 * const store = openStore({ url: 'sqlite:./data/gatehouse.db' })
 * await store.migrate()
 * const alice = await store.users.findByUsername('alice')
 * await store.close()
 * ```
 */
export function openStore(options: OpenStoreOptions): Store {
  const opened = createDialect(options)
  const { local: _local, ...uncached } = opened
  const dialect: StoreDialect = options.cache === false ? uncached : opened
  const db = new Kysely<Database>({ dialect: dialect.kysely })
  const clock = options.clock ?? Date.now
  return Object.freeze({
    dialect: dialect.name,
    db,
    users: new UsersRepository(db, dialect, clock),
    revocations: new DatabaseRevocationStore(db, clock, dialect.local),
    migrate: () => migrateToLatest(db, dialect),
    close: () => db.destroy(),
  })
}

function createDialect(options: OpenStoreOptions): StoreDialect {
  const location = parseStoreUrl(options.url)
  if (location.dialect === 'sqlite') return createSqliteDialect({ filename: location.filename })
  const { schema } = options
  return createPostgresDialect({
    connectionString: location.connectionString,
    ...(schema === undefined ? {} : { schema }),
  })
}
