/**
 * Server configuration: command-line flags and environment variables, validated once into a
 * frozen {@link Config}. Production mode refuses to start without a strong signing key and an
 * explicit database location; dev mode fills those in (see `dev-setup.ts`).
 */
import { readFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { GatehouseConfigError } from '../errors.js'
import type { Argon2HasherOptions } from '../passwords/index.js'
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS, MIN_SECRET_BYTES } from '../tokens/index.js'
import {
  DATABASE_FILE_NAME,
  DEFAULT_AUDIENCE,
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  DEFAULT_LOG_LEVEL,
  DEFAULT_PORT,
  DEFAULT_TOKEN_RATE_LIMIT,
  GENERATED_KEY_BYTES,
} from './defaults.js'

/** `development` (`start-dev`: generated key, demo users) or `production` (`start`). */
export type ServerMode = 'development' | 'production'

/** pino log levels accepted by `--log-level`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Flags from the command line; every value is the raw string given. */
export interface ConfigFlags {
  readonly port?: string
  readonly host?: string
  readonly dataDir?: string
  readonly tlsCert?: string
  readonly tlsKey?: string
  readonly logLevel?: string
}

/** Certificate and key for HTTPS, read from the files named by `--tls-cert` / `--tls-key`. */
export interface TLSConfig {
  readonly cert: Buffer
  readonly key: Buffer
  readonly certFile: string
  readonly keyFile: string
}

/** Where the signing keys came from. */
export type SigningKeySource = 'env' | 'file' | 'generated' | 'none'

/** The validated, frozen server configuration. */
export interface Config {
  readonly mode: ServerMode
  readonly host: string
  readonly port: number
  /** Absolute path of the data directory. */
  readonly dataDir: string
  /** `sqlite:<path>` or `postgres://…`. */
  readonly databaseUrl: string
  /** The `iss` claim and the issuer verification requires. */
  readonly issuer: string
  /** The `aud` claim and the audience verification requires. */
  readonly audience: string
  readonly accessTokenTtlSeconds: number
  /** HMAC secrets, at least 32 bytes each; the first signs, all verify. Empty only before dev setup. */
  readonly signingKeys: readonly Uint8Array[]
  readonly signingKeySource: SigningKeySource
  /** The key file used (`GATEHOUSE_SIGNING_KEY_FILE`, or the generated dev key). */
  readonly signingKeyFile: string | undefined
  readonly tls: TLSConfig | undefined
  readonly logLevel: LogLevel
  /** Token requests per IP and username per minute; 0 disables rate limiting. */
  readonly tokenRateLimit: number
  /** Trust `X-Forwarded-*` from a reverse proxy (`GATEHOUSE_TRUST_PROXY=true`). */
  readonly trustProxy: boolean
  /** argon2id parameters; the OWASP defaults unless a test or benchmark lowers them. */
  readonly passwordHashing: Argon2HasherOptions | undefined
}

/** Input of {@link loadConfig}. */
export interface LoadConfigInput {
  readonly mode: ServerMode
  readonly flags?: ConfigFlags
  /** Environment variables; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Directory relative paths resolve against; default `process.cwd()`. */
  readonly cwd?: string
}

/**
 * Builds the configuration from flags (which win) and environment variables.
 *
 * @throws {GatehouseConfigError} naming the option, what was received and how to fix it; in
 *   production also for a missing signing key or database location.
 * @example
 * const config = loadConfig({ mode: 'production', env: process.env })
 */
