import { CompiledQuery, type Kysely, type Selectable } from 'kysely'
import { formatScope } from '../scopes/index.js'
import type { PrincipalStatus } from '../tokens/index.js'
import type { Database, UsersTable } from './database.js'
import { DEFAULT_STATUS_CACHE_ENTRIES } from './defaults.js'
import type { StoreDialect } from './dialect.js'
import { StoreNotFoundError } from './errors.js'
import { LocalCache } from './local-cache.js'
import { normalizeUsername, tryNormalizeUsername } from './usernames.js'

/** A stored user. */
export interface User {
  readonly id: string
  readonly username: string
  /** argon2id PHC string. */
  readonly passwordHash: string
  readonly scopes: readonly string[]
  readonly disabled: boolean
  /** Unix seconds; tokens with `iat` before this are dead. 0 when never bumped. */
  readonly tokensValidAfter: number
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** Input of {@link UsersRepository.create}. */
export interface CreateUserInput {
  readonly username: string
  readonly passwordHash: string
  readonly scopes: readonly string[]
  /** Default false. */
  readonly disabled?: boolean
}

/** Options of {@link UsersRepository.setPasswordHash}. */
export interface SetPasswordHashOptions {
  /**
   * Whether tokens issued before now stop working. Default true (a password change ends every
   * session); pass false for the transparent rehash at login, which must not log anyone out.
   */
  readonly revokeTokens?: boolean
}

/** What a protected request needs to know about its user: {@link PrincipalStatus} and the name. */
export interface UserStatus extends PrincipalStatus {
  readonly username: string
}

/** Time source in milliseconds since the epoch. */
export type StoreClock = () => number

type StatusRow = Pick<
  Selectable<UsersTable>,
  'username' | 'disabled' | 'tokens_valid_after' | 'scopes'
>

/**
 * Users and their allowed scopes. Dialect-free; driver errors are translated by the dialect.
 * Lookups answer `undefined` for a missing user; changes to a missing user throw
 * `StoreNotFoundError` (`GH_ERR_STORE_NOT_FOUND`).
 *
 * @example
 * ```ts
 * const user = await store.users.create({ username: 'alice', passwordHash, scopes: ['read'] })
 * await store.users.setDisabled('alice', true) // her tokens die now
 * ```
 */
export class UsersRepository {
  readonly #db: Kysely<Database>
  readonly #dialect: StoreDialect
  readonly #clock: StoreClock
  readonly #statusQuery: string
  readonly #statusCache: LocalCache<UserStatus | undefined> | undefined

