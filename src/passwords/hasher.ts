/**
 * Hashes and checks passwords. The contract the token endpoint and the CLI use; `argon2id.ts`
 * implements it.
 *
 * @example
 * ```ts
 * const ok = user
 *   ? await hasher.verify(user.passwordHash, password)
 *   : await hasher.verifyDummy(password) // unknown user: same time, same answer
 * if (ok && hasher.needsRehash(user.passwordHash)) {
 *   await users.setPasswordHash(user.username, await hasher.hash(password), {
 *     revokeTokens: false,
 *   })
 * }
 * ```
 */
export interface PasswordHasher {
  /**
   * Hashes a password into a self-describing PHC string (salt and parameters included).
   * Rejects with a `RangeError` for an empty or oversized password, and when the hasher cannot
   * run the job (see {@link PasswordHasher.verify}).
   */
  hash(password: string): Promise<string>
  /**
   * Whether `password` matches `hash`: false for a bad hash or oversized input. Rejects only when
   * the hasher cannot run the job: overloaded or closed (`PasswordHasherUnavailable`, a 503), or a
   * hashing thread died (`GH_ERR_INTERNAL`). It never answers false for those, which would tell
   * the user their password is wrong.
   */
  verify(hash: string, password: string): Promise<boolean>
  /** Whether `hash` was made with other parameters or another algorithm than the current ones. */
  needsRehash(hash: string): boolean
  /**
   * Spends the time of a real verification and resolves `false`: the path for unknown users, so
   * their answer takes as long as a wrong password's (no user enumeration by timing).
   */
  verifyDummy(password: string): Promise<false>
}
