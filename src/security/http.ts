/**
 * HTTP authentication schemes (FastAPI's `fastapi.security.http`): Bearer (RFC 6750 §2.1),
 * Basic (RFC 7617) and Digest (pass-through, as in FastAPI).
 */
import type { FastifyRequest } from 'fastify'
import { readAuthorization, readBearerToken } from './authorization.js'
import { freezeIfExact, SchemeBase, type SchemeOptions } from './base.js'
import { bearerChallenge, formatChallenge } from './challenge.js'
import { InvalidCredentials, InvalidRequest } from './errors.js'
import { optionalString } from './options.js'
import type { ChallengeParams, SecuritySchemeObject } from './scheme.js'

/** The credential of {@link HTTPBearer} and {@link HTTPDigest} (FastAPI's `HTTPAuthorizationCredentials`). */
export interface HTTPAuthorizationCredentials {
  /** The canonical scheme name (`Bearer`, `Digest`), whatever case the client used. */
  readonly scheme: string
  readonly credentials: string
}

/** The credential of {@link HTTPBasic} (FastAPI's `HTTPBasicCredentials`). */
export interface HTTPBasicCredentials {
  readonly username: string
  readonly password: string
}

/** Short base of the family: `type: 'http'` in OpenAPI, never scoped. */
abstract class HTTPBase<Value, O extends boolean> extends SchemeBase<Value, O> {
  readonly usesScopes = false
  /** The lower-case auth-scheme, as OpenAPI's `scheme` field writes it. */
  protected abstract readonly httpScheme: string

  openapi(): SecuritySchemeObject {
    return this.withDescription({ type: 'http', scheme: this.httpScheme })
  }
}

/** Options of {@link HTTPBearer}. */
export interface HTTPBearerOptions<O extends boolean = false> extends SchemeOptions<O> {
  /** OpenAPI `bearerFormat` hint, for example `JWT`. */
  readonly bearerFormat?: string
  /** `realm` auth-param of the challenge. */
  readonly realm?: string
}

/**
 * `Authorization: Bearer <token>` documented as an HTTP scheme (FastAPI's `HTTPBearer`).
 * Yields `{ scheme: 'Bearer', credentials }`.
 *
 * @example
 * ```ts
 * const bearer = new HTTPBearer({ bearerFormat: 'JWT' })
 * bearer.openapi() // { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }
 * ```
 */
export class HTTPBearer<const O extends boolean = false> extends HTTPBase<
  HTTPAuthorizationCredentials,
  O
> {
  protected readonly httpScheme = 'bearer'
  readonly bearerFormat: string | undefined
  readonly realm: string | undefined

  constructor(options: HTTPBearerOptions<O> = {}) {
    super(options, ['bearerFormat', 'realm'])
    this.bearerFormat = optionalString(this.constructor.name, 'bearerFormat', options.bearerFormat)
    this.realm = optionalString(this.constructor.name, 'realm', options.realm)
    freezeIfExact(this, new.target, HTTPBearer)
  }

  override openapi(): SecuritySchemeObject {
    const object = { type: 'http', scheme: 'bearer' } as const
    return this.withDescription(
      this.bearerFormat === undefined ? object : { ...object, bearerFormat: this.bearerFormat },
    )
  }

  extract(request: FastifyRequest): HTTPAuthorizationCredentials | undefined {
    const credentials = readBearerToken(request, this)
    return credentials === undefined ? undefined : { scheme: 'Bearer', credentials }
  }

  challenge(params?: ChallengeParams): string {
    return bearerChallenge(this.realm, params)
  }
}

/** Options of {@link HTTPBasic}. */
export interface HTTPBasicOptions<O extends boolean = false> extends SchemeOptions<O> {
  /** `realm` of the challenge (RFC 7617 §2); omitted from the challenge when not set (FastAPI). */
  readonly realm?: string
}

