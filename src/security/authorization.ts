/**
 * `Authorization` header parsing (RFC 7235 §2.1), allocation-light for the hot path.
 *
 * ```abnf
 * credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 * ```
 *
 * Rules (each a deliberate choice, tested in authorization.test.ts):
 * - the auth-scheme is case-insensitive (`bearer`, `BEARER`);
 * - a header for another scheme is "no credential for this scheme": `undefined`, so the route
 *   answers 401 without an `error` attribute (RFC 6750 §3.1);
 * - several `Authorization` headers are a malformed request: 400 `invalid_request` (RFC 6750 §3.1
 *   "uses more than one method"). Node keeps only the first, so `rawHeaders` is consulted;
 * - `Bearer` with no token is a missing parameter: 400 `invalid_request` (RFC 6750 §3.1);
 * - a token outside b64token syntax (RFC 6750 §2.1) is a malformed token: 401 `invalid_token`.
 */
import type { FastifyRequest } from 'fastify'
import { InvalidRequest, InvalidToken } from './errors.js'
import type { SecurityScheme } from './scheme.js'

/** An `Authorization` header split once: the scheme as sent and the rest. */
export interface AuthorizationParts {
  readonly scheme: string
  readonly credentials: string
}

const SPACE = 0x20
const AUTHORIZATION = 'authorization'
/** RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

/**
 * Splits an `Authorization` value at its first space: `scheme` and `credentials` (leading
 * spaces of the credentials skipped, since RFC 7235 allows `1*SP`).
 *
 * @example
 * ```ts
 * splitAuthorization('Bearer  abc') // { scheme: 'Bearer', credentials: 'abc' }
 * splitAuthorization('Negotiate')   // { scheme: 'Negotiate', credentials: '' }
 * ```
 */
export function splitAuthorization(value: string): AuthorizationParts {
  const space = value.indexOf(' ')
  if (space === -1) return { scheme: value, credentials: '' }
  return { scheme: value.slice(0, space), credentials: value.slice(skipSpaces(value, space)) }
}

function skipSpaces(value: string, from: number): number {
  let i = from
  while (value.charCodeAt(i) === SPACE) i++
  return i
}

/** Case-insensitive prefix match of `scheme` (lower-case letters) followed by SP or the end. */
function hasScheme(value: string, scheme: string): boolean {
  const length = scheme.length
  if (value.length < length) return false
  if (value.length > length && value.charCodeAt(length) !== SPACE) return false
  for (let i = 0; i < length; i++) {
    let code = value.charCodeAt(i)
    if (code >= 0x41 && code <= 0x5a) code += 0x20
    if (code !== scheme.charCodeAt(i)) return false
  }
  return true
}

/** Case-insensitive equality with a lower-case ASCII word, without allocating. */
function equalsLowerCase(value: string, lower: string): boolean {
  return value.length === lower.length && hasScheme(value, lower)
}

/**
 * Whether the raw request carried more than one `Authorization` header (Node keeps only the
 * first in `request.headers`).
 *
 * @example
 * if (hasDuplicateAuthorization(request)) throw new InvalidRequest({ description: '…' })
 */
export function hasDuplicateAuthorization(request: FastifyRequest): boolean {
  const raw = request.raw.rawHeaders
  let seen = 0
  for (let i = 0; i < raw.length; i += 2) {
    if (equalsLowerCase(raw[i] as string, AUTHORIZATION) && ++seen > 1) return true
  }
  return false
}

/**
 * The credentials of an `Authorization` header using `scheme` (lower-case), else `undefined`.
 * Returns `''` when the scheme is present without credentials; the caller decides what that means.
 *
 * @throws {InvalidRequest} on repeated `Authorization` headers (400, challenged by `owner`).
 * @example
 * ```ts
 * // Authorization: Negotiate YII...
 * readAuthorization(request, 'negotiate', this) // 'YII...'
 * ```
 */
export function readAuthorization(
  request: FastifyRequest,
  scheme: string,
  owner: SecurityScheme,
): string | undefined {
  const header = request.headers.authorization
  if (header === undefined || header === '') return undefined
  if (hasDuplicateAuthorization(request)) {
    throw new InvalidRequest({ description: 'Multiple Authorization headers', schemes: [owner] })
  }
  if (!hasScheme(header, scheme)) return undefined
  return header.slice(skipSpaces(header, scheme.length))
}

/**
 * The RFC 6750 §2.1 bearer token of a request, or `undefined` when none was sent.
 *
 * @throws {InvalidRequest} `Bearer` without a token, or repeated headers (400).
 * @throws {InvalidToken} a token outside b64token syntax (401).
 * @example
 * ```ts
 * class HeaderOrCookieBearer extends OAuth2PasswordBearer {
 *   override extract(request: FastifyRequest) {
 *     return readBearerToken(request, this) ?? request.cookies.access_token
 *   }
 * }
 * ```
 */
export function readBearerToken(
  request: FastifyRequest,
  owner: SecurityScheme,
): string | undefined {
  const token = readAuthorization(request, 'bearer', owner)
  if (token === undefined) return undefined
  if (token === '') {
    // RFC 6750 §3.1: "missing a required parameter" is invalid_request (400), not a missing credential.
    throw new InvalidRequest({ description: 'The Bearer credentials are empty', schemes: [owner] })
  }
  if (!B64TOKEN.test(token)) {
    throw new InvalidToken({ description: 'The access token is malformed', schemes: [owner] })
  }
  return token
}
