import { GatehouseConfigError } from '../errors.js'

/** Where a store lives, parsed from its URL. */
export type StoreLocation =
  | { readonly dialect: 'sqlite'; readonly filename: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string }

const SCHEME = /^([a-z][a-z0-9+.-]+):/i

/**
 * Parses a store URL: `sqlite:<path>`, `sqlite::memory:`, `sqlite:///abs/path.db`, a bare file
 * path (or `:memory:`), or `postgres://…` / `postgresql://…`.
 *
 * @throws GatehouseConfigError for an empty URL or another scheme.
 * @example
 * ```ts
 * parseStoreUrl('sqlite:./data/gh.db') // { dialect: 'sqlite', filename: './data/gh.db' }
 * ```
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new GatehouseConfigError(`\`url\` must be a non-empty string, got ${JSON.stringify(url)}`)
  }
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase()
  if (scheme === undefined || url === ':memory:') return { dialect: 'sqlite', filename: url }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return { dialect: 'postgres', connectionString: url }
  }
  if (scheme === 'sqlite') return { dialect: 'sqlite', filename: sqlitePath(url) }
  throw new GatehouseConfigError(
    `\`url\` must be sqlite:<path>, postgres://…, postgresql://… or a file path, got ${scheme}:`,
  )
}

function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length)
  const path = rest.startsWith('//') ? rest.slice(2) : rest
  if (path === '') throw new GatehouseConfigError('`url` names no SQLite file: use sqlite:<path>')
  return path
}
