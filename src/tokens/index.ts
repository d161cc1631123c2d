export {
  ACCESS_TOKEN_TYPE,
  DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  DEFAULT_ALGORITHM,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES,
  MAX_TOKEN_BYTES,
  MIN_SECRET_BYTES,
  SUPPORTED_ALGORITHMS,
} from './defaults.js'
export type { SigningAlgorithm } from './defaults.js'
export { createTokenIssuer } from './issue.js'
export type {
  Clock,
  IssueAccessTokenInput,
  IssuedAccessToken,
  TokenIssuer,
  TokenIssuerOptions,
} from './issue.js'
export { KeyRing } from './key-ring.js'
export type {
  AsymmetricAlgorithm,
  FromSecretsOptions,
  GenerateKeyOptions,
  KeyRingEntryInfo,
  KeySecret,
  PublicJWKS,
  SigningKey,
  SymmetricAlgorithm,
} from './key-ring.js'
export { assertPrincipalActive } from './principal.js'
export { MemoryRevocationStore } from './revocation.js'
export type {
  MemoryRevocationStoreOptions,
  PrincipalStatus,
  RevocationStore,
} from './revocation.js'
export { createTokenVerifier } from './verify.js'
export type { AccessTokenClaims, TokenVerifier, TokenVerifierOptions } from './verify.js'
