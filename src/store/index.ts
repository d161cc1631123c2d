export type { Database, RevokedTokensTable, UsersTable } from './database.js'
export { DEFAULT_STATUS_CACHE_ENTRIES } from './defaults.js'
export type { LocalConnection, StoreDialect, StoreDialectName } from './dialect.js'
export { InvalidUsernameError, StoreConflictError, StoreNotFoundError } from './errors.js'
export type { MigrateResult } from './migrate.js'
export { MIGRATIONS } from './migrations/index.js'
export { openStore } from './open-store.js'
export type { OpenStoreOptions, Store } from './open-store.js'
export { DatabaseRevocationStore } from './revocation-store.js'
export { parseStoreUrl } from './url.js'
export type { StoreLocation } from './url.js'
export { MAX_USERNAME_LENGTH, normalizeUsername, tryNormalizeUsername } from './usernames.js'
export { UsersRepository } from './users-repository.js'
export type {
  CreateUserInput,
  SetPasswordHashOptions,
  StoreClock,
  User,
  UserStatus,
} from './users-repository.js'
