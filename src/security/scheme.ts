import type { FastifyRequest } from 'fastify'

/** RFC 6750 §3 / RFC 7235 auth-params a challenge may carry. */
export interface ChallengeParams {
  /** `invalid_request`, `invalid_token` or `insufficient_scope`; absent when no credentials were sent (RFC 6750 §3.1). */
  readonly error?: string
  readonly errorDescription?: string
  /** Space-separated scopes the resource needs (with `insufficient_scope`). */
  readonly scope?: string
}

/** An OpenAPI 3.1 Security Scheme Object (`components.securitySchemes.<name>`). */
export type SecuritySchemeObject =
  | {
      readonly type: 'apiKey'
      readonly name: string
      readonly in: 'header' | 'query' | 'cookie'
      readonly description?: string
    }
  | {
      readonly type: 'http'
      readonly scheme: string
      readonly bearerFormat?: string
      readonly description?: string
    }
  | {
      readonly type: 'oauth2'
      readonly flows: Readonly<Record<string, OAuthFlowObject>>
      readonly description?: string
    }
  | {
      readonly type: 'openIdConnect'
      readonly openIdConnectUrl: string
      readonly description?: string
    }

/** An OpenAPI OAuth Flow Object. */
export interface OAuthFlowObject {
  readonly authorizationUrl?: string
  readonly tokenUrl?: string
  readonly refreshUrl?: string
  readonly scopes: Readonly<Record<string, string>>
}

/**
 * The contract every security scheme implements (FastAPI's `SecurityBase`): read a credential from
 * a request, describe itself in OpenAPI, and build its `WWW-Authenticate` challenge.
 *
 * `Value` is the credential type the scheme yields (a token string, Basic credentials, ...).
 * `Optional` is true for schemes built with `optional: true` (FastAPI's `auto_error=False`): their
 * resolved value is `Value | undefined` instead of a 401.
 */
export interface SecurityScheme<Value = unknown, Optional extends boolean = boolean> {
  /** Brand used by the deps layer to tell schemes from dependencies. */
  readonly kind: 'security-scheme'
  /** Key under `components.securitySchemes`; defaults to the class name, like FastAPI. */
  readonly schemeName: string
  /** True when a missing credential yields `undefined` instead of a 401. */
  readonly optional: Optional
  /** Whether OpenAPI requirements for this scheme list scopes (oauth2, openIdConnect). */
  readonly usesScopes: boolean
  /** The OpenAPI Security Scheme Object. */
  openapi(): SecuritySchemeObject
  /**
   * Reads the credential. Returns `undefined` when the request carries none for this scheme.
   * Throws a `GatehouseHTTPError` (401 with this scheme's challenge, or 400 `invalid_request`)
   * when a credential is present but malformed.
   */
  extract(request: FastifyRequest): Value | undefined
  /** The `WWW-Authenticate` value for this scheme (RFC 7235 §4.1); one per scheme. */
  challenge(params?: ChallengeParams): string
}

/** The value a scheme resolves to in a handler: `undefined` is possible only for optional schemes. */
export type SchemeValue<S> =
  S extends SecurityScheme<infer V, infer O> ? (O extends true ? V | undefined : V) : never
