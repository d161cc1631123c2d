/**
 * Starting the server: open and migrate the store, build the app, listen. `startDevServer` runs
 * dev setup first (data directory, generated key, demo users).
 */
import type { FastifyInstance } from 'fastify'
import { createArgon2Hasher, type PasswordHasher } from '../passwords/index.js'
import type { Store } from '../store/index.js'
import { buildApp } from './app.js'
import type { Config } from './config.js'
import { openMigratedStore } from './database.js'
import { createDemoUsers, prepareDevFiles, type DevSetupReport } from './dev-setup.js'

/** A listening server. */
export interface RunningServer {
  readonly app: FastifyInstance
  readonly store: Store
  readonly config: Config
  /** Base URL with the bound port, e.g. `http://127.0.0.1:8000`. */
  readonly url: string
  /** Stops accepting connections, finishes in-flight requests, closes the store. */
  close(): Promise<void>
}

/** Options of {@link startServer} and {@link startDevServer}. */
export interface StartOptions {
  readonly logStream?: NodeJS.WritableStream
  readonly hasher?: PasswordHasher
}

/**
 * Starts the server with a configuration from {@link loadConfig}.
 *
 * @example
 * const server = await startServer(loadConfig({ mode: 'production' }))
 * process.on('SIGTERM', () => server.close())
 */
export async function startServer(
  config: Config,
  options: StartOptions = {},
): Promise<RunningServer> {
  const store = await openMigratedStore(config)
  return listen(config, store, options)
}

/**
 * Starts the dev server: creates the data directory and signing key when missing, and the demo
 * users when the database is new.
 *
 * @example
 * const { server, report } = await startDevServer(loadConfig({ mode: 'development' }))
 */
export async function startDevServer(
  initial: Config,
  options: StartOptions = {},
): Promise<{ server: RunningServer; report: DevSetupReport }> {
  const { config, generatedKey, isNewDatabase } = await prepareDevFiles(initial)
  const store = await openMigratedStore(config)
  const hasher = options.hasher ?? createArgon2Hasher(config.passwordHashing)
  const createdDemoUsers = await seedDemoUsers(store, hasher, isNewDatabase)
  const server = await listen(config, store, { ...options, hasher })
  return { server, report: { config, generatedKey, createdDemoUsers } }
}

// SQLite: only a database this start created. Elsewhere: only an empty one.
async function seedDemoUsers(
  store: Store,
  hasher: PasswordHasher,
  isNew: boolean,
): Promise<boolean> {
  const seed = store.dialect === 'sqlite' ? isNew : (await store.users.list()).length === 0
  if (seed) await createDemoUsers(store.users, hasher)
  return seed
}

async function listen(config: Config, store: Store, options: StartOptions): Promise<RunningServer> {
  try {
    const app = await buildApp({
      config,
      users: store.users,
      revocations: store.revocations,
      checkDatabase: () => pingDatabase(store),
      ...(options.hasher === undefined ? {} : { hasher: options.hasher }),
      ...(options.logStream === undefined ? {} : { logStream: options.logStream }),
    })
    await app.listen({ host: config.host, port: config.port })
    return { app, store, config, url: boundUrl(app, config), close: () => closeAll(app, store) }
  } catch (err) {
    await store.close()
    throw err
  }
}

async function pingDatabase(store: Store): Promise<void> {
  await store.users.findById('00000000-0000-0000-0000-000000000000')
}

async function closeAll(app: FastifyInstance, store: Store): Promise<void> {
  try {
    await app.close()
  } finally {
    await store.close()
  }
}

function boundUrl(app: FastifyInstance, config: Config): string {
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  return `${config.tls === undefined ? 'http' : 'https'}://${host}:${port}`
}
