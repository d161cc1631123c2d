import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDatabase,
} from 'kysely'
import { GatehouseConfigError } from '../../errors.js'
import type { StoreDialect } from '../dialect.js'
import { StoreConflictError } from '../errors.js'
import { SqliteLocalConnection } from './sqlite-local.js'

/** Options of {@link createSqliteDialect}. */
export interface SqliteDialectOptions {
  /** A file path, or `:memory:`. The parent directory is created when missing. */
  readonly filename: string
}

/** How long a connection waits for another process's write lock, in milliseconds. */
const BUSY_TIMEOUT_MS = 5000

/** Prepared statements kept per connection; the store issues a few dozen distinct queries. */
const STATEMENT_CACHE_SIZE = 256

const UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'])

/**
 * SQLite through better-sqlite3: WAL journal (readers never block the writer), foreign keys on,
 * a 5 s busy timeout, write transactions begun `IMMEDIATE` with migrations inside one (so two
 * processes migrating at once queue on the lock instead of failing), and prepared statements
 * reused across queries. Its `local` connection lets the store's caches see every write.
 */
export function createSqliteDialect(options: SqliteDialectOptions): StoreDialect {
  const database = openDatabase(options.filename)
  const local = new SqliteLocalConnection(database)
  return {
    name: 'sqlite',
    kysely: new ImmediateSqliteDialect({ database: withStatementCache(database, local) }),
    translateError,
    beforeMigrate: async () => {},
    local,
  }
}

function openDatabase(filename: string): BetterSqlite3.Database {
  try {
    if (filename !== ':memory:') createPrivately(filename)
    return configure(new BetterSqlite3(filename))
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new GatehouseConfigError(`cannot open SQLite database ${filename}: ${reason}`, { cause })
  }
}

/**
 * The database holds password hashes: a directory and file this function creates are for the
 * owner only (0700 / 0600; SQLite gives its -wal and -shm files the database file's mode).
 * Existing ones keep their mode: the operator chose it.
 */
function createPrivately(filename: string): void {
  mkdirSync(dirname(filename), { recursive: true, mode: 0o700 })
  closeSync(openSync(filename, 'a', 0o600))
}

function configure(database: BetterSqlite3.Database): BetterSqlite3.Database {
  database.pragma('journal_mode = WAL')
  database.pragma('foreign_keys = ON')
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  database.pragma('synchronous = NORMAL') // durable with WAL except on power loss; SQLite's advice
  return database
}

/**
 * Wraps the database so `prepare` reuses statements (Kysely prepares on every query), and tells
 * `local` about each write: Kysely runs the statement synchronously right after preparing it.
 */
function withStatementCache(
  database: BetterSqlite3.Database,
  local: SqliteLocalConnection,
): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>()
  return {
    close: () => database.close(),
    prepare: (sql) => {
      let statement = cache.get(sql)
      if (statement === undefined) {
        statement = database.prepare(sql)
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string)
        cache.set(sql, statement)
      }
      // `readonly`, not `reader`: an UPDATE … RETURNING reads and writes.
      if (!statement.readonly) local.markWritten()
      return statement
    },
  }
}

/**
 * Kysely's SQLite dialect with `BEGIN IMMEDIATE` transactions and transactional DDL, so the
 * migrator runs inside one locked transaction: a second process waits, then finds the work done.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDriver>[0]

  constructor(config: ConstructorParameters<typeof SqliteDriver>[0]) {
    super(config)
    this.#config = config
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter()
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  // SQLite runs CREATE/ALTER/DROP inside transactions; Kysely's adapter is conservative.
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // A deferred BEGIN takes the write lock at the first write and fails with SQLITE_BUSY when
    // another connection wrote meanwhile; IMMEDIATE takes it up front and honours busy_timeout.
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

function translateError(error: unknown, conflictMessage: string): unknown {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && UNIQUE_CODES.has(code)) {
    return new StoreConflictError(conflictMessage, { cause: error })
  }
  return error
}