/** Standard padded base64 (RFC 4648 §4), as RFC 7617 §2 requires. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
/** RFC 7617 §2: user-id and password MUST NOT contain control characters (RFC 5234 CTL). */
const CONTROL = /[\x00-\x1f\x7f]/
/** One shared strict decoder: invalid UTF-8 throws instead of becoming U+FFFD. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function decodeUTF8(bytes: Buffer): string | undefined {
  try {
    return UTF8.decode(bytes)
  } catch {
    return undefined
  }
}

/**
 * Decodes RFC 7617 Basic credentials: base64 of UTF-8 `user-id ":" password`, split at the
 * FIRST colon so passwords may contain colons. Returns `undefined` when malformed.
 *
 * @example
 * ```ts
 * decodeBasicCredentials('YWxpY2U6czNjcjN0Ojo=') // { username: 'alice', password: 's3cr3t::' }
 * ```
 */
export function decodeBasicCredentials(encoded: string): HTTPBasicCredentials | undefined {
  if (encoded === '' || !BASE64.test(encoded)) return undefined
  const text = decodeUTF8(Buffer.from(encoded, 'base64'))
  if (text === undefined || CONTROL.test(text)) return undefined
  const colon = text.indexOf(':')
  if (colon === -1) return undefined
  return { username: text.slice(0, colon), password: text.slice(colon + 1) }
}

/**
 * HTTP Basic authentication (RFC 7617) with UTF-8 credentials. Yields `{ username, password }`;
 * malformed credentials are a 401 with the `Basic` challenge, so browsers prompt again.
 * Compare passwords in constant time (the passwords layer's hasher does).
 *
 * @example
 * ```ts
 * const basic = new HTTPBasic({ realm: 'admin' })
 * basic.challenge() // 'Basic realm="admin", charset="UTF-8"'
 * ```
 */
export class HTTPBasic<const O extends boolean = false> extends HTTPBase<HTTPBasicCredentials, O> {
  protected readonly httpScheme = 'basic'
  readonly realm: string | undefined

  constructor(options: HTTPBasicOptions<O> = {}) {
    super(options, ['realm'])
    this.realm = optionalString(this.constructor.name, 'realm', options.realm)
    freezeIfExact(this, new.target, HTTPBasic)
  }

  extract(request: FastifyRequest): HTTPBasicCredentials | undefined {
    const encoded = readAuthorization(request, 'basic', this)
    if (encoded === undefined) return undefined
    const credentials = decodeBasicCredentials(encoded)
    if (credentials === undefined) {
      throw new InvalidCredentials({ description: 'Malformed Basic credentials', schemes: [this] })
    }
    return credentials
  }

  /** RFC 7617 defines no error params: the challenge is the same whatever went wrong. */
  challenge(): string {
    // RFC 7617 §2.1: charset="UTF-8" tells the client to encode credentials as UTF-8.
    return formatChallenge('Basic', { realm: this.realm, charset: 'UTF-8' })
  }
}

/**
 * `Authorization: Digest ...` passed through undecoded, as FastAPI's `HTTPDigest` does: it
 * documents the scheme and yields `{ scheme: 'Digest', credentials }` for your own verification.
 *
 * @example
 * ```ts
 * const digest = new HTTPDigest({ optional: true })
 * ```
 */
export class HTTPDigest<const O extends boolean = false> extends HTTPBase<
  HTTPAuthorizationCredentials,
  O
> {
  protected readonly httpScheme = 'digest'

  constructor(options: SchemeOptions<O> = {}) {
    super(options, [])
    freezeIfExact(this, new.target, HTTPDigest)
  }

  extract(request: FastifyRequest): HTTPAuthorizationCredentials | undefined {
    const credentials = readAuthorization(request, 'digest', this)
    if (credentials === undefined) return undefined
    if (credentials === '') {
      throw new InvalidRequest({ description: 'The Digest credentials are empty', schemes: [this] })
    }
    return { scheme: 'Digest', credentials }
  }

  /** A bare `Digest` challenge, as FastAPI sends; issue nonces yourself if you implement RFC 7616. */
  challenge(): string {
    return formatChallenge('Digest')
  }
}
