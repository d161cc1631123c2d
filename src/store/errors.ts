/**
 * Store errors: only what callers branch on. Everything else a driver throws passes through.
 *
 * Codes are stable API; messages may change. A retired code is never reused.
 *
 * | class | code | when |
 * |---|---|---|
 * | {@link StoreConflictError} | `GH_ERR_STORE_CONFLICT` | a unique key already exists |
 * | {@link StoreNotFoundError} | `GH_ERR_STORE_NOT_FOUND` | the row to change does not exist |
 * | {@link InvalidUsernameError} | `GH_ERR_STORE_USERNAME_INVALID` | a username breaks the rules |
 */
import { GatehouseError } from '../errors.js'

/**
 * A row with the same unique key exists (translated from the driver's unique violation).
 *
 * @example
 * ```ts
 * try { await users.create(input) } catch (e) { if (e instanceof StoreConflictError) ... }
 * ```
 */
export class StoreConflictError extends GatehouseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GH_ERR_STORE_CONFLICT', message, options)
  }
}

/**
 * The row a change targets does not exist.
 *
 * @example
 * ```ts
 * await users.setDisabled('ghost', true) // throws StoreNotFoundError
 * ```
 */
export class StoreNotFoundError extends GatehouseError {
  constructor(message: string) {
    super('GH_ERR_STORE_NOT_FOUND', message)
  }
}

/**
 * A username is empty, longer than 64 characters, or holds whitespace, control or format
 * characters, or `:` (which HTTP Basic cannot carry, RFC 7617 §2).
 *
 * @example
 * ```ts
 * await users.create({ username: 'a b', passwordHash, scopes: [] }) // throws InvalidUsernameError
 * ```
 */
export class InvalidUsernameError extends GatehouseError {
  constructor(message: string) {
    super('GH_ERR_STORE_USERNAME_INVALID', message)
  }
}
