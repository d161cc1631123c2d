/**
 * Test servers: the reference app on a fresh in-memory SQLite store, with cheap argon2
 * parameters, an injectable clock and a readable log, listening on a free port.
 */
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { createArgon2Hasher, type PasswordHasher } from '../../src/passwords/index.js'
import {
  buildApp,
  generateSigningKey,
  loadConfig,
  parseSigningKeys,
  withConfig,
  type Config,
} from '../../src/server/index.js'
import type { Store, User } from '../../src/store/index.js'
import { DIALECTS, type DialectCase } from '../../src/store/test-dialects.js'
import { KeyRing } from '../../src/tokens/index.js'

/** argon2id parameters that make a hash take about a millisecond. */
export const FAST_ARGON2 = Object.freeze({ memoryCost: 256, timeCost: 1, parallelism: 1 })

/** The demo accounts every test server starts with. */
export const TEST_USERS = Object.freeze({
  user1: { password: 'secret', scopes: ['read'] },
  editor: { password: 'editor-secret', scopes: ['read', 'write'] },
  admin: { password: 'admin-secret', scopes: ['read', 'write', 'admin'] },
} as const)

/** A clock tests move by hand (milliseconds since the epoch). */
export interface TestClock {
  (): number
  advance(seconds: number): void
  set(ms: number): void
}

/** Creates a {@link TestClock} starting at `start` (default: now). */
export function createTestClock(start: number = Date.now()): TestClock {
  let now = start
  const clock = (() => now) as TestClock
  clock.advance = (seconds) => {
    now += seconds * 1000
  }
  clock.set = (ms) => {
    now = ms
  }
  return clock
}

/** Collected JSON log lines. */
export interface LogCapture {
  readonly stream: Writable
  /** Every line written so far, raw. */
  text(): string
  /** Every line written so far, parsed. */
  entries(): Record<string, unknown>[]
}

/** A writable that keeps what pino writes to it. */
export function captureLog(): LogCapture {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  const text = () => chunks.join('')
  const entries = () =>
    text()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  return { stream, text, entries }
}

/** Options of {@link buildTestApp}. */
export interface TestAppOptions {
  /** Environment for `loadConfig` (mode development). */
  readonly env?: Record<string, string>
  /** Extra config after loading. */
  readonly config?: Partial<Config>
  readonly clock?: TestClock
  readonly log?: LogCapture
  readonly hasher?: PasswordHasher
  /** Create the demo users (default true). */
  readonly seed?: boolean
  /** The store dialect (default SQLite in memory); see {@link DIALECTS}. */
  readonly dialect?: DialectCase
}

export { DIALECTS }
export type { DialectCase }

/** A built, ready test app with its store. */
export interface TestApp {
  readonly app: FastifyInstance
  readonly store: Store
  readonly config: Config
  readonly clock: TestClock
  readonly keyRing: KeyRing
  readonly hasher: PasswordHasher
  /** Adds a user with a fast hash. */
  addUser(username: string, password: string, scopes: readonly string[]): Promise<User>
  close(): Promise<void>
}

/**
 * Builds the reference app for tests: in-memory SQLite, fast argon2, rate limiting off, logs
 * silent unless a capture is given.
 *
 * @example
 * const { app, close } = await buildTestApp()
 */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const env = { GATEHOUSE_TOKEN_RATE_LIMIT: '0', GATEHOUSE_LOG_LEVEL: 'silent', ...options.env }
  const loaded = loadConfig({ mode: 'development', env, cwd: process.cwd() })
  const signingKeys =
    loaded.signingKeys.length > 0
      ? [...loaded.signingKeys]
      : parseSigningKeys(generateSigningKey(), 'test')
  const config = withConfig(loaded, {
    databaseUrl: 'sqlite::memory:',
    signingKeys,
    passwordHashing: FAST_ARGON2,
    ...(options.log === undefined ? {} : { logLevel: 'info' as const }),
    ...options.config,
  })
  const clock = options.clock ?? createTestClock()
  const hasher = options.hasher ?? createArgon2Hasher(FAST_ARGON2)
  const keyRing = await KeyRing.fromSecrets(config.signingKeys.map((secret) => ({ secret })))
  const dialect = options.dialect ?? sqliteDialect()
  const { store, dispose } = await dialect.open({ clock })
  const app = await buildApp({
    config,
    users: store.users,
    revocations: store.revocations,
    checkDatabase: async () => {},
    hasher,
    keyRing,
    clock,
    ...(options.log === undefined ? {} : { logStream: options.log.stream }),
  })
  const addUser = async (username: string, password: string, scopes: readonly string[]) =>
    store.users.create({ username, passwordHash: await hasher.hash(password), scopes })
  if (options.seed !== false) {
    for (const [name, user] of Object.entries(TEST_USERS))
      await addUser(name, user.password, user.scopes)
  }
  await app.ready()
  const close = async () => {
    await app.close()
    await dispose()
  }
  return { app, store, config, clock, keyRing, hasher, addUser, close }
}

function sqliteDialect(): DialectCase {
  const sqlite = DIALECTS.find((dialect) => dialect.name === 'sqlite')
  if (sqlite === undefined) throw new Error('the store has no sqlite test dialect')
  return sqlite
}

/** A test app listening on 127.0.0.1 on a free port. */
export interface TestServer extends TestApp {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** POSTs a form-encoded body to `/token`. */
  postToken(
    form: string | Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<Response>
  /** Logs in with the password grant and returns the access token. */
  login(username: string, password: string, scope?: string): Promise<string>
  /** GETs `path` with `Authorization: Bearer <token>` (when a token is given). */
  getWithToken(path: string, token?: string): Promise<Response>
}

/**
 * Starts {@link buildTestApp} on a free port for black-box tests over real HTTP.
 *
 * @example
 * const server = await startTestServer()
 * const token = await server.login('user1', 'secret')
 */
export async function startTestServer(options: TestAppOptions = {}): Promise<TestServer> {
  const built = await buildTestApp(options)
  const url = await built.app.listen({ host: '127.0.0.1', port: 0 })
  const postToken: TestServer['postToken'] = (form, headers = {}) =>
    fetch(`${url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
    })
  const login: TestServer['login'] = async (username, password, scope) => {
    const response = await postToken({
      username,
      password,
      ...(scope === undefined ? {} : { scope }),
    })
    if (response.status !== 200)
      throw new Error(`login failed: ${response.status} ${await response.text()}`)
    return ((await response.json()) as { access_token: string }).access_token
  }
  const getWithToken: TestServer['getWithToken'] = (path, token) =>
    fetch(
      `${url}${path}`,
      token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
    )
  return { ...built, url, postToken, login, getWithToken }
}
