export {
  parseBasicClientCredentials,
  publicClientsOnly,
  readClientCredentials,
} from './client-auth.js'
export type {
  AuthenticatedClient,
  ClientAuthenticator,
  ClientAuthMethod,
  ClientCredentials,
} from './client-auth.js'
export { stepOutput } from './context.js'
export type {
  Grant,
  GrantContext,
  GrantStep,
  ResourceOwner,
  ResourceOwnerDirectory,
  TokenEndpointConfig,
  TokenEndpointLogger,
  TokenRequest,
  TokenResponseBody,
} from './context.js'
export {
  DEFAULT_GRANT_TYPE,
  DEFAULT_MAX_PASSWORD_BYTES,
  DEFAULT_MAX_USERNAME_LENGTH,
  DEFAULT_TOKEN_BODY_LIMIT_BYTES,
  INVALID_CREDENTIALS_DESCRIPTION,
  MAX_CLIENT_ID_LENGTH,
  TOKEN_RESPONSE_HEADERS,
} from './defaults.js'
export {
  DEFAULT_CLIENT_REALM,
  InvalidClient,
  InvalidGrant,
  InvalidScope,
  OAuthInvalidRequest,
  UnauthorizedClient,
  UnsupportedGrantType,
} from './errors.js'
export type { AnyOAuthError, InvalidClientOptions, OAuthErrorOptions } from './errors.js'
export { isFormContentType, parseForm, readParameter, requireParameter } from './form.js'
export type { TokenForm } from './form.js'
export { authenticateUser, passwordGrant, readOwnerCredentials } from './grants/password.js'
export { authenticateClient, checkScope, grantScope, issueTokens } from './steps.js'
export { createTokenEndpoint, selectGrant } from './token-endpoint.js'
export type { TokenEndpoint, TokenEndpointOptions } from './token-endpoint.js'
