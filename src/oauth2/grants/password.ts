/**
 * The resource owner password credentials grant (RFC 6749 §4.3), as a table of named steps.
 */
import { stepOutput, type Grant, type GrantContext, type ResourceOwner } from '../context.js'
import { INVALID_CREDENTIALS_DESCRIPTION } from '../defaults.js'
import { InvalidGrant, OAuthInvalidRequest } from '../errors.js'
import { requireParameter } from '../form.js'
import { authenticateClient, checkScope, issueTokens } from '../steps.js'

/**
 * Reads `username` and `password` (RFC 6749 §4.3.2) and bounds their size before any lookup or
 * hashing.
 *
 * @throws {OAuthInvalidRequest} when one is missing or too long.
 * @example
 * const grant = { grantType: 'password', steps: [readOwnerCredentials, ...] }
 */
export function readOwnerCredentials(context: GrantContext): void {
  const { maxUsernameLength, maxPasswordBytes } = context.config
  const username = requireParameter(context.form, 'username')
  const password = requireParameter(context.form, 'password')
  // Code points, not UTF-16 units: the store counts a username's length the same way.
  if ([...username].length > maxUsernameLength) {
    throw new OAuthInvalidRequest(
      `The "username" parameter is longer than ${maxUsernameLength} characters.`,
    )
  }
  if (Buffer.byteLength(password, 'utf8') > maxPasswordBytes) {
    throw new OAuthInvalidRequest(
      `The "password" parameter is longer than ${maxPasswordBytes} bytes.`,
    )
  }
  context.credentials = { username, password }
}

/**
 * Authenticates the resource owner. An unknown user costs the same hashing time as a wrong
 * password and gets the same answer; a disabled user gets it too. A hash made with outdated
 * parameters is replaced on success, keeping the owner's tokens.
 *
 * @throws {InvalidGrant} with one description for every failure.
 * @example
 * const grant = { grantType: 'password', steps: [..., authenticateUser, ...] }
 */
export async function authenticateUser(context: GrantContext): Promise<void> {
  const { username, password } = stepOutput(context.credentials, 'credentials')
  const { owners, hasher, clock } = context.config
  // Read before the lookup: a credential change committed after this instant outdates the token.
  const readAt = Math.floor(clock() / 1000)
  const owner = await owners.findByUsername(username)
  const verified =
    owner === undefined
      ? await hasher.verifyDummy(password)
      : await hasher.verify(owner.passwordHash, password)
  if (owner === undefined || !verified || owner.disabled) {
    context.request.log?.info({ reason: failureReason(owner, verified) }, 'password grant rejected')
    throw new InvalidGrant(INVALID_CREDENTIALS_DESCRIPTION)
  }
  await rehashIfNeeded(context, owner, password)
  context.owner = owner
  context.authenticatedAt = readAt
}

function failureReason(owner: ResourceOwner | undefined, verified: boolean): string {
  if (owner === undefined) return 'unknown_user'
  return verified ? 'user_disabled' : 'wrong_password'
}

async function rehashIfNeeded(
  context: GrantContext,
  owner: ResourceOwner,
  password: string,
): Promise<void> {
  const { owners, hasher } = context.config
  if (!hasher.needsRehash(owner.passwordHash)) return
  try {
    await owners.updatePasswordHash(owner, await hasher.hash(password))
  } catch (err) {
    // The login itself succeeded; an outdated hash still verifies, so retry at the next login.
    context.request.log?.warn({ err, reason: 'rehash_failed' }, 'password rehash failed')
  }
}

/**
 * The password grant: authenticate the client, read and check the owner's credentials, choose
 * the scope, issue the token.
 */
export const passwordGrant: Grant = Object.freeze({
  grantType: 'password',
  steps: Object.freeze([
    authenticateClient,
    readOwnerCredentials,
    authenticateUser,
    checkScope,
    issueTokens,
  ]),
})