export function loadConfig(input: LoadConfigInput): Config {
  const flags = input.flags ?? {}
  const env = input.env ?? process.env
  const cwd = input.cwd ?? process.cwd()
  const read = (name: string): string | undefined => nonEmpty(env[name])
  const host = flags.host ?? read('HOST') ?? DEFAULT_HOST
  const port = parsePort(flags.port ?? read('PORT'))
  const tls = loadTLS(
    flags.tlsCert ?? read('GATEHOUSE_TLS_CERT'),
    flags.tlsKey ?? read('GATEHOUSE_TLS_KEY'),
    cwd,
  )
  const dataDirInput = flags.dataDir ?? read('GATEHOUSE_DATA_DIR')
  const dataDir = resolve(cwd, dataDirInput ?? DEFAULT_DATA_DIR)
  const databaseUrlInput = read('GATEHOUSE_DATABASE_URL') ?? read('DATABASE_URL')
  const databaseUrl = resolveDatabaseUrl(databaseUrlInput, dataDir, cwd)
  const keys = loadSigningKeys(
    read('GATEHOUSE_SIGNING_KEY'),
    read('GATEHOUSE_SIGNING_KEY_FILE'),
    cwd,
  )
  const config: Config = {
    mode: input.mode,
    host,
    port,
    dataDir,
    databaseUrl,
    issuer: read('GATEHOUSE_ISSUER') ?? defaultIssuer(host, port, tls !== undefined),
    audience: read('GATEHOUSE_AUDIENCE') ?? DEFAULT_AUDIENCE,
    accessTokenTtlSeconds: parseTtl(read('GATEHOUSE_ACCESS_TOKEN_TTL')),
    ...keys,
    tls,
    logLevel: parseLogLevel(flags.logLevel ?? read('GATEHOUSE_LOG_LEVEL')),
    tokenRateLimit: parseRateLimit(read('GATEHOUSE_TOKEN_RATE_LIMIT')),
    trustProxy: parseBoolean(read('GATEHOUSE_TRUST_PROXY'), 'GATEHOUSE_TRUST_PROXY'),
    passwordHashing: undefined,
  }
  if (config.mode === 'production') {
    assertProductionReady(config, databaseUrlInput !== undefined || dataDirInput !== undefined)
  }
  return freezeConfig(config)
}

/**
 * Copies and freezes a configuration, with overrides (tests lower argon2 costs, dev setup adds
 * the generated key).
 *
 * @example
 * const fast = withConfig(config, { passwordHashing: { memoryCost: 1024, timeCost: 1 } })
 */
export function withConfig(config: Config, overrides: Partial<Config>): Config {
  return freezeConfig({ ...config, ...overrides })
}

function freezeConfig(config: Config): Config {
  return Object.freeze({ ...config, signingKeys: Object.freeze([...config.signingKeys]) })
}

/** `explicitDatabase`: a database URL or a data directory was given, not left to the default. */
function assertProductionReady(config: Config, explicitDatabase: boolean): void {
  if (config.signingKeys.length === 0) {
    throw new GatehouseConfigError(
      'Refusing to start in production without a signing key: set GATEHOUSE_SIGNING_KEY ' +
        '(base64url, at least 32 bytes; `gatehouse keys generate` makes one) or ' +
        'GATEHOUSE_SIGNING_KEY_FILE.',
    )
  }
  if (!explicitDatabase) {
    throw new GatehouseConfigError(
      'Refusing to start in production without a database location: set ' +
        'GATEHOUSE_DATABASE_URL (or DATABASE_URL), or name the SQLite directory with ' +
        '--data-dir / GATEHOUSE_DATA_DIR.',
    )
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN
  if (!(port >= 0 && port <= 65535)) {
    throw new GatehouseConfigError(`\`port\` must be an integer from 0 to 65535, got "${value}"`)
  }
  return port
}

function parseTtl(value: string | undefined): number {
  if (value === undefined) return DEFAULT_ACCESS_TOKEN_TTL_SECONDS
  const ttl = /^\d{1,9}$/.test(value) ? Number(value) : 0
  if (ttl < 1) {
    throw new GatehouseConfigError(
      `GATEHOUSE_ACCESS_TOKEN_TTL must be a positive number of seconds, got "${value}"`,
    )
  }
  return ttl
}

function parseRateLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TOKEN_RATE_LIMIT
  if (value === 'off') return 0
  if (!/^\d{1,9}$/.test(value)) {
    throw new GatehouseConfigError(
      `GATEHOUSE_TOKEN_RATE_LIMIT must be a number of requests per minute, or 0 / "off", got "${value}"`,
    )
  }
  return Number(value)
}

function parseLogLevel(value: string | undefined): LogLevel {
  if (value === undefined) return DEFAULT_LOG_LEVEL
  const level = LOG_LEVELS.find((name) => name === value.toLowerCase())
  if (level === undefined) {
    throw new GatehouseConfigError(
      `\`log-level\` must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`,
    )
  }
  return level
}

function parseBoolean(value: string | undefined, name: string): boolean {
  if (value === undefined) return false
  if (/^(?:1|true|yes|on)$/i.test(value)) return true
  if (/^(?:0|false|no|off)$/i.test(value)) return false
  throw new GatehouseConfigError(`${name} must be true or false, got "${value}"`)
}

