/**
 * Test helper (not exported by the package): the dialect loop of the store suites, in Kysely's
 * pattern. SQLite always runs; PostgreSQL runs when `DATABASE_URL` is set, each store in its own
 * schema (`gh_test_<random>`, dropped afterwards) so parallel test files never collide.
 */
import type { Kysely } from 'kysely'
import { dropSchema } from './dialects/postgres.js'
import type { StoreDialectName } from './dialect.js'
import { openStore, type Store } from './open-store.js'
import type { StoreClock } from './users-repository.js'

/** One dialect the suites run against. */
export interface DialectCase {
  readonly name: StoreDialectName
  /** `false`, or why the suite is skipped (printed by the runner). */
  readonly skip: string | false
  /** Opens a fresh, migrated, empty store. */
  open(options?: { clock?: StoreClock }): Promise<TestStore>
}

/** A store plus its teardown. */
export interface TestStore {
  readonly store: Store
  readonly schema: string | undefined
  /** Drops what the test created and closes the store. */
  dispose(): Promise<void>
}

const DATABASE_URL = process.env['DATABASE_URL']

/** The dialects to loop over. */
export const DIALECTS: readonly DialectCase[] = [
  {
    name: 'sqlite',
    skip: false,
    open: (options = {}) => openMigrated({ url: 'sqlite::memory:', ...options }),
  },
  {
    name: 'postgres',
    skip: DATABASE_URL ? false : 'DATABASE_URL is not set; set it to run the PostgreSQL suites',
    open: (options = {}) =>
      openMigrated({ url: DATABASE_URL ?? '', schema: randomSchema(), ...options }),
  },
]

/** A unique schema name for one test store. */
export function randomSchema(): string {
  return `gh_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
}

async function openMigrated(options: {
  url: string
  schema?: string
  clock?: StoreClock
}): Promise<TestStore> {
  const store = openStore(options)
  await store.migrate()
  const { schema } = options
  return {
    store,
    schema,
    dispose: async () => {
      if (schema !== undefined) await dropSchema(store.db as unknown as Kysely<unknown>, schema)
      await store.close()
    },
  }
}
