/**
 * The proposed model's security declarations: the scope registry (admin ⊇ write ⊇ read), the
 * OAuth2 password-flow scheme, and the `currentUser` dependency every protected route uses.
 */
import { dependency, type Dependency } from '../deps/index.js'
import { ScopeRegistry } from '../scopes/index.js'
import { InvalidToken, OAuth2PasswordBearer } from '../security/index.js'
import type { AccessTokenClaims, TokenVerifier } from '../tokens/index.js'
import { SERVER_SCOPES } from './defaults.js'

/** What `currentUser` needs to know about the token's subject, right now. */
export interface PrincipalRecord {
  readonly username: string
  /** The scopes the principal holds now (they may have shrunk since the token was issued). */
  readonly scopes: readonly string[]
  readonly disabled: boolean
  /** Tokens issued (`iat`) before this instant, in unix seconds, are no longer accepted. */
  readonly tokensValidAfter: number
}

/** Looks principals up by the `sub` claim. */
export interface PrincipalDirectory {
  findBySubject(subject: string): Promise<PrincipalRecord | undefined>
}

/** The authenticated caller, as handlers see it in `request.deps.user`. */
export interface CurrentUser {
  readonly subject: string
  readonly username: string
  /** Scopes granted to the token in use. */
  readonly scopes: readonly string[]
  /** Scopes the user holds now (an admin may have taken some away since the token was issued). */
  readonly heldScopes: readonly string[]
  readonly disabled: boolean
  readonly claims: AccessTokenClaims
}

/** The security declarations of the reference server. */
export interface ServerSecurity {
  readonly scopes: ScopeRegistry
  readonly oauth2: OAuth2PasswordBearer
  readonly currentUser: Dependency<CurrentUser>
}

/** Options of {@link createServerSecurity}. */
export interface ServerSecurityOptions {
  readonly verifier: TokenVerifier
  readonly principals: PrincipalDirectory
  /** Path of the token endpoint, for OpenAPI and Swagger UI. Default `/token`. */
  readonly tokenUrl?: string
}

/**
 * Builds the registry, the scheme and `currentUser`.
 *
 * `currentUser` verifies the bearer token (401 `invalid_token`), checks that its subject still
 * exists, is enabled and has not had its tokens cut off since the token was issued (401
 * `invalid_token`), then checks that both the token and the user's current scopes cover what the
 * route requires (403 `insufficient_scope`).
 *
 * @example
 * const { currentUser } = createServerSecurity({ verifier, principals })
 * app.get('/me', { config: { deps: { user: currentUser } } }, (request) => request.deps.user)
 */
export function createServerSecurity(options: ServerSecurityOptions): ServerSecurity {
  const scopes = new ScopeRegistry(SERVER_SCOPES)
  const oauth2 = new OAuth2PasswordBearer({ tokenUrl: options.tokenUrl ?? '/token', scopes })
  const currentUser = dependency(
    { token: oauth2 },
    async ({ token }, { securityScopes }): Promise<CurrentUser> => {
      const claims = await options.verifier.verify(token)
      const principal = await options.principals.findBySubject(claims.sub)
      assertActive(principal, claims)
      // The token must grant what the route needs, and the user must still hold it: taking a
      // scope away from a user takes effect at once, not when their tokens expire.
      securityScopes.require(claims.scope)
      securityScopes.require(principal.scopes)
      return Object.freeze({
        subject: claims.sub,
        username: principal.username,
        scopes: claims.scope,
        heldScopes: principal.scopes,
        disabled: principal.disabled,
        claims,
      })
    },
    { name: 'currentUser' },
  )
  return { scopes, oauth2, currentUser }
}

function assertActive(
  principal: PrincipalRecord | undefined,
  claims: AccessTokenClaims,
): asserts principal is PrincipalRecord {
  // One description for every case: the token no longer stands for an active user.
  if (principal === undefined || principal.disabled || claims.iat < principal.tokensValidAfter) {
    throw new InvalidToken({ description: 'The access token is no longer valid' })
  }
}
