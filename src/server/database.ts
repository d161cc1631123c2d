/** Opening the configured database (shared by the server and the CLI; no Fastify involved). */
import { openStore, type Store } from '../store/index.js'
import type { Config } from './config.js'

/**
 * Opens the store named by the configuration and migrates it to the latest schema.
 *
 * @example
 * const store = await openMigratedStore(config)
 */
export async function openMigratedStore(config: Config): Promise<Store> {
  const store = openStore({ url: config.databaseUrl })
  try {
    await store.migrate()
  } catch (err) {
    await store.close()
    throw err
  }
  return store
}
