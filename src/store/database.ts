/**
 * The database schema as Kysely sees it: one interface per table, column names as in SQL.
 * Both dialects return the same JavaScript types (the PostgreSQL pool parses `bigint` as number).
 */

/** `users`: one row per principal. */
export interface UsersTable {
  /** Random UUID (text). */
  readonly id: string
  /** Unique, NFC-normalised, case-sensitive. */
  readonly username: string
  /** argon2id PHC string. */
  readonly password_hash: string
  /** Allowed scopes, space-separated (RFC 6749 §3.3 format). */
  readonly scopes: string
  /** 0 or 1 (an integer on both dialects, so repositories stay dialect-free). */
  readonly disabled: number
  /** Unix seconds; tokens with `iat` before this are dead. */
  readonly tokens_valid_after: number
  /** ISO-8601 UTC timestamp. */
  readonly created_at: string
  /** ISO-8601 UTC timestamp. */
  readonly updated_at: string
}

/** `revoked_tokens`: revoked access-token ids, kept until the token would have expired. */
export interface RevokedTokensTable {
  readonly jti: string
  /** Unix seconds. */
  readonly expires_at: number
}

/** The whole schema, for `Kysely<Database>`. */
export interface Database {
  users: UsersTable
  revoked_tokens: RevokedTokensTable
}
