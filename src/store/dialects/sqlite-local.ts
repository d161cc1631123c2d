import type BetterSqlite3 from 'better-sqlite3'
import type { LocalConnection } from '../dialect.js'

/** One statement for both counters: `PRAGMA data_version` and `total_changes()`. */
const COUNTERS_SQL = 'select data_version, total_changes() from pragma_data_version'

/**
 * {@link LocalConnection} over better-sqlite3. The database has changed when either counter has:
 * `PRAGMA data_version` moves when another connection commits, `total_changes()` when this one
 * writes. Reading them starts a read transaction (a few microseconds in WAL mode), so the result
 * is kept for the rest of the event-loop turn, unless this store writes meanwhile
 * ({@link SqliteLocalConnection.markWritten}, called for every write Kysely runs).
 */
export class SqliteLocalConnection implements LocalConnection {
  readonly #database: BetterSqlite3.Database
  #counters: BetterSqlite3.Statement<[], [number, number]> | undefined
  #dataVersion = -1
  #totalChanges = -1
  #generation = 0
  /** The counters were read in this event-loop turn and nothing was written since. */
  #fresh = false
  #wasInTransaction = false

  constructor(database: BetterSqlite3.Database) {
    this.#database = database
  }

  /** Called before every write through Kysely, which then runs synchronously. */
  markWritten(): void {
    this.#fresh = false
  }

  generation(): number {
    // Inside a transaction the data may yet be rolled back (total_changes() would not show it).
    if (this.#database.inTransaction) {
      this.#wasInTransaction = true
      return ++this.#generation
    }
    if (this.#wasInTransaction) {
      this.#wasInTransaction = false
      this.#generation += 1
    }
    if (!this.#fresh) this.#readCounters()
    return this.#generation
  }

  reader<Row>(sql: string): (...parameters: unknown[]) => Row[] {
    let statement: BetterSqlite3.Statement<unknown[], Row> | undefined
    return (...parameters) => {
      // Prepared on first use: the tables may not exist before migrations.
      statement ??= this.#database.prepare<unknown[], Row>(sql)
      return statement.all(...parameters)
    }
  }

  ownWriter(sql: string): (...parameters: unknown[]) => number {
    let statement: BetterSqlite3.Statement<unknown[]> | undefined
    return (...parameters) => {
      statement ??= this.#database.prepare(sql)
      const { changes } = statement.run(...parameters)
      // Counters that moved by exactly this write since they were last read: nothing else
      // happened, and the caller records its own write. Otherwise the next generation() moves.
      const [dataVersion, totalChanges] = this.#read()
      if (dataVersion === this.#dataVersion && totalChanges === this.#totalChanges + changes) {
        this.#totalChanges = totalChanges
      } else {
        this.#fresh = false
      }
      return changes
    }
  }

  #readCounters(): void {
    const [dataVersion, totalChanges] = this.#read()
    if (!this.#fresh) {
      this.#fresh = true
      setImmediate(() => (this.#fresh = false))
    }
    if (dataVersion === this.#dataVersion && totalChanges === this.#totalChanges) return
    this.#dataVersion = dataVersion
    this.#totalChanges = totalChanges
    this.#generation += 1
  }

  #read(): [number, number] {
    this.#counters ??= this.#database.prepare<[], [number, number]>(COUNTERS_SQL).raw(true)
    return this.#counters.get() ?? [0, 0]
  }
}
