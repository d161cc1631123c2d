/**
 * First-start setup of `gatehouse start-dev`: the data directory, a generated signing key kept in
 * `<data-dir>/signing-key` (mode 0600, reused afterwards) and the demo users, created only when
 * the database is created.
 */
import { existsSync } from 'node:fs'
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { PasswordHasher } from '../passwords/index.js'
import { generateSigningKey, parseSigningKeys, withConfig, type Config } from './config.js'
import { DEMO_USERS, SIGNING_KEY_FILE_NAME } from './defaults.js'

/** What dev setup did, for the banner. */
export interface DevSetupReport {
  readonly config: Config
  /** True when this start generated the signing key. */
  readonly generatedKey: boolean
  /** True when this start created the demo users. */
  readonly createdDemoUsers: boolean
}

/** The user-creation part of the store that dev setup needs. */
export interface DemoUserSink {
  create(input: {
    username: string
    passwordHash: string
    scopes: readonly string[]
  }): Promise<unknown>
}

/**
 * Ensures the data directory and the signing key exist, returning the completed configuration.
 * A key given through the environment wins over the key file.
 *
 * @example
 * const { config, generatedKey } = await prepareDevFiles(loadConfig({ mode: 'development' }))
 */
export async function prepareDevFiles(
  config: Config,
): Promise<{ config: Config; generatedKey: boolean; isNewDatabase: boolean }> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
  const isNewDatabase = isNewSqliteDatabase(config.databaseUrl)
  if (config.signingKeys.length > 0) return { config, generatedKey: false, isNewDatabase }
  const file = join(config.dataDir, SIGNING_KEY_FILE_NAME)
  const generatedKey = await ensureKeyFile(file)
  const signingKeys = parseSigningKeys(await readFile(file, 'utf8'), file)
  const completed = withConfig(config, {
    signingKeys,
    signingKeySource: generatedKey ? 'generated' : 'file',
    signingKeyFile: file,
  })
  return { config: completed, generatedKey, isNewDatabase }
}

/**
 * Creates the demo users (user1, editor, admin) with hashed passwords.
 *
 * @example
 * if (isNewDatabase) await createDemoUsers(store.users, hasher)
 */
export async function createDemoUsers(users: DemoUserSink, hasher: PasswordHasher): Promise<void> {
  for (const demo of DEMO_USERS) {
    const passwordHash = await hasher.hash(demo.password)
    await users.create({ username: demo.username, passwordHash, scopes: demo.scopes })
  }
}

function isNewSqliteDatabase(databaseUrl: string): boolean {
  if (!databaseUrl.startsWith('sqlite:')) return false
  const path = databaseUrl.slice('sqlite:'.length)
  return path === ':memory:' || !existsSync(path)
}

/** Creates the key file (0600, exclusive) when missing; returns whether it was created. */
async function ensureKeyFile(file: string): Promise<boolean> {
  try {
    await writeFile(file, `${generateSigningKey()}\n`, { mode: 0o600, flag: 'wx' })
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    await tightenMode(file)
    return false
  }
}

// A key file others can read is a leaked key; fix the mode rather than refuse in dev mode.
async function tightenMode(file: string): Promise<void> {
  const { mode } = await stat(file)
  if ((mode & 0o077) !== 0) await chmod(file, 0o600)
}

/**
 * The text `start-dev` prints once listening: the address, that this is DEV MODE, the demo
 * accounts, where the signing key lives, and the paper's two curl commands.
 *
 * @example
 * process.stdout.write(formatDevBanner(report, server.url))
 */
export function formatDevBanner(report: DevSetupReport, url: string): string {
  const { config } = report
  const lines = [
    '',
    `  Gatehouse is listening on ${url}  (DEV MODE: not for production; use \`gatehouse start\`)`,
    '',
    `  Data directory: ${config.dataDir}`,
    `  Database:       ${config.databaseUrl}`,
    `  Signing key:    ${describeKey(report)}`,
    '',
    ...demoAccounts(report),
    `  API docs:       ${url}/docs   (OpenAPI: ${url}/openapi.json)`,
    '',
    '  Try it:',
    `    curl -X POST "${url}/token" -H "Content-Type: application/x-www-form-urlencoded" \\`,
    '      -d "username=user1&password=secret"',
    `    curl -X GET "${url}/secure-endpoint" -H "Authorization: Bearer {token}"`,
    '',
  ]
  return `${lines.join('\n')}\n`
}

function describeKey(report: DevSetupReport): string {
  const { signingKeySource, signingKeyFile } = report.config
  if (report.generatedKey)
    return `generated a new random key in ${signingKeyFile ?? '?'} (mode 0600)`
  if (signingKeySource === 'file') return `read from ${signingKeyFile ?? '?'}`
  return 'from GATEHOUSE_SIGNING_KEY'
}

function demoAccounts(report: DevSetupReport): string[] {
  const header = report.createdDemoUsers
    ? '  Demo accounts (created now, in this new database):'
    : '  Demo accounts (created on the first dev start, unless changed since):'
  const rows = DEMO_USERS.map(
    (user) =>
      `    ${user.username.padEnd(8)} / ${user.password.padEnd(14)} scopes: ${user.scopes.join(' ')}`,
  )
  return [header, ...rows, '']
}
