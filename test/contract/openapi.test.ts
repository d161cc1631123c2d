/**
 * The OpenAPI 3.1 document and Swagger UI, over real HTTP: the password-flow scheme, per-operation
 * security with the scopes each route needs, documented 401/403, the documented token endpoint,
 * and a document a validator accepts.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import SwaggerParser from '@apidevtools/swagger-parser'
import { startTestServer, type TestServer } from '../helpers/server.js'

type Operation = {
  security?: unknown
  responses: Record<string, { description: string }>
  requestBody?: { content: Record<string, { schema: { required?: string[] } }> }
}
type Document = {
  openapi: string
  components: { securitySchemes: unknown }
  paths: Record<string, Record<string, Operation>>
}

let server: TestServer
let document: Document
before(async () => {
  server = await startTestServer()
  document = (await (await fetch(`${server.url}/openapi.json`)).json()) as Document
})
after(() => server.close())

const operation = (path: string, method = 'get'): Operation => {
  const found = document.paths[path]?.[method]
  assert.ok(found, `${method.toUpperCase()} ${path} is documented`)
  return found
}

describe('GET /openapi.json', () => {
  it('is OpenAPI 3.1 and passes the validator', async () => {
    assert.equal(document.openapi, '3.1.0')
    await SwaggerParser.validate(structuredClone(document) as never)
  })

  it('declares the OAuth2 password flow with tokenUrl and the three scopes', () => {
    assert.deepEqual(document.components.securitySchemes, {
      OAuth2PasswordBearer: {
        type: 'oauth2',
        flows: {
          password: {
            tokenUrl: '/token',
            scopes: {
              read: 'Read access',
              write: 'Write access (implies read)',
              admin: 'Admin access (implies write, read)',
            },
          },
        },
      },
    })
  })

  it('puts the scopes each route needs in its security requirement', () => {
    assert.deepEqual(operation('/secure-endpoint').security, [{ OAuth2PasswordBearer: ['read'] }])
    assert.deepEqual(operation('/admin/').security, [{ OAuth2PasswordBearer: ['admin'] }])
    assert.deepEqual(operation('/admin').security, [{ OAuth2PasswordBearer: ['admin'] }])
    assert.deepEqual(operation('/users/me').security, [{ OAuth2PasswordBearer: [] }])
  })

  it('leaves the public operations without security', () => {
    assert.equal(operation('/token', 'post').security, undefined)
    assert.equal(operation('/healthz').security, undefined)
  })

  it('documents 401 on every protected route and 403 where scopes are required', () => {
    for (const path of ['/secure-endpoint', '/admin/', '/admin']) {
      const { responses } = operation(path)
      assert.deepEqual(Object.keys(responses).sort(), ['200', '400', '401', '403'], path)
      assert.equal(
        responses['401']?.description,
        'Missing or invalid credentials; see `WWW-Authenticate`',
      )
      assert.equal(responses['403']?.description, 'Insufficient scope (`insufficient_scope`)')
    }
    assert.deepEqual(Object.keys(operation('/users/me').responses).sort(), ['200', '400', '401'])
  })

  it('documents POST /token: form body with username and password, 200/400/401', () => {
    const token = operation('/token', 'post')
    assert.deepEqual(Object.keys(token.requestBody?.content ?? {}), [
      'application/x-www-form-urlencoded',
    ])
    assert.deepEqual(
      token.requestBody?.content['application/x-www-form-urlencoded']?.schema.required,
      ['username', 'password'],
    )
    assert.deepEqual(Object.keys(token.responses).sort(), ['200', '400', '401', '413', '429', '503'])
  })

  it('hides the 405 routes and /openapi.json itself', () => {
    assert.deepEqual(Object.keys(document.paths['/token'] ?? {}), ['post'])
    assert.equal(document.paths['/openapi.json'], undefined)
  })
})

describe('GET /docs', () => {
  it('serves Swagger UI from the package, not a CDN, under a CSP that allows it', async () => {
    const response = await fetch(`${server.url}/docs/static/index.html`)
    assert.equal(response.status, 200)
    const html = await response.text()
    assert.match(html, /swagger-ui-bundle\.js/)
    assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)/)
    // Scripts only from this server; inline style attributes (Swagger UI sets some) allowed; no
    // upgrade-insecure-requests over plain HTTP.
    assert.equal(
      response.headers.get('content-security-policy'),
      "default-src 'self'; base-uri 'self'; font-src 'self' https: data:; frame-ancestors 'self'; " +
        "img-src 'self' data: validator.swagger.io; object-src 'none'; script-src 'self' ; " +
        "script-src-attr 'none'; style-src 'self' 'unsafe-inline';",
    )
    const bundle = await fetch(`${server.url}/docs/static/swagger-ui-bundle.js`)
    assert.equal(bundle.status, 200)
    assert.match(await bundle.text(), /SwaggerUIBundle/)
  })

  it('points Swagger UI at the document with the password flow', async () => {
    const spec = await fetch(`${server.url}/docs/json`)
    assert.equal(spec.status, 200)
    assert.deepEqual(
      ((await spec.json()) as Document).components.securitySchemes,
      document.components.securitySchemes,
    )
  })
})
