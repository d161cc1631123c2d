import { Migrator, type Kysely } from 'kysely'
import type { Database } from './database.js'
import type { StoreDialect } from './dialect.js'
import { migrationProvider } from './migrations/index.js'

/** What one `migrate()` call applied. */
export interface MigrateResult {
  /** Names of the migrations applied now, in order; empty when already up to date. */
  readonly applied: readonly string[]
}

/**
 * Brings the schema up to date. Safe when several processes start at once: Kysely's migrator
 * locks (a PostgreSQL advisory lock; on SQLite an `IMMEDIATE` transaction), and the later
 * process finds the work done.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  dialect: StoreDialect,
): Promise<MigrateResult> {
  // Adapter spot: migrations are written against no particular schema type.
  const untyped = db as unknown as Kysely<unknown>
  await dialect.beforeMigrate(untyped)
  // Kysely looks for its own tables in every schema unless told which one: without this, a store
  // in a fresh schema would take another schema's kysely_migration_lock for its own.
  const migrator = new Migrator({
    db: untyped,
    provider: migrationProvider,
    ...(dialect.schema === undefined ? {} : { migrationTableSchema: dialect.schema }),
  })
  const { error, results = [] } = await migrator.migrateToLatest()
  if (error !== undefined) throw error
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}
