/**
 * Defaults of the reference server. Each is documented here once; docs/configuration.md is
 * written from these comments.
 */

/** TCP port (`--port`, `PORT`): 8000, the port of the paper's curl examples. */
export const DEFAULT_PORT = 8000

/**
 * Interface to listen on (`--host`, `HOST`): loopback only. Listening on every interface
 * (`0.0.0.0`) is a deliberate choice, not a default.
 */
export const DEFAULT_HOST = '127.0.0.1'

/**
 * Directory for the SQLite database and, in dev mode, the generated signing key
 * (`--data-dir`, `GATEHOUSE_DATA_DIR`).
 */
export const DEFAULT_DATA_DIR = './data'

/** File name of the SQLite database inside the data directory. */
export const DATABASE_FILE_NAME = 'gatehouse.db'

/** File name of the dev-mode signing key inside the data directory (mode 0600). */
export const SIGNING_KEY_FILE_NAME = 'signing-key'

/** Bytes of a generated signing key: 32 (256 bits), what HS256 needs (RFC 7518 §3.2). */
export const GENERATED_KEY_BYTES = 32

/** The `aud` claim of issued tokens and the audience verification requires (`GATEHOUSE_AUDIENCE`). */
export const DEFAULT_AUDIENCE = 'gatehouse'

/** Log level (`--log-level`, `GATEHOUSE_LOG_LEVEL`): `info` logs one line per request. */
export const DEFAULT_LOG_LEVEL = 'info'

/**
 * Token requests allowed per client IP and username in one window (`GATEHOUSE_TOKEN_RATE_LIMIT`);
 * `0` turns rate limiting off. Ten guesses a minute keeps online password guessing slow without
 * bothering a person who mistypes.
 */
export const DEFAULT_TOKEN_RATE_LIMIT = 10

/** Length of the token rate-limit window in milliseconds: one minute. */
export const TOKEN_RATE_LIMIT_WINDOW_MS = 60_000

/** Request body limit for every route but `/token`, in bytes (64 KiB): the API takes no uploads. */
export const DEFAULT_BODY_LIMIT_BYTES = 65_536

/**
 * Time a client has to send a whole request, headers and body, in milliseconds (30 s); then 408
 * and the connection is closed. Fastify's default is no limit, so a body that never finishes would
 * hold its connection open forever (slowloris).
 */
export const REQUEST_TIMEOUT_MS = 30_000

/** How often Node looks for requests past {@link REQUEST_TIMEOUT_MS}, in milliseconds. */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000

/** The three scopes of the paper's proposed model; `admin` implies `write`, which implies `read`. */
export const SERVER_SCOPES = Object.freeze({
  read: 'Read access',
  write: { description: 'Write access', implies: ['read'] },
  admin: { description: 'Admin access', implies: ['write'] },
} as const)

/** The demo accounts created on the first dev start (never by `gatehouse start`). */
export const DEMO_USERS: readonly {
  readonly username: string
  readonly password: string
  readonly scopes: readonly string[]
}[] = Object.freeze([
  { username: 'user1', password: 'secret', scopes: ['read'] },
  { username: 'editor', password: 'editor-secret', scopes: ['read', 'write'] },
  { username: 'admin', password: 'admin-secret', scopes: ['read', 'write', 'admin'] },
])
