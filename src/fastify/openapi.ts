import type { FastifyInstance, FastifySchema } from 'fastify'
import type { ResolutionPlan } from '../deps/index.js'
import { planOfRoute } from './state.js'

/** JSON Schema of the error body, as documented for 400/401/403 responses. */
export const errorBodySchema = Object.freeze({
  type: 'object',
  properties: {
    error: { type: 'string', description: 'RFC 6749 §5.2 / RFC 6750 §3.1 error code' },
    error_description: { type: 'string', description: 'Human-readable detail' },
  },
  required: ['error', 'error_description'],
})

/** The argument @fastify/swagger passes to `transform`. */
export interface SwaggerTransformInput {
  readonly schema: FastifySchema | undefined
  readonly url: string
  readonly route: object
  readonly openapiObject: Partial<OpenAPIDocument>
}

/** What `transform` returns. */
export interface SwaggerTransformResult {
  readonly schema: FastifySchema | undefined
  readonly url: string
}

/** The parts of an OpenAPI document Gatehouse touches. */
export interface OpenAPIDocument {
  components?: { securitySchemes?: Record<string, unknown>; [key: string]: unknown }
  [key: string]: unknown
}

/** @fastify/swagger options Gatehouse composes with. */
export interface SwaggerOptionsLike {
  readonly transform?: (input: SwaggerTransformInput) => Partial<SwaggerTransformResult>
  readonly transformObject?: (input: { openapiObject: Partial<OpenAPIDocument> }) => unknown
  readonly [key: string]: unknown
}

/**
 * Adds Gatehouse's OpenAPI output to @fastify/swagger options: each route's `security` (the exact
 * OR-of-AND requirements its dependencies accept, with accumulated scopes), documented 400/401/403
 * error responses, and `components.securitySchemes` for every scheme in use. Your own `transform`
 * and `transformObject` run first; `security` or responses you wrote in a route schema are kept.
 *
 * @example
 * ```ts
 * await app.register(gatehouse, { scopes })
 * await app.register(swagger, gatehouseSwagger(app, { openapi: { openapi: '3.1.0', info } }))
 * ```
 */
export function gatehouseSwagger<Options extends SwaggerOptionsLike>(
  app: FastifyInstance,
  options: Options,
): Options & Required<Pick<SwaggerOptionsLike, 'transform' | 'transformObject'>> {
  const { transform, transformObject } = options
  return {
    ...options,
    transform(input: SwaggerTransformInput) {
      const result = transform?.(input) ?? {}
      addSecuritySchemes(app, input.openapiObject)
      const schema = result.schema ?? input.schema
      const plan = planOfRoute(input.route)
      return { schema: plan === undefined ? schema : documentRoute(schema, plan), url: result.url ?? input.url }
    },
    transformObject(input: { openapiObject: Partial<OpenAPIDocument> }) {
      const document = (transformObject?.(input) ?? input.openapiObject) as Partial<OpenAPIDocument>
      addSecuritySchemes(app, document)
      return document
    },
  }
}

/** Merges the app's schemes into `components.securitySchemes` (yours win on a name clash). */
function addSecuritySchemes(app: FastifyInstance, document: Partial<OpenAPIDocument>): void {
  const components = (document.components ??= {})
  components.securitySchemes = { ...app.gatehouse.securitySchemes(), ...components.securitySchemes }
}

/**
 * A route schema with the plan's security requirements and error responses added. Exported for
 * apps that build their document some other way.
 *
 * @example
 * ```ts
 * documentRoute(undefined, plan) // { security: [{ OAuth2PasswordBearer: ['admin'] }], response: {...} }
 * ```
 */
export function documentRoute(schema: FastifySchema | undefined, plan: ResolutionPlan): FastifySchema {
  const result: Record<string, unknown> = { ...schema }
  if (plan.requirements === undefined) return result
  result.security ??= plan.requirements.map((requirement) => ({ ...requirement }))
  const declared = result.response as object | undefined
  // @fastify/swagger documents `200: Default Response` only when a route declares no responses.
  const response: Record<string, unknown> = declared === undefined ? { 200: DEFAULT_RESPONSE } : { ...declared }
  response[400] ??= errorResponse('Malformed credentials (`invalid_request`)')
  response[401] ??= errorResponse('Missing or invalid credentials; see `WWW-Authenticate`')
  if (plan.scopes.length > 0) response[403] ??= errorResponse('Insufficient scope (`insufficient_scope`)')
  result.response = response
  return result
}

/** Swagger's own default, spelled as a schema (`type: 'null'` means no content). */
const DEFAULT_RESPONSE = Object.freeze({ description: 'Default Response', type: 'null' })

/** The `content` form, so @fastify/swagger keeps the description out of the body schema. */
function errorResponse(description: string): Record<string, unknown> {
  return { description, content: { 'application/json': { schema: errorBodySchema } } }
}
