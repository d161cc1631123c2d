/**
 * The contracts of the token endpoint: what it needs from the outside (resource owners, a password
 * hasher, a token issuer) and the context its grant steps pass along.
 */
import type { PasswordHasher } from '../passwords/index.js'
import type { ScopeRegistry } from '../scopes/index.js'
import type { TokenIssuer } from '../tokens/index.js'
import type { AuthenticatedClient, ClientAuthenticator } from './client-auth.js'
import type { TokenForm } from './form.js'

/** A resource owner (user) as the token endpoint sees it; the store stays behind this shape. */
export interface ResourceOwner {
  /** The `sub` claim of the tokens issued to this owner: stable, never reused. */
  readonly subject: string
  readonly username: string
  readonly passwordHash: string
  /** Scopes the owner may be granted. */
  readonly scopes: readonly string[]
  readonly disabled: boolean
  /**
   * Unix seconds: tokens with an earlier `iat` no longer stand for this owner (set when their
   * credentials change). Tokens issued to the owner carry at least this `iat`. Default 0.
   */
  readonly tokensValidAfter?: number
}

/** Where the token endpoint finds resource owners. */
export interface ResourceOwnerDirectory {
  /** The owner with this exact username, or `undefined`. */
  findByUsername(username: string): Promise<ResourceOwner | undefined>
  /**
   * Replaces the owner's password hash after a rehash at login. Must NOT invalidate tokens the
   * owner already holds: the password did not change, only its parameters. Must write only over
   * `owner.passwordHash` (the hash the login verified), so a password changed while the login was
   * hashing is not reverted.
   */
  updatePasswordHash(owner: ResourceOwner, passwordHash: string): Promise<void>
}

/** The few logger methods the endpoint uses (a pino or Fastify logger fits). */
export interface TokenEndpointLogger {
  info(fields: object, message?: string): void
  warn(fields: object, message?: string): void
}

/** One token request, framework-free. */
export interface TokenRequest {
  /** The `Content-Type` header. */
  readonly contentType: string | undefined
  /** The `Authorization` header. */
  readonly authorization: string | undefined
  /** The parsed form body (repeated keys as arrays, as @fastify/formbody parses them). */
  readonly body: unknown
  /** Where to report non-fatal problems (a failed rehash) and outcomes. */
  readonly log?: TokenEndpointLogger
}

/** The RFC 6749 §5.1 success body. */
export interface TokenResponseBody {
  readonly access_token: string
  readonly token_type: 'bearer'
  readonly expires_in: number
  /** Granted scope (RFC 6749 §5.1; always sent, so clients need not guess). */
  readonly scope: string
}

/** The collaborators of the token endpoint, validated and frozen. */
export interface TokenEndpointConfig {
  readonly owners: ResourceOwnerDirectory
  readonly hasher: PasswordHasher
  readonly issuer: TokenIssuer
  readonly clients: ClientAuthenticator
  readonly scopes: ScopeRegistry | undefined
  readonly maxUsernameLength: number
  readonly maxPasswordBytes: number
  /** Milliseconds since the epoch. */
  readonly clock: () => number
}

/** The state a grant's steps build up, one field per step. */
export interface GrantContext {
  readonly config: TokenEndpointConfig
  readonly request: TokenRequest
  readonly form: TokenForm
  client?: AuthenticatedClient
  credentials?: { readonly username: string; readonly password: string }
  owner?: ResourceOwner
  /** Unix seconds at which the owner's record (and so their credentials) was read. */
  authenticatedAt?: number
  scope?: readonly string[]
  response?: TokenResponseBody
}

/** One named step of a grant. */
export type GrantStep = (context: GrantContext) => Promise<void> | void

/** A grant type: its steps, run in order; the last one sets `response`. */
export interface Grant {
  readonly grantType: string
  readonly steps: readonly GrantStep[]
}

/**
 * Returns a field a previous step must have set.
 *
 * @throws {TypeError} when a grant lists its steps in the wrong order (a programming error).
 * @example
 * const owner = stepOutput(context.owner, 'owner')
 */
export function stepOutput<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new TypeError(`grant step order: \`${name}\` is not set yet`)
  return value
}
