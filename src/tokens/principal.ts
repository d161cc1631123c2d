import { InvalidToken } from '../security/errors.js'
import type { PrincipalStatus } from './revocation.js'
import type { AccessTokenClaims } from './verify.js'

/**
 * Checks a verified token against its subject's current status (from
 * `UsersRepository.findStatusById`): the subject must still exist, be enabled, and not have
 * invalidated its tokens since this one was issued (password change, disabling).
 *
 * @throws InvalidToken (401 `invalid_token`) when the token no longer speaks for anyone.
 * @example
 * ```ts
 * const claims = await verifier.verify(token)
 * assertPrincipalActive(claims, await store.users.findStatusById(claims.sub))
 * ```
 */
export function assertPrincipalActive(
  claims: Pick<AccessTokenClaims, 'iat'>,
  status: PrincipalStatus | undefined,
): asserts status is PrincipalStatus {
  if (status === undefined) throw invalid('token subject no longer exists')
  if (status.disabled) throw invalid('token subject is disabled')
  if (claims.iat < status.tokensValidAfter) {
    throw invalid('token was issued before the credentials changed', 'GH_ERR_TOKEN_REVOKED')
  }
}

function invalid(
  description: string,
  code: 'GH_ERR_TOKEN_INVALID' | 'GH_ERR_TOKEN_REVOKED' = 'GH_ERR_TOKEN_INVALID',
): InvalidToken {
  return new InvalidToken({ description, code })
}
