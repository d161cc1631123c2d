/**
 * Defaults of the oauth2 layer. Each is documented here once; docs/configuration.md is written
 * from these comments.
 */
import { MAX_PASSWORD_BYTES } from '../passwords/index.js'

/**
 * The longest accepted `username`, in characters (code points, as the store counts them).
 * Longer names are rejected with `invalid_request` before any lookup: no account can have one.
 */
export const DEFAULT_MAX_USERNAME_LENGTH = 64

/**
 * The longest accepted `password`, in UTF-8 bytes (1 KiB, the passwords layer's limit). Longer
 * input is rejected with `invalid_request` before hashing, so a huge password costs no argon2 work.
 */
export const DEFAULT_MAX_PASSWORD_BYTES: number = MAX_PASSWORD_BYTES

/**
 * The largest token-request body, in bytes (8 KiB). A password grant fits in a few hundred bytes;
 * anything bigger is answered `413` without being parsed.
 */
export const DEFAULT_TOKEN_BODY_LIMIT_BYTES = 8192

/**
 * The longest accepted `client_id`, in characters. RFC 6749 (Appendix A.1) allows only visible
 * ASCII; the id is copied into the token's `client_id` claim, so it is bounded like a username.
 */
export const MAX_CLIENT_ID_LENGTH = 255

/** The grant type assumed when a request omits `grant_type` (the paper's curl omits it). */
export const DEFAULT_GRANT_TYPE = 'password'

/** The single `error_description` of every failed resource-owner authentication. */
export const INVALID_CREDENTIALS_DESCRIPTION = 'Invalid username or password.'

/**
 * Headers on every token-endpoint response, errors included (RFC 6749 §5.1): the response
 * carries credentials and must never be cached.
 */
export const TOKEN_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  pragma: 'no-cache',
})
