/**
 * The one place `WWW-Authenticate` challenges are built (RFC 7235 §4.1, RFC 6750 §3).
 * Every scheme's `challenge()` calls {@link formatChallenge}; nothing else concatenates one.
 */
import type { ChallengeParams } from './scheme.js'

/** Auth-params in output order; `undefined` values are left out. */
export type AuthParams = Readonly<Record<string, string | undefined>>

/** RFC 7230 token: the syntax of auth-scheme and auth-param names. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** Characters a quoted-string may carry after escaping: HTAB, SP and visible ASCII. */
const UNSAFE = /[^\t\x20-\x7e]/g
const NEEDS_ESCAPE = /["\\]/g
const NEEDS_WORK = /[^\t\x20-\x21\x23-\x5b\x5d-\x7e]/

/**
 * Quotes an auth-param value as an RFC 7230 quoted-string: `"` and `\` are backslash-escaped.
 * Characters a header cannot carry (controls, CR/LF, non-ASCII) become `?`, so a hostile
 * description can neither split the header nor make Node throw.
 *
 * @example
 * ```ts
 * quoteAuthParam('say "hi"') // '"say \\"hi\\""'
 * ```
 */
export function quoteAuthParam(value: string): string {
  if (!NEEDS_WORK.test(value)) return `"${value}"`
  return `"${value.replace(UNSAFE, '?').replace(NEEDS_ESCAPE, '\\$&')}"`
}

function assertToken(value: string, what: string): void {
  if (!TOKEN.test(value)) {
    throw new TypeError(`${what} must be an RFC 7230 token, got ${JSON.stringify(value)}`)
  }
}

/**
 * Formats one RFC 7235 challenge: the auth-scheme, then `name="value"` pairs joined by `, `.
 * Values are always quoted and escaped; absent (`undefined`) params are omitted.
 *
 * @throws {TypeError} when the scheme or a param name is not an RFC 7230 token (a programming error).
 * @example
 * ```ts
 * formatChallenge('Bearer', { realm: 'api', error: 'invalid_token', error_description: undefined })
 * // 'Bearer realm="api", error="invalid_token"'
 * ```
 */
export function formatChallenge(scheme: string, params: AuthParams = {}): string {
  assertToken(scheme, 'auth-scheme')
  let out = scheme
  let separator = ' '
  for (const name in params) {
    const value = params[name]
    if (value === undefined) continue
    assertToken(name, 'auth-param name')
    out += `${separator}${name}=${quoteAuthParam(value)}`
    separator = ', '
  }
  return out
}

/**
 * The RFC 6750 §3 Bearer challenge: `realm`, `error`, `scope`, `error_description`, in that order.
 * With no `error` (no credentials were sent) only `realm` remains (RFC 6750 §3.1).
 *
 * @example
 * ```ts
 * bearerChallenge('api', { error: 'insufficient_scope', scope: 'admin' })
 * // 'Bearer realm="api", error="insufficient_scope", scope="admin"'
 * ```
 */
export function bearerChallenge(realm: string | undefined, params: ChallengeParams = {}): string {
  // RFC 6750 §3.1: a request without credentials gets no error information at all.
  const hasError = params.error !== undefined
  return formatChallenge('Bearer', {
    realm,
    error: params.error,
    scope: hasError ? params.scope : undefined,
    error_description: hasError ? params.errorDescription : undefined,
  })
}
