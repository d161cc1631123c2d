/**
 * Grant steps shared by every grant type: client authentication, scope selection and issuance.
 */
import { parseScope, type ScopeRegistry } from '../scopes/index.js'
import { readClientCredentials } from './client-auth.js'
import { stepOutput, type GrantContext, type ResourceOwner } from './context.js'
import { InvalidScope } from './errors.js'
import { readParameter } from './form.js'

/**
 * Authenticates the client (RFC 6749 §2.3) with the configured {@link ClientAuthenticator}.
 *
 * @example
 * const grant = { grantType: 'password', steps: [authenticateClient, ...] }
 */
export async function authenticateClient(context: GrantContext): Promise<void> {
  const credentials = readClientCredentials(context.request.authorization, context.form)
  context.client = await context.config.clients.authenticate(credentials)
}

/**
 * Chooses the granted scope (RFC 6749 §3.3): the requested scope when the owner may have all of
 * it, or every scope of the owner when `scope` is omitted or empty.
 *
 * @throws {InvalidScope} for bad syntax, an unknown scope, or one the owner may not have.
 * @example
 * grantScope('read', ['read', 'write'], registry) // ['read']
 */
export function grantScope(
  requested: string | undefined,
  allowed: readonly string[],
  registry: ScopeRegistry | undefined,
): readonly string[] {
  if (requested === undefined) return allowed
  const scope = parseRequestedScope(requested)
  if (scope.length === 0) return allowed
  const unknown = registry === undefined ? [] : scope.filter((name) => !registry.has(name))
  if (unknown.length > 0) throw new InvalidScope(`Unknown scope: ${unknown.join(' ')}.`)
  const excess =
    registry === undefined
      ? scope.filter((name) => !allowed.includes(name))
      : registry.missing(allowed, scope)
  if (excess.length > 0) {
    throw new InvalidScope(
      `The requested scope exceeds what the user may be granted: ${excess.join(' ')}.`,
    )
  }
  return scope
}

function parseRequestedScope(requested: string): string[] {
  try {
    return parseScope(requested)
  } catch (cause) {
    throw new InvalidScope('The "scope" parameter is not a valid scope string (RFC 6749 §3.3).', {
      cause,
    })
  }
}

/**
 * Sets `context.scope` from the `scope` parameter and the authenticated owner's scopes.
 *
 * @example
 * const grant = { grantType: 'password', steps: [..., checkScope, issueTokens] }
 */
export function checkScope(context: GrantContext): void {
  const owner = stepOutput(context.owner, 'owner')
  const requested = readParameter(context.form, 'scope')
  context.scope = grantScope(requested, owner.scopes, context.config.scopes)
}

/**
 * `iat` is the second the owner's credentials were read, not the second of signing: a token from
 * a login that read the old password stays older than a change committed while it was hashing.
 * Never before the owner's `tokensValidAfter`, so a login right after a change (in the same
 * second) gets a token that works.
 */
function issuedAt(context: GrantContext, owner: ResourceOwner): { issuedAt?: number } {
  const { authenticatedAt } = context
  if (authenticatedAt === undefined) return {}
  return { issuedAt: Math.max(authenticatedAt, owner.tokensValidAfter ?? 0) }
}

/**
 * Issues the access token and sets the RFC 6749 §5.1 response body.
 *
 * @example
 * const grant = { grantType: 'password', steps: [..., issueTokens] }
 */
export async function issueTokens(context: GrantContext): Promise<void> {
  const owner = stepOutput(context.owner, 'owner')
  const client = stepOutput(context.client, 'client')
  const issued = await context.config.issuer.issueAccessToken({
    subject: owner.subject,
    scope: stepOutput(context.scope, 'scope'),
    ...(client.clientId === undefined ? {} : { clientId: client.clientId }),
    ...issuedAt(context, owner),
  })
  context.response = {
    access_token: issued.token,
    token_type: 'bearer',
    expires_in: issued.expiresIn,
    scope: issued.scope,
  }
}
