import type { Dialect, Kysely } from 'kysely'

/** The dialects a store can run on. */
export type StoreDialectName = 'sqlite' | 'postgres'

/**
 * Everything that differs between databases, behind one small interface (Kysely's split).
 * Implementations live in `dialects/<name>.ts`; repositories never look past this.
 */
export interface StoreDialect {
  readonly name: StoreDialectName
  /** The Kysely dialect (driver, compiler, adapter). */
  readonly kysely: Dialect
  /**
   * Turns a driver error callers branch on into a Gatehouse error (a unique violation into
   * `StoreConflictError`); returns every other error unchanged.
   */
  translateError(error: unknown, conflictMessage: string): unknown
  /** Runs before migrations: creates what the migrator itself needs (a PostgreSQL schema). */
  beforeMigrate(db: Kysely<unknown>): Promise<void>
  /**
   * The schema that holds every table, the migrator's own included, when it is not the
   * connection's default (PostgreSQL's `schema` option).
   */
  readonly schema?: string
  /**
   * Synchronous access to the store's one connection, for the per-process caches of the request
   * path; only where a database can tell cheaply that it changed (SQLite). Absent on PostgreSQL.
   */
  readonly local?: LocalConnection
}

/**
 * The store's connection, used synchronously. Caches compare {@link LocalConnection.generation}
 * with the one they were filled at, and start over when it moved.
 */
export interface LocalConnection {
  /**
   * Moves whenever the database may have changed since the previous call: at once after any write
   * through this store, and after a commit by another connection (another process, such as the
   * CLI) from the next event-loop turn on: that check costs one to two microseconds, so it runs
   * at most once per turn. Inside a transaction it moves on every call.
   */
  generation(): number
  /** Prepares `sql` on first use; the function runs it at once and returns the rows. */
  reader<Row>(sql: string): (...parameters: unknown[]) => Row[]
  /**
   * Prepares a write on first use; the function runs it at once and returns the rows changed. When
   * nothing else was written meanwhile, the write leaves the generation where it was: the caller
   * updates its own cache, and no other cache may hold what it writes.
   */
  ownWriter(sql: string): (...parameters: unknown[]) => number
}
