export { createArgon2Hasher } from './argon2id.js'
export type {
  Argon2Hasher,
  Argon2HasherOptions,
  Argon2Parameters,
  Argon2PoolSettings,
  PooledArgon2Hasher,
} from './argon2id.js'
export type { PasswordHasher } from './hasher.js'
export { PasswordHasherUnavailable } from './errors.js'
export type { PasswordHasherUnavailableReason } from './errors.js'
export {
  DEFAULT_MAX_QUEUE,
  DEFAULT_MEMORY_COST,
  DEFAULT_NICE_INCREMENT,
  DEFAULT_PARALLELISM,
  DEFAULT_TIME_COST,
  MAX_PASSWORD_BYTES,
} from './defaults.js'
