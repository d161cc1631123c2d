/**
 * OAuth2 bearer schemes (FastAPI's `fastapi.security.oauth2`): the token comes from
 * `Authorization: Bearer` (RFC 6750 §2.1); OpenAPI documents the flow that issues it.
 */
import type { FastifyRequest } from 'fastify'
import { GatehouseConfigError } from '../errors.js'
import { ScopeRegistry, type ScopeDefinitions } from '../scopes/index.js'
import { readBearerToken } from './authorization.js'
import { freezeIfExact, SchemeBase, type SchemeOptions } from './base.js'
import { bearerChallenge } from './challenge.js'
import { optionalString, requiredString } from './options.js'
import type { ChallengeParams, OAuthFlowObject, SecuritySchemeObject } from './scheme.js'

/** Options shared by the OAuth2 bearer schemes. */
export interface OAuth2BearerOptions<O extends boolean = false> extends SchemeOptions<O> {
  /** The scopes the flow can grant: a `{ name: description }` record or a `ScopeRegistry`. */
  readonly scopes?: ScopeRegistry | ScopeDefinitions
  /** Where refresh tokens are exchanged (OpenAPI `refreshUrl`). */
  readonly refreshUrl?: string
  /** `realm` auth-param of the challenge. */
  readonly realm?: string
}

const SHARED_OPTIONS = ['scopes', 'refreshUrl', 'realm']

function scopesOption(
  owner: string,
  scopes: OAuth2BearerOptions<boolean>['scopes'],
): ScopeRegistry {
  try {
    return ScopeRegistry.from(scopes)
  } catch (cause) {
    // Keep the registry's GH_ERR_SCOPE_* code; only add which scheme was being built.
    if (!(cause instanceof GatehouseConfigError)) throw cause
    throw new GatehouseConfigError(`${owner}: invalid \`scopes\`: ${cause.message}`, {
      cause,
      code: cause.code,
    })
  }
}

/** Short base: bearer extraction and challenge; subclasses describe their flow. */
abstract class OAuth2Bearer<O extends boolean> extends SchemeBase<string, O> {
  readonly usesScopes = true
  /** The scopes documented for the flow (and checked by routes at `ready()`). */
  readonly scopes: ScopeRegistry
  readonly refreshUrl: string | undefined
  readonly realm: string | undefined

  protected constructor(options: OAuth2BearerOptions<O>, extraOptions: readonly string[]) {
    super(options, [...SHARED_OPTIONS, ...extraOptions])
    const owner = new.target.name
    this.scopes = scopesOption(owner, options.scopes)
    this.refreshUrl = optionalString(owner, 'refreshUrl', options.refreshUrl)
    this.realm = optionalString(owner, 'realm', options.realm)
  }

  /** The OAuth Flows Object entries, for example `{ password: { tokenUrl, scopes } }`. */
  protected abstract flows(): Record<string, OAuthFlowObject>

  openapi(): SecuritySchemeObject {
    return this.withDescription({ type: 'oauth2', flows: this.flows() })
  }

  extract(request: FastifyRequest): string | undefined {
    return readBearerToken(request, this)
  }

  challenge(params?: ChallengeParams): string {
    return bearerChallenge(this.realm, params)
  }

  /** A flow object with `refreshUrl` only when configured. */
  protected flow(urls: { authorizationUrl?: string; tokenUrl: string }): OAuthFlowObject {
    const scopes = this.scopes.toOpenAPIScopes()
    const flow = { ...urls, scopes }
    return this.refreshUrl === undefined ? flow : { ...flow, refreshUrl: this.refreshUrl }
  }
}

/** Options of {@link OAuth2PasswordBearer}. */
export interface OAuth2PasswordBearerOptions<
  O extends boolean = false,
> extends OAuth2BearerOptions<O> {
  /** The token endpoint of the password flow (RFC 6749 §4.3), relative or absolute. */
  readonly tokenUrl: string
}

/**
 * Bearer tokens issued by the resource owner password flow (RFC 6749 §4.3), FastAPI's
 * `OAuth2PasswordBearer`. Yields the token string; Swagger UI's Authorize dialog posts to `tokenUrl`.
 *
 * @example
 * ```ts
 * const oauth2 = new OAuth2PasswordBearer({
 *   tokenUrl: '/token',
 *   scopes: { read: 'Read access', write: 'Write access', admin: 'Admin access' },
 * })
 * oauth2.openapi() // { type: 'oauth2', flows: { password: { tokenUrl: '/token', scopes: {...} } } }
 * ```
 */
export class OAuth2PasswordBearer<const O extends boolean = false> extends OAuth2Bearer<O> {
  readonly tokenUrl: string

  constructor(options: OAuth2PasswordBearerOptions<O>) {
    super(options, ['tokenUrl'])
    this.tokenUrl = requiredString(new.target.name, 'tokenUrl', options.tokenUrl)
    freezeIfExact(this, new.target, OAuth2PasswordBearer)
  }

  protected flows(): Record<string, OAuthFlowObject> {
    return { password: this.flow({ tokenUrl: this.tokenUrl }) }
  }
}

/** Options of {@link OAuth2AuthorizationCodeBearer}. */
export interface OAuth2AuthorizationCodeBearerOptions<
  O extends boolean = false,
> extends OAuth2BearerOptions<O> {
  /** The authorization endpoint (RFC 6749 §3.1). */
  readonly authorizationUrl: string
  /** The token endpoint (RFC 6749 §3.2). */
  readonly tokenUrl: string
}

/**
 * Bearer tokens issued by the authorization code flow (RFC 6749 §4.1), FastAPI's
 * `OAuth2AuthorizationCodeBearer`. Yields the token string.
 *
 * @example
 * ```ts
 * const oauth2 = new OAuth2AuthorizationCodeBearer({
 *   authorizationUrl: 'https://id.example.com/authorize',
 *   tokenUrl: 'https://id.example.com/token',
 * })
 * ```
 */
export class OAuth2AuthorizationCodeBearer<
  const O extends boolean = false,
> extends OAuth2Bearer<O> {
  readonly authorizationUrl: string
  readonly tokenUrl: string

  constructor(options: OAuth2AuthorizationCodeBearerOptions<O>) {
    super(options, ['authorizationUrl', 'tokenUrl'])
    const owner = new.target.name
    this.authorizationUrl = requiredString(owner, 'authorizationUrl', options.authorizationUrl)
    this.tokenUrl = requiredString(owner, 'tokenUrl', options.tokenUrl)
    freezeIfExact(this, new.target, OAuth2AuthorizationCodeBearer)
  }

  protected flows(): Record<string, OAuthFlowObject> {
    const urls = { authorizationUrl: this.authorizationUrl, tokenUrl: this.tokenUrl }
    return { authorizationCode: this.flow(urls) }
  }
}
