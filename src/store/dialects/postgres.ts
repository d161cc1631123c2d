import type { Kysely } from 'kysely'
import { PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { GatehouseConfigError } from '../../errors.js'
import type { StoreDialect } from '../dialect.js'
import { StoreConflictError } from '../errors.js'

/** Options of {@link createPostgresDialect}. */
export interface PostgresDialectOptions {
  /** A `postgres://` or `postgresql://` URL. */
  readonly connectionString: string
  /**
   * Schema to keep every table in (created by `migrate()` when missing); default: the server's
   * `search_path` (normally `public`). Lets several stores share one database, as tests do.
   */
  readonly schema?: string
  /** Pool size. Default 10. */
  readonly maxConnections?: number
}

/** SQLSTATE unique_violation. */
const UNIQUE_VIOLATION = '23505'

/** pg type OID of `int8`/`bigint`. */
const INT8_OID = 20

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * PostgreSQL through a `pg` pool. `bigint` columns are parsed as numbers for this pool only
 * (unix seconds fit exactly), so both dialects return the same row types.
 */
export function createPostgresDialect(options: PostgresDialectOptions): StoreDialect {
  const { schema } = options
  if (schema !== undefined && !SCHEMA_PATTERN.test(schema)) {
    throw new GatehouseConfigError(
      `\`schema\` must match ${String(SCHEMA_PATTERN)}, got ${JSON.stringify(schema)}`,
    )
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types: { getTypeParser: typeParser },
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  })
  // An idle client dropped by the server emits 'error' on the pool, which would crash the process
  // when unhandled; the pool discards that client and the next query reports any real outage.
  pool.on('error', () => {})
  return {
    name: 'postgres',
    kysely: new PostgresDialect({ pool }),
    translateError,
    beforeMigrate: async (db) => {
      if (schema !== undefined) await createSchema(db, schema)
    },
    ...(schema === undefined ? {} : { schema }),
  }
}

/** `create schema if not exists`, tolerating the race of two processes creating it at once. */
async function createSchema(db: Kysely<unknown>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db)
  } catch (error) {
    // The loser of the race sees a unique violation on pg_namespace instead of a no-op.
    if (!(error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION)) throw error
  }
}

function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === INT8_OID) return Number
  // Adapter spot: pg's overloads differ only in the `format` literal type.
  return pg.types.getTypeParser(oid, format as 'text')
}

function translateError(error: unknown, conflictMessage: string): unknown {
  if (error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION) {
    return new StoreConflictError(conflictMessage, { cause: error })
  }
  return error
}

/** For tests and tools: drops a schema made by `createPostgresDialect({ schema })`. */
export async function dropSchema(db: Kysely<unknown>, schema: string): Promise<void> {
  if (!SCHEMA_PATTERN.test(schema)) throw new TypeError(`invalid schema ${JSON.stringify(schema)}`)
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db)
}
