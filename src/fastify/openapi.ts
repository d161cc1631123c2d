import type {
  FastifyDynamicSwaggerOptions,
  SwaggerTransform,
  SwaggerTransformObject,
} from '@fastify/swagger'
import type { FastifyInstance, FastifySchema } from 'fastify'
import type { ResolutionPlan } from '../deps/index.js'
import { planOfRoute } from './state.js'

/**
 * JSON Schema of the error body, as documented for 400/401/403 responses.
 *
 * @example
 * ```ts
 * app.post('/x', { schema: { response: { 409: errorBodySchema } } }, handler)
 * ```
 */
export const errorBodySchema = Object.freeze({
  type: 'object',
  properties: {
    error: { type: 'string', description: 'RFC 6749 §5.2 / RFC 6750 §3.1 error code' },
    error_description: { type: 'string', description: 'Human-readable detail' },
  },
  required: ['error', 'error_description'],
})

/** The @fastify/swagger options Gatehouse composes with (dynamic mode). */
export type SwaggerOptions = FastifyDynamicSwaggerOptions

type TransformInput = Parameters<SwaggerTransform>[0]
type TransformObjectInput = Parameters<SwaggerTransformObject>[0]
type Document = ReturnType<SwaggerTransformObject>

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
export function gatehouseSwagger(app: FastifyInstance, options: SwaggerOptions): SwaggerOptions {
  const { transform, transformObject } = options
  return {
    ...options,
    transform(input: TransformInput) {
      const result = transform?.(input) ?? { schema: input.schema, url: input.url }
      if ('openapiObject' in input) addSecuritySchemes(app, input.openapiObject)
      const plan = planOfRoute(input.route)
      return {
        schema: plan === undefined ? result.schema : documentRoute(result.schema, plan),
        url: result.url,
      }
    },
    transformObject(input: TransformObjectInput): Document {
      const document =
        transformObject?.(input) ??
        ('openapiObject' in input ? input.openapiObject : input.swaggerObject)
      addSecuritySchemes(app, document)
      return document
    },
  }
}

/** Merges the app's schemes into `components.securitySchemes` (yours win on a name clash). */
function addSecuritySchemes(app: FastifyInstance, document: Document): void {
  // Swagger 2.0 documents have no components; Gatehouse documents OpenAPI 3 only.
  if (!('openapi' in document)) return
  const target = document as { components?: { securitySchemes?: object } }
  const components = (target.components ??= {})
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
export function documentRoute(
  schema: FastifySchema | undefined,
  plan: ResolutionPlan,
): FastifySchema {
  const result: Record<string, unknown> = { ...schema }
  if (plan.requirements === undefined) return result
  result.security ??= plan.requirements.map((requirement) => ({ ...requirement }))
  const declared = result.response as object | undefined
  // @fastify/swagger documents `200: Default Response` only when a route declares no responses.
  const response: Record<string, unknown> =
    declared === undefined ? { 200: DEFAULT_RESPONSE } : { ...declared }
  response[400] ??= errorResponse('Malformed credentials (`invalid_request`)')
  response[401] ??= errorResponse('Missing or invalid credentials; see `WWW-Authenticate`')
  if (plan.scopes.length > 0)
    response[403] ??= errorResponse('Insufficient scope (`insufficient_scope`)')
  result.response = response
  return result
}

/** Swagger's own default, spelled as a schema (`type: 'null'` means no content). */
const DEFAULT_RESPONSE = Object.freeze({ description: 'Default Response', type: 'null' })

/** The `content` form, so @fastify/swagger keeps the description out of the body schema. */
function errorResponse(description: string): Record<string, unknown> {
  return { description, content: { 'application/json': { schema: errorBodySchema } } }
}
