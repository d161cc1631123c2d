import type { FastifyRequest } from 'fastify'
import { NotAuthenticated } from './errors.js'
import { checkOptionObject, optionalBoolean, optionalString, schemeNameOption } from './options.js'
import type {
  ChallengeParams,
  SchemeValue,
  SecurityScheme,
  SecuritySchemeObject,
} from './scheme.js'

/**
 * Options every scheme accepts.
 *
 * @typeParam O - `true` when built with `optional: true`; types the resolved value `| undefined`.
 */
export interface SchemeOptions<O extends boolean = false> {
  /** Key under `components.securitySchemes`; defaults to the class name (FastAPI). */
  readonly schemeName?: string
  /** OpenAPI `description` of the scheme. */
  readonly description?: string
  /**
   * When true a missing credential resolves to `undefined` instead of a 401 (FastAPI's
   * `auto_error=False`). Malformed credentials are still rejected.
   */
  readonly optional?: O
}

const BASE_OPTIONS = ['schemeName', 'description', 'optional'] as const

/**
 * The short base of every scheme: validated common options. Each built-in scheme freezes its
 * instances, but only when constructed directly (see {@link freezeIfExact}), so applications can
 * still subclass a scheme, add fields and override `extract()` (a common FastAPI pattern).
 *
 * @example
 * ```ts
 * class SignedHeader extends SchemeBase<string, false> {
 *   readonly usesScopes = false
 *   constructor() { super({}, []) }
 *   openapi() { return { type: 'apiKey', in: 'header', name: 'X-Signature' } as const }
 *   extract(request: FastifyRequest) { return request.headers['x-signature'] as string | undefined }
 *   challenge() { return formatChallenge('Signature') }
 * }
 * ```
 */
export abstract class SchemeBase<Value, O extends boolean> implements SecurityScheme<Value, O> {
  readonly kind = 'security-scheme' as const
  readonly schemeName: string
  readonly optional: O
  readonly description: string | undefined
  abstract readonly usesScopes: boolean

  protected constructor(options: SchemeOptions<O>, extraOptions: readonly string[]) {
    const owner = new.target.name
    checkOptionObject(owner, options, [...BASE_OPTIONS, ...extraOptions])
    this.schemeName = schemeNameOption(owner, options.schemeName)
    this.description = optionalString(owner, 'description', options.description)
    // The runtime boolean is the type parameter's witness: O is inferred from this very option.
    this.optional = optionalBoolean(owner, 'optional', options.optional) as O
  }

  abstract openapi(): SecuritySchemeObject
  abstract extract(request: FastifyRequest): Value | undefined
  abstract challenge(params?: ChallengeParams): string

  /** Adds `description` to an OpenAPI object when one was configured. */
  protected withDescription<T extends SecuritySchemeObject>(object: T): T {
    return this.description === undefined ? object : { ...object, description: this.description }
  }
}

/**
 * Freezes `scheme` when `newTarget` is exactly `own` (the class being constructed), leaving
 * application subclasses free to initialise their own fields after `super()`.
 */
export function freezeIfExact(scheme: object, newTarget: unknown, own: unknown): void {
  if (newTarget === own) Object.freeze(scheme)
}

/**
 * Reads a scheme's credential the way FastAPI's `scheme.__call__` does: the value, `undefined`
 * for a missing credential of an optional scheme, or a 401 {@link NotAuthenticated} challenge.
 *
 * @throws {NotAuthenticated} when the credential is missing and the scheme is not optional.
 * @example
 * ```ts
 * app.get('/me', async (request) => {
 *   const token = resolveCredential(oauth2, request) // string
 *   return verify(token)
 * })
 * ```
 */
export function resolveCredential<S extends SecurityScheme>(
  scheme: S,
  request: FastifyRequest,
): SchemeValue<S> {
  const value = scheme.extract(request)
  if (value === undefined && !scheme.optional) throw new NotAuthenticated({ schemes: [scheme] })
  // extract() returns the scheme's Value | undefined; the check above makes it SchemeValue<S>.
  return value as SchemeValue<S>
}
