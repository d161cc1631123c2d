import type BetterSqlite3 from 'better-sqlite3'
import type { LocalConnection } from '../dialect.js'

/**
 * {@link LocalConnection} over better-sqlite3. Writes through Kysely move the generation as they
 * run ({@link SqliteLocalConnection.markWritten}); commits by other connections move
 * `PRAGMA data_version`, which this connection's own commits never do. Reading it starts a read
 * transaction (one to two microseconds in WAL mode), so it is read at most once per event-loop
 * turn.
 */
export class SqliteLocalConnection implements LocalConnection {
  readonly #database: BetterSqlite3.Database
  #dataVersionStatement: BetterSqlite3.Statement<[], number> | undefined
  #dataVersion = -1
  #generation = 0
  /** `data_version` was read in this event-loop turn. */
  #fresh = false
  #wasInTransaction = false

  constructor(database: BetterSqlite3.Database) {
    this.#database = database
  }

  /** Called for every write Kysely is about to run (synchronously, right after preparing it). */
  markWritten(): void {
    this.#generation += 1
  }

  generation(): number {
    // Inside a transaction the data may yet be rolled back: nothing read there may be kept.
    if (this.#database.inTransaction) {
      this.#wasInTransaction = true
      return ++this.#generation
    }
    if (this.#wasInTransaction) {
      this.#wasInTransaction = false
      this.#generation += 1
    }
    if (!this.#fresh) {
      this.#fresh = true
      setImmediate(() => (this.#fresh = false))
      this.#checkDataVersion()
    }
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
      // The write itself leaves the generation alone (the caller records it); a commit by
      // another connection that the write came after still moves it.
      this.#checkDataVersion()
      return changes
    }
  }

  #checkDataVersion(): void {
    this.#dataVersionStatement ??= this.#database
      .prepare<[], number>('pragma data_version')
      .pluck(true)
    const dataVersion = this.#dataVersionStatement.get()
    if (dataVersion === this.#dataVersion) return
    this.#dataVersion = dataVersion ?? -1
    this.#generation += 1
  }
}
