import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import SwaggerParser from '@apidevtools/swagger-parser'
import { buildApp } from './library-app.js'

const basicHeader = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('examples/library-app: API key', () => {
  test('a known key: 200; none: 401 APIKey; unknown: 401 invalid_credentials', async () => {
    const { app } = await buildApp()
    const ok = await app.inject({
      url: '/service/status',
      headers: { 'x-api-key': 'demo-billing-key' },
    })
    assert.deepEqual([ok.statusCode, ok.json()], [200, { service: 'billing', status: 'ok' }])
    const missing = await app.inject('/service/status')
    assert.equal(missing.statusCode, 401)
    assert.equal(missing.headers['www-authenticate'], 'APIKey')
    assert.deepEqual(missing.json(), {
      error: 'unauthorized',
      error_description: 'Not authenticated',
    })
    const wrong = await app.inject({ url: '/service/status', headers: { 'x-api-key': 'nope' } })
    assert.equal(wrong.statusCode, 401)
    assert.equal(wrong.headers['www-authenticate'], 'APIKey')
    assert.deepEqual(wrong.json(), {
      error: 'invalid_credentials',
      error_description: 'Unknown API key',
    })
  })
})

describe('examples/library-app: HTTP Basic', () => {
  test('right password: 200; wrong: 401 with the realm challenge', async () => {
    const { app } = await buildApp()
    const ok = await app.inject({
      url: '/reports/daily',
      headers: { authorization: basicHeader('auditor', 'correct horse battery staple') },
    })
    assert.deepEqual([ok.statusCode, ok.json()], [200, { report: 'daily', requestedBy: 'auditor' }])
    const wrong = await app.inject({
      url: '/reports/daily',
      headers: { authorization: basicHeader('auditor', 'x') },
    })
    assert.equal(wrong.statusCode, 401)
    assert.equal(wrong.headers['www-authenticate'], 'Basic realm="reports", charset="UTF-8"')
    assert.deepEqual(wrong.json(), {
      error: 'invalid_credentials',
      error_description: 'Incorrect username or password',
    })
  })
})

describe('examples/library-app: OAuth2 and scopes', () => {
  test('/users/me needs any valid token of an active user', async () => {
    const { app } = await buildApp()
    const me = await app.inject({ url: '/users/me', headers: bearer('reader-token') })
    assert.deepEqual(me.json(), { username: 'alice', fullName: 'Alice Reader' })
    const bad = await app.inject({ url: '/users/me', headers: bearer('forged') })
    assert.equal(bad.statusCode, 401)
    assert.equal(
      bad.headers['www-authenticate'],
      'Bearer error="invalid_token", error_description="The access token is invalid"',
    )
    const inactive = await app.inject({ url: '/users/me', headers: bearer('disabled-token') })
    assert.deepEqual(
      [inactive.statusCode, inactive.json()],
      [400, { error: 'invalid_request', error_description: 'Inactive user' }],
    )
  })

  test('admin implies items:write implies items:read', async () => {
    const { app } = await buildApp()
    for (const token of ['reader-token', 'writer-token', 'admin-token']) {
      assert.equal(
        (await app.inject({ url: '/items', headers: bearer(token) })).statusCode,
        200,
        token,
      )
    }
    const denied = await app.inject({ url: '/admin/', headers: bearer('writer-token') })
    assert.equal(denied.statusCode, 403)
    assert.equal(
      denied.headers['www-authenticate'],
      'Bearer error="insufficient_scope", scope="admin", ' +
        'error_description="The request requires higher privileges than provided by the access token"',
    )
    const admin = await app.inject({ url: '/admin/', headers: bearer('admin-token') })
    assert.deepEqual(admin.json(), { hello: 'carol' })
  })

  test('POST /items commits after the response, and rolls back when the handler fails', async () => {
    const { app, store } = await buildApp()
    const created = await app.inject({
      method: 'POST',
      url: '/items',
      headers: bearer('writer-token'),
      payload: { name: 'book' },
    })
    assert.deepEqual(
      [created.statusCode, created.json()],
      [201, { name: 'book', createdBy: 'bob' }],
    )
    const failed = await app.inject({
      method: 'POST',
      url: '/items',
      headers: bearer('writer-token'),
      payload: { name: 'fail' },
    })
    assert.equal(failed.statusCode, 500)
    const reader = await app.inject({
      method: 'POST',
      url: '/items',
      headers: bearer('reader-token'),
      payload: { name: 'x' },
    })
    assert.equal(reader.statusCode, 403)
    const list = await app.inject({ url: '/items', headers: bearer('reader-token') })
    assert.deepEqual(list.json(), { items: ['book'] })
    assert.deepEqual(store.items, ['book'])
  })
})

describe('examples/library-app: alternatives and docs', () => {
  test('/whoami takes a token or an API key; neither: both challenges', async () => {
    const { app } = await buildApp()
    assert.deepEqual(
      (await app.inject({ url: '/whoami', headers: bearer('reader-token') })).json(),
      { caller: 'user:alice' },
    )
    assert.deepEqual(
      (await app.inject({ url: '/whoami', headers: { 'x-api-key': 'demo-billing-key' } })).json(),
      { caller: 'service:billing' },
    )
    const none = await app.inject('/whoami')
    assert.equal(none.statusCode, 401)
    assert.deepEqual(none.headers['www-authenticate'], ['Bearer', 'APIKey'])
  })

  test('the OpenAPI document states each route requirement and validates', async () => {
    const { app } = await buildApp()
    const document = (await app.inject('/openapi.json')).json()
    const security = Object.fromEntries(
      Object.entries(
        document.paths as Record<string, Record<string, { security?: unknown }>>,
      ).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => [
          `${method.toUpperCase()} ${path}`,
          operation.security,
        ]),
      ),
    )
    assert.deepEqual(security, {
      'GET /service/status': [{ APIKeyHeader: [] }],
      'GET /reports/daily': [{ HTTPBasic: [] }],
      'GET /feed': [{ APIKeyQuery: [] }],
      'GET /greeting': [{ APIKeyCookie: [] }, {}],
      'POST /webhooks/ping': [{ HTTPBearer: [] }],
      'GET /oidc/me': [{ OpenIdConnect: [] }],
      'GET /users/me': [{ OAuth2PasswordBearer: [] }],
      'GET /items': [{ OAuth2PasswordBearer: ['items:read'] }],
      'POST /items': [{ OAuth2PasswordBearer: ['items:write'] }],
      'GET /admin/': [{ OAuth2PasswordBearer: ['admin'] }],
      'GET /whoami': [{ OAuth2PasswordBearer: ['items:read'] }, { APIKeyHeader: [] }],
    })
    await assert.doesNotReject(SwaggerParser.validate(document))
  })

  test('unknown routes: 404 not_found', async () => {
    const { app } = await buildApp()
    const response = await app.inject('/nope')
    assert.deepEqual(
      [response.statusCode, response.json()],
      [404, { error: 'not_found', error_description: 'Route GET /nope not found' }],
    )
  })
})