  /**
   * With a dialect that has a `local` connection (SQLite), `findStatusById` answers from memory
   * until the database changes.
   */
  constructor(db: Kysely<Database>, dialect: StoreDialect, clock: StoreClock = Date.now) {
    this.#db = db
    this.#dialect = dialect
    this.#clock = clock
    // Compiled once: the per-request status lookup skips query building.
    this.#statusQuery = db
      .selectFrom('users')
      .select(['username', 'disabled', 'tokens_valid_after', 'scopes'])
      .where('id', '=', '')
      .compile().sql
    const { local } = dialect
    if (local !== undefined) {
      const read = local.reader<StatusRow>(this.#statusQuery)
      const load = (id: string) => toStatus(read(id)[0])
      this.#statusCache = new LocalCache(local, load, DEFAULT_STATUS_CACHE_ENTRIES)
    }
  }

  /**
   * Creates a user with a random UUID id.
   *
   * @throws InvalidUsernameError for a username that breaks the rules.
   * @throws StoreConflictError when the username is taken.
   */
  async create(input: CreateUserInput): Promise<User> {
    const username = normalizeUsername(input.username)
    const now = new Date(this.#clock()).toISOString()
    const row = {
      id: crypto.randomUUID(),
      username,
      password_hash: assertHash(input.passwordHash),
      scopes: formatScope(input.scopes),
      disabled: input.disabled === true ? 1 : 0,
      tokens_valid_after: 0,
      created_at: now,
      updated_at: now,
    }
    try {
      await this.#db.insertInto('users').values(row).execute()
    } catch (error) {
      throw this.#dialect.translateError(error, `username ${JSON.stringify(username)} is taken`)
    }
    return toUser(row)
  }

  /** The user named `username`, or `undefined`. */
  async findByUsername(username: string): Promise<User | undefined> {
    const normalized = tryNormalizeUsername(username)
    if (normalized === undefined) return undefined
    const row = await this.#selectUsers().where('username', '=', normalized).executeTakeFirst()
    return row && toUser(row)
  }

  /** The user with id `id`, or `undefined`. */
  async findById(id: string): Promise<User | undefined> {
    const row = await this.#selectUsers().where('id', '=', id).executeTakeFirst()
    return row && toUser(row)
  }

  /**
   * What the verifier checks on every protected request: whether the user still exists, is
   * enabled, and since when its tokens are valid, plus the username. One pre-compiled query; on
   * SQLite, answered from memory until anything is written to the database (by this process or
   * another), so `gatehouse users disable` in another process counts from the next request on.
   * On PostgreSQL, one query per call.
   */
  async findStatusById(id: string): Promise<UserStatus | undefined> {
    if (this.#statusCache !== undefined) return this.#statusCache.get(id)
    const query = CompiledQuery.raw(this.#statusQuery, [id])
    const { rows } = await this.#db.executeQuery<StatusRow>(query)
    return toStatus(rows[0])
  }

  /** Every user, ordered by username. */
  async list(): Promise<User[]> {
    const rows = await this.#selectUsers().orderBy('username').execute()
    return rows.map(toUser)
  }

  /** Replaces the user's allowed scopes. @throws StoreNotFoundError */
  async setScopes(username: string, scopes: readonly string[]): Promise<User> {
    return this.#update(username, { scopes: formatScope(scopes) }, false)
  }

  /**
   * Replaces the password hash; by default tokens issued before now stop working.
   *
   * @throws StoreNotFoundError
   */
  async setPasswordHash(
    username: string,
    passwordHash: string,
    options: SetPasswordHashOptions = {},
  ): Promise<User> {
    const revoke = options.revokeTokens ?? true
    return this.#update(username, { password_hash: assertHash(passwordHash) }, revoke)
  }

  /**
   * Replaces the hash of a login's password by a rehash (new parameters, same password) only if
   * the stored hash is still `currentHash`, the one the login verified; tokens stay valid. A
   * password change that landed while the login was hashing wins: the old password is never
   * written back. Returns whether the hash was replaced.
   *
   * @example
   * await users.rehashPassword('alice', verifiedHash, await hasher.hash(password)) // true
   */
  async rehashPassword(username: string, currentHash: string, newHash: string): Promise<boolean> {
    const normalized = tryNormalizeUsername(username)
    if (normalized === undefined) return false
    const result = await this.#db
      .updateTable('users')
      .set({ password_hash: assertHash(newHash), updated_at: new Date(this.#clock()).toISOString() })
      .where('username', '=', normalized)
      .where('password_hash', '=', currentHash)
      .executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  /**
   * Enables or disables the user; disabling also kills tokens issued before now.
   *
   * @throws StoreNotFoundError
   */
  async setDisabled(username: string, disabled: boolean): Promise<User> {
    return this.#update(username, { disabled: disabled ? 1 : 0 }, disabled)
  }

  /** Deletes the user. @throws StoreNotFoundError */
  async delete(username: string): Promise<void> {
    const normalized = this.#existingName(username)
    const result = await this.#db
      .deleteFrom('users')
      .where('username', '=', normalized)
      .executeTakeFirst()
    if (result.numDeletedRows === 0n) throw notFound(normalized)
  }

  #selectUsers() {
    return this.#db.selectFrom('users').selectAll()
  }

  async #update(
    username: string,
    changes: Partial<Pick<UsersTable, 'scopes' | 'password_hash' | 'disabled'>>,
    bumpTokens: boolean,
  ): Promise<User> {
    const normalized = this.#existingName(username)
    const nowMs = this.#clock()
    // Tokens carry whole-second iats: every token issued up to and including this second is cut
    // off (iat < tokens_valid_after). The token endpoint gives later logins an iat of at least
    // this, so a login with the new password in the same second still works.
    const cutOff = Math.floor(nowMs / 1000) + 1
    const row = await this.#db
      .updateTable('users')
      .set((eb) => ({
        ...changes,
        updated_at: new Date(nowMs).toISOString(),
        // Never moves backwards, even if the clock does.
        ...(bumpTokens && {
          tokens_valid_after: eb
            .case()
            .when('tokens_valid_after', '>', cutOff)
            .then(eb.ref('tokens_valid_after'))
            .else(cutOff)
            .end(),
        }),
      }))
      .where('username', '=', normalized)
      .returningAll()
      .executeTakeFirst()
    if (row === undefined) throw notFound(normalized)
    return toUser(row)
  }

  #existingName(username: string): string {
    const normalized = tryNormalizeUsername(username)
    if (normalized === undefined) throw notFound(String(username))
    return normalized
  }
}

function toUser(row: Selectable<UsersTable>): User {
  return Object.freeze({
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    scopes: splitScopes(row.scopes),
    disabled: Number(row.disabled) === 1,
    tokensValidAfter: Number(row.tokens_valid_after),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  })
}

function toStatus(row: StatusRow | undefined): UserStatus | undefined {
  if (row === undefined) return undefined
  return Object.freeze({
    username: row.username,
    disabled: Number(row.disabled) === 1,
    tokensValidAfter: Number(row.tokens_valid_after),
    scopes: splitScopes(row.scopes),
  })
}

function splitScopes(scopes: string): readonly string[] {
  return Object.freeze(scopes === '' ? [] : scopes.split(' '))
}

/** A PHC string starts `$<algorithm>$`; anything else is likely a password passed by mistake. */
const PHC_PREFIX = /^\$[a-z0-9-]{1,32}\$/

function assertHash(hash: string): string {
  if (typeof hash !== 'string' || !PHC_PREFIX.test(hash)) {
    throw new TypeError('`passwordHash` must be a PHC string such as $argon2id$…, never a password')
  }
  return hash
}

function notFound(username: string): StoreNotFoundError {
  return new StoreNotFoundError(`no user named ${JSON.stringify(username)}`)
}
