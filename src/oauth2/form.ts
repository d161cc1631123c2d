/**
 * The `parseForm` step: RFC 6749 §3.2 token requests are form-encoded
 * (`application/x-www-form-urlencoded`), and no parameter may appear more than once.
 */
import { OAuthInvalidRequest } from './errors.js'

/** Token-request parameters, each present at most once. Unrecognised ones are kept (and ignored). */
export type TokenForm = ReadonlyMap<string, string>

const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded'

/**
 * Whether a `Content-Type` value names the form media type (parameters such as `charset` allowed).
 *
 * @example
 * isFormContentType('application/x-www-form-urlencoded; charset=UTF-8') // true
 */
export function isFormContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false
  const mediaType = contentType.split(';', 1)[0] ?? ''
  return mediaType.trim().toLowerCase() === FORM_MEDIA_TYPE
}

/**
 * Reads a parsed form body into a {@link TokenForm}.
 *
 * @param contentType - the request's `Content-Type` header.
 * @param body - the body as parsed by @fastify/formbody: repeated keys arrive as arrays.
 * @throws {OAuthInvalidRequest} for another media type, a missing body or a repeated parameter.
 * @example
 * parseForm('application/x-www-form-urlencoded', { username: 'user1', password: 'secret' })
 * // Map { 'username' => 'user1', 'password' => 'secret' }
 */
export function parseForm(contentType: string | undefined, body: unknown): TokenForm {
  if (!isFormContentType(contentType)) {
    throw new OAuthInvalidRequest(
      `The token request must be sent as ${FORM_MEDIA_TYPE} (RFC 6749 §4.3.2).`,
    )
  }
  // An empty body parses to nothing at all: every parameter is then simply missing.
  if (body === undefined || body === null) return new Map()
  if (typeof body !== 'object') throw new OAuthInvalidRequest('The request body is not a form.')
  return readParameters(body)
}

function readParameters(body: object): TokenForm {
  const form = new Map<string, string>()
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') {
      // RFC 6749 §3.2: request parameters MUST NOT be included more than once.
      throw new OAuthInvalidRequest(`The "${name}" parameter must not be repeated.`)
    }
    form.set(name, value)
  }
  return form
}

/**
 * The value of a parameter, treating the empty string as absent (RFC 6749 §3.1: "Parameters sent
 * without a value MUST be treated as if they were omitted").
 *
 * @example
 * readParameter(new Map([['scope', '']]), 'scope') // undefined
 */
export function readParameter(form: TokenForm, name: string): string | undefined {
  const value = form.get(name)
  return value === '' ? undefined : value
}

/**
 * The value of a required parameter.
 *
 * @throws {OAuthInvalidRequest} when it is missing or empty.
 * @example
 * requireParameter(form, 'username') // 'user1'
 */
export function requireParameter(form: TokenForm, name: string): string {
  const value = readParameter(form, name)
  if (value === undefined) throw new OAuthInvalidRequest(`The "${name}" parameter is required.`)
  return value
}
