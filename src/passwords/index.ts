export { createArgon2Hasher } from './argon2id.js'
export type { Argon2Hasher, Argon2HasherOptions, Argon2Parameters } from './argon2id.js'
export type { PasswordHasher } from './hasher.js'
export {
  DEFAULT_MEMORY_COST,
  DEFAULT_PARALLELISM,
  DEFAULT_TIME_COST,
  MAX_PASSWORD_BYTES,
} from './defaults.js'
