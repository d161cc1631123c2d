/**
 * Passwords errors. Codes are stable API; messages may change. A retired code is never reused.
 *
 * | class | code | when |
 * |---|---|---|
 * | {@link PasswordHasherUnavailable} | `GH_ERR_PASSWORD_HASHER_UNAVAILABLE` | the job queue is full, or the hasher is closed |
 */
import { GatehouseHTTPError } from '../errors.js'

/** Why a {@link PasswordHasherUnavailable} was thrown. */
export type PasswordHasherUnavailableReason = 'queue_full' | 'closed'

const DESCRIPTIONS: Readonly<Record<PasswordHasherUnavailableReason, string>> = {
  queue_full: 'Too many password checks are waiting; try again shortly.',
  closed: 'The server is shutting down; try again shortly.',
}

/**
 * The hasher cannot take a job: every hashing thread is busy and the queue in front of them is
 * full, or the hasher was closed. A request error, `503 temporarily_unavailable` with
 * `Retry-After: 1`, so the token endpoint answers it without change; unknown and known users
 * reach the same queue, so it reveals nothing about which usernames exist.
 *
 * @example
 * ```ts
 * try {
 *   await hasher.verify(user.passwordHash, password)
 * } catch (error) {
 *   if (error instanceof PasswordHasherUnavailable && error.reason === 'queue_full') shedLoad()
 *   throw error
 * }
 * ```
 */
export class PasswordHasherUnavailable extends GatehouseHTTPError {
  /** `queue_full` or `closed`; for logs and metrics, the response is the same. */
  readonly reason: PasswordHasherUnavailableReason

  constructor(reason: PasswordHasherUnavailableReason) {
    super('GH_ERR_PASSWORD_HASHER_UNAVAILABLE', 503, 'temporarily_unavailable', {
      description: DESCRIPTIONS[reason],
      expose: true,
      headers: { 'retry-after': '1' },
    })
    this.reason = reason
  }
}
