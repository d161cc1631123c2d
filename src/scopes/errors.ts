/**
 * Errors of the scopes layer.
 *
 * Codes (`GH_ERR_SCOPE_*`) are stable API; messages may change. A retired code is never reused.
 *
 * | code | thrown by | meaning |
 * |---|---|---|
 * | `GH_ERR_SCOPE_INVALID` | {@link ScopeSyntaxError}, registry construction | not RFC 6749 §3.3 syntax |
 * | `GH_ERR_SCOPE_UNKNOWN` | `ScopeRegistry.assertKnown()`, registry construction | scope not registered |
 */
import { GatehouseConfigError, GatehouseError } from '../errors.js'

/** Why a scope string failed RFC 6749 §3.3 syntax. */
export type ScopeSyntaxReason = 'empty-token' | 'invalid-character' | 'not-a-string'

/**
 * A scope string is not valid RFC 6749 §3.3 syntax.
 *
 * It belongs to neither error family on its own: configuration code wraps it in a
 * `GatehouseConfigError`, and the token endpoint maps it to `invalid_scope`.
 *
 * @example
 * ```ts
 * try { parseScope('read  write') } catch (err) {
 *   if (err instanceof ScopeSyntaxError) console.log(err.reason, err.index) // 'empty-token' 5
 * }
 * ```
 */
export class ScopeSyntaxError extends GatehouseError {
  /** Machine-readable reason. */
  readonly reason: ScopeSyntaxReason
  /** Offset of the offending character in the input (0 for `not-a-string`). */
  readonly index: number

  constructor(reason: ScopeSyntaxReason, index: number, message: string) {
    super('GH_ERR_SCOPE_INVALID', message)
    this.reason = reason
    this.index = index
  }
}

/** Builds the configuration error for a scope that is not registered. */
export function unknownScopeError(message: string): GatehouseConfigError {
  return new GatehouseConfigError(message, { code: 'GH_ERR_SCOPE_UNKNOWN' })
}

/** Builds the configuration error for malformed registry input. */
export function invalidScopeConfigError(message: string, cause?: unknown): GatehouseConfigError {
  return new GatehouseConfigError(message, { code: 'GH_ERR_SCOPE_INVALID', cause })
}
