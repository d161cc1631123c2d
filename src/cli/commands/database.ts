/** Opening the server's database from the CLI: the same location rules as `start`. */
import { mkdir } from 'node:fs/promises'
import { parseArgs } from 'node:util'
// The light modules of the server layer, not its index: these commands must not load Fastify.
import { loadConfig, type Config } from '../../server/config.js'
import { openMigratedStore } from '../../server/database.js'
import { openStore, type Store } from '../../store/index.js'
import type { CliIO } from '../io.js'

/**
 * Opens (and migrates) the database named by `--data-dir`, GATEHOUSE_DATABASE_URL / DATABASE_URL,
 * or the default data directory, creating the SQLite directory when needed.
 *
 * @example
 * const store = await openCliStore('/var/lib/gatehouse', io)
 */
export async function openCliStore(dataDir: string | undefined, io: CliIO): Promise<Store> {
  return openMigratedStore(await databaseConfig(dataDir, io))
}

async function databaseConfig(dataDir: string | undefined, io: CliIO): Promise<Config> {
  const flags = dataDir === undefined ? {} : { dataDir }
  const config = loadConfig({ mode: 'development', flags, env: io.env, cwd: io.cwd })
  if (config.databaseUrl.startsWith('sqlite:')) {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
  }
  return config
}

/**
 * `gatehouse migrate [--data-dir <dir>]`: brings the schema up to date.
 *
 * @example
 * await migrateCommand([], io) // "Database is up to date."
 */
export async function migrateCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } }, strict: true })
  const config = await databaseConfig(values['data-dir'], io)
  const store = openStore({ url: config.databaseUrl })
  try {
    const { applied } = await store.migrate()
    for (const name of applied) io.stdout.write(`Applied migration ${name}\n`)
    io.stdout.write('Database is up to date.\n')
  } finally {
    await store.close()
  }
  return 0
}
