/**
 * The store as the server uses it, adapted to the contracts of the layers below: resource owners
 * for the token endpoint, principals for `currentUser`.
 */
import type { ResourceOwner, ResourceOwnerDirectory } from '../oauth2/index.js'
import type { User, UsersRepository } from '../store/index.js'
import type { PrincipalDirectory } from './security.js'

/** The user operations of the store the server calls. */
export type ServerUsers = Pick<
  UsersRepository,
  'findByUsername' | 'findStatusById' | 'rehashPassword'
>

/**
 * The token endpoint's view of the users: `sub` is the user's id, which is never reused, so a
 * deleted and re-created username does not inherit old tokens.
 *
 * @example
 * createTokenEndpoint({ owners: resourceOwners(store.users), hasher, issuer })
 */
export function resourceOwners(users: ServerUsers): ResourceOwnerDirectory {
  return {
    async findByUsername(username: string): Promise<ResourceOwner | undefined> {
      const user = await users.findByUsername(username)
      return user === undefined ? undefined : toOwner(user)
    },
    async updatePasswordHash(owner: ResourceOwner, passwordHash: string): Promise<void> {
      // A rehash keeps the password, so the tokens issued with it stay valid; it is written only
      // over the hash this login verified, never over a password changed meanwhile.
      await users.rehashPassword(owner.username, owner.passwordHash, passwordHash)
    },
  }
}

function toOwner(user: User): ResourceOwner {
  return {
    subject: user.id,
    username: user.username,
    passwordHash: user.passwordHash,
    scopes: user.scopes,
    disabled: user.disabled,
    tokensValidAfter: user.tokensValidAfter,
  }
}

/**
 * `currentUser`'s view of the users: their status by id on every request (`findStatusById`: one
 * pre-compiled query, or memory on SQLite), so disabling or deleting a user stops their tokens at
 * once.
 *
 * @example
 * createServerSecurity({ verifier, principals: principals(store.users) })
 */
export function principals(users: ServerUsers): PrincipalDirectory {
  return {
    findBySubject: (subject: string) => users.findStatusById(subject),
  }
}
