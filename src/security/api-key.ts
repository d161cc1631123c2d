/**
 * API keys in a header, the query string or a cookie (FastAPI's `fastapi.security.api_key`).
 *
 * A missing or empty key yields `undefined` (401 unless optional). The challenge is
 * `WWW-Authenticate: APIKey`, as FastAPI sends: there is no registered scheme for API keys, but
 * RFC 7235 §3.1 requires a challenge on every 401, and `APIKey` names what the client must send.
 */
import type { FastifyRequest } from 'fastify'
import { freezeIfExact, SchemeBase, type SchemeOptions } from './base.js'
import { formatChallenge } from './challenge.js'
import { InvalidRequest } from './errors.js'
import { requiredString, tokenOption } from './options.js'
import type { SecuritySchemeObject } from './scheme.js'

/** Options of every API key scheme. */
export interface APIKeyOptions<O extends boolean = false> extends SchemeOptions<O> {
  /** The header, query parameter or cookie name. */
  readonly name: string
}

type APIKeyLocation = 'header' | 'query' | 'cookie'

/** Short base of the family: `type: 'apiKey'` in OpenAPI, `APIKey` challenge, never scoped. */
abstract class APIKeyBase<O extends boolean> extends SchemeBase<string, O> {
  readonly usesScopes = false
  /** The header, query parameter or cookie name, as configured. */
  readonly name: string
  protected abstract readonly location: APIKeyLocation

  protected constructor(options: APIKeyOptions<O>, name: string) {
    super(options, ['name'])
    this.name = name
  }

  openapi(): SecuritySchemeObject {
    return this.withDescription({ type: 'apiKey', in: this.location, name: this.name })
  }

  /** `APIKey`: API keys define no auth-params, so error details go only in the body. */
  challenge(): string {
    return formatChallenge('APIKey')
  }
}

/** `''` is no key at all (FastAPI treats a falsy key as missing). */
function present(value: string | undefined): string | undefined {
  return value === '' ? undefined : value
}

/**
 * An API key in a request header.
 *
 * @example
 * ```ts
 * const apiKey = new APIKeyHeader({ name: 'X-API-Key' })
 * apiKey.openapi() // { type: 'apiKey', in: 'header', name: 'X-API-Key' }
 * ```
 */
export class APIKeyHeader<const O extends boolean = false> extends APIKeyBase<O> {
  protected readonly location = 'header'
  readonly #headerKey: string

  constructor(options: APIKeyOptions<O>) {
    super(options, tokenOption(new.target.name, 'name', options?.name))
    this.#headerKey = this.name.toLowerCase()
    freezeIfExact(this, new.target, APIKeyHeader)
  }

  extract(request: FastifyRequest): string | undefined {
    const value = request.headers[this.#headerKey]
    // Only set-cookie is ever an array in Node; repeated custom headers arrive joined by ", ".
    return typeof value === 'string' ? present(value) : undefined
  }
}

/**
 * An API key in the query string. Repeating the parameter is a 400 `invalid_request`, since
 * which key was meant is ambiguous. Prefer a header: query strings end up in logs.
 *
 * @example
 * ```ts
 * const apiKey = new APIKeyQuery({ name: 'api_key' })
 * ```
 */
export class APIKeyQuery<const O extends boolean = false> extends APIKeyBase<O> {
  protected readonly location = 'query'

  constructor(options: APIKeyOptions<O>) {
    super(options, requiredString(new.target.name, 'name', options?.name))
    freezeIfExact(this, new.target, APIKeyQuery)
  }

  extract(request: FastifyRequest): string | undefined {
    // Fastify types the parsed query as unknown; its parser yields an object of string | string[].
    const query = request.query as Readonly<Record<string, unknown>> | null | undefined
    // Own properties only: `?` must never reach Object.prototype (`name: 'constructor'`).
    const value = query != null && Object.hasOwn(query, this.name) ? query[this.name] : undefined
    if (value === undefined || typeof value === 'string') return present(value)
    throw new InvalidRequest({
      description: `The ${this.name} query parameter must appear once`,
      schemes: [this],
    })
  }
}

/**
 * Reads one cookie from a `Cookie` header (RFC 6265 §5.4) without splitting the whole header.
 * Values are percent-decoded like @fastify/cookie does, and surrounding quotes are removed.
 *
 * @example
 * ```ts
 * readCookie('theme=dark; session=abc%3D', 'session') // 'abc='
 * ```
 */
export function readCookie(header: string, name: string): string | undefined {
  let start = 0
  while (start < header.length) {
    let end = header.indexOf(';', start)
    if (end === -1) end = header.length
    while (header.charCodeAt(start) === 0x20) start++
    if (header.startsWith(name, start) && header.charCodeAt(start + name.length) === 0x3d) {
      return decodeCookieValue(header.slice(start + name.length + 1, end).trim())
    }
    start = end + 1
  }
  return undefined
}

function decodeCookieValue(raw: string): string {
  const value = raw.length > 1 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw
  if (!value.includes('%')) return value
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/**
 * An API key in a cookie. Uses `request.cookies` when @fastify/cookie is registered (including
 * its unsigning), else parses the `Cookie` header itself.
 *
 * @example
 * ```ts
 * const session = new APIKeyCookie({ name: 'session' })
 * ```
 */
export class APIKeyCookie<const O extends boolean = false> extends APIKeyBase<O> {
  protected readonly location = 'cookie'

  constructor(options: APIKeyOptions<O>) {
    super(options, tokenOption(new.target.name, 'name', options?.name))
    freezeIfExact(this, new.target, APIKeyCookie)
  }

  extract(request: FastifyRequest): string | undefined {
    // @fastify/cookie decorates request.cookies; its type augmentation is not loaded here.
    const cookies = (request as { cookies?: Readonly<Record<string, unknown>> }).cookies
    if (cookies !== undefined) {
      const value = Object.hasOwn(cookies, this.name) ? cookies[this.name] : undefined
      return typeof value === 'string' ? present(value) : undefined
    }
    const header = request.headers.cookie
    return header === undefined ? undefined : present(readCookie(header, this.name))
  }
}
