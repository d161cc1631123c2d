import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import SwaggerParser from '@apidevtools/swagger-parser'
import swagger from '@fastify/swagger'
import Fastify from 'fastify'
import { Security, anyOf, anyScope, dependency } from '../deps/index.js'
import { APIKeyHeader, HTTPBasic, OAuth2PasswordBearer } from '../security/index.js'
import { documentRoute, gatehouseSwagger } from './openapi.js'
import { gatehouse } from './plugin.js'

const scopes = {
  read: 'Read access',
  write: { description: 'Write access', implies: ['read'] },
  admin: { description: 'Admin access', implies: ['write'] },
}
const oauth2 = new OAuth2PasswordBearer({ tokenUrl: 'token', scopes })
const apiKey = new APIKeyHeader({ name: 'x-api-key' })
const basic = new HTTPBasic()
const maybeKey = new APIKeyHeader({ name: 'x-maybe', optional: true, schemeName: 'MaybeKey' })
const currentUser = dependency({ token: oauth2 }, ({ token }) => token)

const ERROR_CONTENT = {
  'application/json': {
    schema: {
      type: 'object',
      properties: {
        error: { type: 'string', description: 'RFC 6749 §5.2 / RFC 6750 §3.1 error code' },
        error_description: { type: 'string', description: 'Human-readable detail' },
      },
      required: ['error', 'error_description'],
    },
  },
}

async function buildDocument() {
  const app = Fastify()
  await app.register(gatehouse, { scopes })
  await app.register(
    swagger,
    gatehouseSwagger(app, {
      openapi: { openapi: '3.1.0', info: { title: 'test', version: '1.0.0' } },
    }),
  )
  app.get(
    '/admin/',
    { config: { deps: { user: Security(currentUser, ['admin']) } } },
    async () => 'x',
  )
  app.get(
    '/either',
    { config: { deps: { who: anyOf(Security(currentUser, ['read']), apiKey) } } },
    async () => 'x',
  )
  app.get('/both', { config: { deps: { key: apiKey, credentials: basic } } }, async () => 'x')
  app.get(
    '/any-scope',
    { config: { deps: { user: Security(currentUser, anyScope('write', 'admin')) } } },
    async () => 'x',
  )
  app.get('/maybe', { config: { deps: { key: maybeKey } } }, async () => 'x')
  app.get(
    '/own',
    {
      config: { deps: { key: apiKey } },
      schema: {
        security: [{ APIKeyHeader: [] }, {}],
        response: { 401: { description: 'Mine', type: 'object' } },
      },
    },
    async () => 'x',
  )
  app.get('/open', async () => 'x')
  await app.ready()
  return app.swagger() as unknown as {
    paths: Record<string, { get: { security?: unknown; responses: Record<string, unknown> } }>
    components: { securitySchemes: unknown }
  }
}

describe('OpenAPI output through gatehouseSwagger()', () => {
  test('per-operation security: AND is one object, OR several, scopes accumulated', async () => {
    const document = await buildDocument()
    const security = Object.fromEntries(
      Object.entries(document.paths).map(([path, item]) => [path, item.get.security]),
    )
    assert.deepEqual(security, {
      '/admin/': [{ OAuth2PasswordBearer: ['admin'] }],
      '/either': [{ OAuth2PasswordBearer: ['read'] }, { APIKeyHeader: [] }],
      '/both': [{ APIKeyHeader: [], HTTPBasic: [] }],
      '/any-scope': [{ OAuth2PasswordBearer: ['write'] }, { OAuth2PasswordBearer: ['admin'] }],
      '/maybe': [{ MaybeKey: [] }, {}],
      '/own': [{ APIKeyHeader: [] }, {}],
      '/open': undefined,
    })
  })

  test('components.securitySchemes as FastAPI writes them, scope descriptions naming implication', async () => {
    const document = await buildDocument()
    assert.deepEqual(document.components.securitySchemes, {
      OAuth2PasswordBearer: {
        type: 'oauth2',
        flows: {
          password: {
            tokenUrl: 'token',
            scopes: {
              read: 'Read access',
              write: 'Write access (implies read)',
              admin: 'Admin access (implies write, read)',
            },
          },
        },
      },
      APIKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      HTTPBasic: { type: 'http', scheme: 'basic' },
      MaybeKey: { type: 'apiKey', in: 'header', name: 'x-maybe' },
    })
  })

  test('documents 400/401 (and 403 when scopes are required) with the error body schema', async () => {
    const document = await buildDocument()
    const admin = document.paths['/admin/']?.get.responses
    assert.deepEqual(admin, {
      200: { description: 'Default Response' },
      400: { description: 'Malformed credentials (`invalid_request`)', content: ERROR_CONTENT },
      401: {
        description: 'Missing or invalid credentials; see `WWW-Authenticate`',
        content: ERROR_CONTENT,
      },
      403: { description: 'Insufficient scope (`insufficient_scope`)', content: ERROR_CONTENT },
    })
    assert.deepEqual(Object.keys(document.paths['/both']?.get.responses ?? {}), [
      '200',
      '400',
      '401',
    ])
    assert.equal(
      (document.paths['/own']?.get.responses[401] as { description: string }).description,
      'Mine',
    )
    assert.deepEqual(Object.keys(document.paths['/open']?.get.responses ?? {}), ['200'])
  })

  test('the document is valid OpenAPI 3.1', async () => {
    const document = await buildDocument()
    await assert.doesNotReject(SwaggerParser.validate(structuredClone(document) as never))
  })

  test('composes with the app own transform and transformObject', async () => {
    const app = Fastify()
    await app.register(gatehouse)
    await app.register(
      swagger,
      gatehouseSwagger(app, {
        openapi: { openapi: '3.1.0', info: { title: 't', version: '1' } },
        transform: ({ schema, url }) => ({ schema, url: url.replace('/internal', '/public') }),
        transformObject: (input) => {
          const document = 'openapiObject' in input ? input.openapiObject : input.swaggerObject
          return Object.assign(document, { 'x-custom': true })
        },
      }),
    )
    app.get('/internal/key', { config: { deps: { key: apiKey } } }, async () => 'x')
    await app.ready()
    const document = app.swagger() as unknown as Record<string, unknown> & {
      paths: Record<string, unknown>
    }
    assert.equal(document['x-custom'], true)
    assert.deepEqual(Object.keys(document.paths), ['/public/key'])
    assert.deepEqual(
      (document as { components?: { securitySchemes?: unknown } }).components?.securitySchemes,
      {
        APIKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
    )
  })
})

test('documentRoute() leaves a schema alone when the plan uses no scheme', () => {
  const plan = { requirements: undefined, scopes: [] } as never
  assert.deepEqual(documentRoute({ body: { type: 'object' } }, plan), { body: { type: 'object' } })
})
