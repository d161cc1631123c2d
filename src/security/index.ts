export { APIKeyCookie, APIKeyHeader, APIKeyQuery, readCookie } from './api-key.js'
export type { APIKeyOptions } from './api-key.js'
export {
  hasDuplicateAuthorization,
  readAuthorization,
  readBearerToken,
  splitAuthorization,
} from './authorization.js'
export type { AuthorizationParts } from './authorization.js'
export { resolveCredential, SchemeBase } from './base.js'
export type { SchemeOptions } from './base.js'
export { bearerChallenge, formatChallenge, quoteAuthParam } from './challenge.js'
export type { AuthParams } from './challenge.js'
export {
  InsufficientScope,
  InvalidCredentials,
  InvalidRequest,
  InvalidToken,
  NotAuthenticated,
  SecurityError,
} from './errors.js'
export type { InvalidTokenCode, SecurityErrorOptions } from './errors.js'
export { decodeBasicCredentials, HTTPBasic, HTTPBearer, HTTPDigest } from './http.js'
export type {
  HTTPAuthorizationCredentials,
  HTTPBasicCredentials,
  HTTPBasicOptions,
  HTTPBearerOptions,
} from './http.js'
export { OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer } from './oauth2.js'
export type {
  OAuth2AuthorizationCodeBearerOptions,
  OAuth2BearerOptions,
  OAuth2PasswordBearerOptions,
} from './oauth2.js'
export { OpenIdConnect } from './open-id-connect.js'
export type { OpenIdConnectOptions } from './open-id-connect.js'
export type {
  ChallengeParams,
  OAuthFlowObject,
  SchemeValue,
  SecurityScheme,
  SecuritySchemeObject,
} from './scheme.js'
