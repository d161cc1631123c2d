import type { FastifyRequest } from 'fastify'
import { readBearerToken } from './authorization.js'
import { freezeIfExact, SchemeBase, type SchemeOptions } from './base.js'
import { bearerChallenge } from './challenge.js'
import { optionalString, requiredString } from './options.js'
import type { ChallengeParams, SecuritySchemeObject } from './scheme.js'

/** Options of {@link OpenIdConnect}. */
export interface OpenIdConnectOptions<O extends boolean = false> extends SchemeOptions<O> {
  /** The OpenID Connect discovery document URL (`.../.well-known/openid-configuration`). */
  readonly openIdConnectUrl: string
  /** `realm` auth-param of the challenge. */
  readonly realm?: string
}

/**
 * Bearer tokens from an OpenID Connect provider, documented by its discovery URL (FastAPI's
 * `OpenIdConnect`). Yields the token string; requirements list scopes.
 *
 * @example
 * ```ts
 * const oidc = new OpenIdConnect({
 *   openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration',
 * })
 * ```
 */
export class OpenIdConnect<const O extends boolean = false> extends SchemeBase<string, O> {
  readonly usesScopes = true
  readonly openIdConnectUrl: string
  readonly realm: string | undefined

  constructor(options: OpenIdConnectOptions<O>) {
    super(options, ['openIdConnectUrl', 'realm'])
    const owner = new.target.name
    this.openIdConnectUrl = requiredString(owner, 'openIdConnectUrl', options.openIdConnectUrl)
    this.realm = optionalString(owner, 'realm', options.realm)
    freezeIfExact(this, new.target, OpenIdConnect)
  }

  openapi(): SecuritySchemeObject {
    return this.withDescription({ type: 'openIdConnect', openIdConnectUrl: this.openIdConnectUrl })
  }

  extract(request: FastifyRequest): string | undefined {
    return readBearerToken(request, this)
  }

  challenge(params?: ChallengeParams): string {
    return bearerChallenge(this.realm, params)
  }
}
