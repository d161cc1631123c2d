/**
 * Defaults of the store. Each is documented here once; the configuration table in the docs is
 * written from these comments.
 */

/**
 * Users whose status (`findStatusById`) a SQLite store keeps in memory: 10 000. The oldest entry
 * leaves first when full; the whole cache starts over whenever the database changes.
 */
export const DEFAULT_STATUS_CACHE_ENTRIES = 10_000