function defaultIssuer(host: string, port: number, https: boolean): string {
  const name = host.includes(':') ? `[${host}]` : host
  return `${https ? 'https' : 'http'}://${name}:${port}`
}

function resolveDatabaseUrl(url: string | undefined, dataDir: string, cwd: string): string {
  if (url === undefined) return `sqlite:${join(dataDir, DATABASE_FILE_NAME)}`
  if (/^postgres(?:ql)?:\/\//.test(url)) return url
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length)
    if (path === '') throw new GatehouseConfigError('The sqlite: database URL names no file')
    return path === ':memory:' || isAbsolute(path) ? url : `sqlite:${resolve(cwd, path)}`
  }
  throw new GatehouseConfigError(
    `GATEHOUSE_DATABASE_URL must start with sqlite: or postgres://, got "${url.split(':', 1)[0]}:…"`,
  )
}

function loadTLS(certFile: string | undefined, keyFile: string | undefined, cwd: string) {
  if (certFile === undefined && keyFile === undefined) return undefined
  if (certFile === undefined || keyFile === undefined) {
    throw new GatehouseConfigError('HTTPS needs both --tls-cert and --tls-key')
  }
  return {
    cert: readConfigFile(resolve(cwd, certFile), '--tls-cert'),
    key: readConfigFile(resolve(cwd, keyFile), '--tls-key'),
    certFile: resolve(cwd, certFile),
    keyFile: resolve(cwd, keyFile),
  }
}

function readConfigFile(path: string, option: string): Buffer {
  try {
    return readFileSync(path)
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? 'unreadable'
    throw new GatehouseConfigError(`${option}: cannot read ${path} (${reason})`, { cause })
  }
}

function loadSigningKeys(
  value: string | undefined,
  file: string | undefined,
  cwd: string,
): Pick<Config, 'signingKeys' | 'signingKeySource' | 'signingKeyFile'> {
  if (value !== undefined && file !== undefined) {
    throw new GatehouseConfigError(
      'Set GATEHOUSE_SIGNING_KEY or GATEHOUSE_SIGNING_KEY_FILE, not both',
    )
  }
  if (value !== undefined) {
    return {
      signingKeys: parseSigningKeys(value, 'GATEHOUSE_SIGNING_KEY'),
      signingKeySource: 'env',
      signingKeyFile: undefined,
    }
  }
  if (file === undefined)
    return { signingKeys: [], signingKeySource: 'none', signingKeyFile: undefined }
  const path = resolve(cwd, file)
  const text = readConfigFile(path, 'GATEHOUSE_SIGNING_KEY_FILE').toString('utf8')
  return {
    signingKeys: parseSigningKeys(text, path),
    signingKeySource: 'file',
    signingKeyFile: path,
  }
}

/**
 * Decodes signing keys: base64url secrets separated by commas or newlines; the first signs.
 *
 * @throws {GatehouseConfigError} for bad encoding or a key shorter than 32 bytes.
 * @example
 * parseSigningKeys(generateSigningKey(), 'GATEHOUSE_SIGNING_KEY') // [Uint8Array(32)]
 */
export function parseSigningKeys(text: string, source: string): Uint8Array[] {
  const encoded = text.split(/[\s,]+/).filter((part) => part !== '')
  if (encoded.length === 0) throw new GatehouseConfigError(`${source} holds no signing key`)
  return encoded.map((key, index) => decodeKey(key, `${source} (key ${index + 1})`))
}

function decodeKey(encoded: string, where: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(encoded)) {
    throw new GatehouseConfigError(`${where} is not base64url`)
  }
  const bytes = new Uint8Array(Buffer.from(encoded, 'base64url'))
  if (bytes.byteLength < MIN_SECRET_BYTES) {
    throw new GatehouseConfigError(
      `${where} is too weak: ${bytes.byteLength} bytes, need at least ${MIN_SECRET_BYTES} ` +
        '(run `gatehouse keys generate` for a new one)',
    )
  }
  return bytes
}

/**
 * A new random signing key, base64url-encoded: 32 bytes from the CSPRNG (what
 * `gatehouse keys generate` prints and dev mode stores).
 *
 * @example
 * process.env.GATEHOUSE_SIGNING_KEY = generateSigningKey()
 */
export function generateSigningKey(bytes: number = GENERATED_KEY_BYTES): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url')
}
