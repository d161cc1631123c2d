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
}
