import { sql, type Kysely, type Migration } from 'kysely'

/**
 * Users and revoked tokens. Types are chosen to mean the same on SQLite and PostgreSQL: `text`
 * ids and ISO-8601 timestamps, `integer` 0/1 flags, `bigint` unix seconds. `if not exists`
 * keeps the migration idempotent.
 */
export const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('users')
      .ifNotExists()
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('username', 'text', (col) => col.notNull().unique())
      .addColumn('password_hash', 'text', (col) => col.notNull())
      .addColumn('scopes', 'text', (col) => col.notNull().defaultTo(''))
      .addColumn('disabled', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('tokens_valid_after', 'bigint', (col) => col.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .addCheckConstraint('users_disabled_check', sql`disabled in (0, 1)`)
      .execute()
    await db.schema
      .createTable('revoked_tokens')
      .ifNotExists()
      .addColumn('jti', 'text', (col) => col.primaryKey())
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .execute()
    await db.schema
      .createIndex('revoked_tokens_expires_at_idx')
      .ifNotExists()
      .on('revoked_tokens')
      .column('expires_at')
      .execute()
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('revoked_tokens').ifExists().execute()
    await db.schema.dropTable('users').ifExists().execute()
  },
}
