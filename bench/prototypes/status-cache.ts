/**
 * PROTOTYPE of a proposed change to src/store, used only by the bench: the per-request user
 * status served from a short-lived in-process cache (a real one would also be invalidated by the
 * repository's own writes and by a broadcast between instances).
 */
import type { PrincipalStatus } from '../../src/tokens/index.js'

/** Caches `lookup` per id for `ttlMs`. */
export function cachedStatus(
  lookup: (id: string) => Promise<PrincipalStatus | undefined>,
  ttlMs = 1000,
  clock: () => number = Date.now,
): (id: string) => PrincipalStatus | undefined | Promise<PrincipalStatus | undefined> {
  const entries = new Map<string, { readonly status: PrincipalStatus | undefined; readonly until: number }>()
  return (id) => {
    const now = clock()
    const cached = entries.get(id)
    if (cached !== undefined && cached.until > now) return cached.status
    return lookup(id).then((status) => {
      entries.set(id, { status, until: now + ttlMs })
      return status
    })
  }
}
