/**
 * Everything that is not a happy path still answers JSON with a 4xx: unknown routes, rate limits,
 * and arbitrary token requests (property-tested: never a 5xx).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { buildTestApp, startTestServer, type TestApp, type TestServer } from '../helpers/server.js'

describe('unknown routes', () => {
  let server: TestServer
  before(async () => {
    server = await startTestServer()
  })
  after(() => server.close())

  for (const [method, path] of [
    ['GET', '/nope'],
    ['POST', '/secure-endpoint'],
    ['GET', '/token/extra'],
  ] as const) {
    it(`${method} ${path}: 404 not_found JSON`, async () => {
      const response = await fetch(`${server.url}${path}`, { method })
      assert.equal(response.status, 404)
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8')
      assert.deepEqual(await response.json(), {
        error: 'not_found',
        error_description: `Route ${method} ${path} not found`,
      })
    })
  }

  it('a 404 under /token is still no-store, like every token endpoint response', async () => {
    const response = await fetch(`${server.url}/token/`, { method: 'POST' })
    assert.equal(response.status, 404)
    assert.equal(response.headers.get('cache-control'), 'no-store')
    assert.equal(response.headers.get('pragma'), 'no-cache')
    assert.deepEqual(await response.json(), {
      error: 'not_found',
      error_description: 'Route POST /token/ not found',
    })
  })

  it('sets the helmet security headers on API responses', async () => {
    const response = await fetch(`${server.url}/healthz`)
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(response.headers.get('x-frame-options'), 'SAMEORIGIN')
    assert.equal(response.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP')
  })
})

describe('token rate limit (GATEHOUSE_TOKEN_RATE_LIMIT=3)', () => {
  let server: TestServer
  before(async () => {
    server = await startTestServer({ env: { GATEHOUSE_TOKEN_RATE_LIMIT: '3' } })
  })
  after(() => server.close())

  it('answers the 4th request for one username within a minute with 429 and Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal((await server.postToken('username=user1&password=wrong')).status, 400)
    }
    const limited = await server.postToken('username=user1&password=secret')
    assert.equal(limited.status, 429)
    assert.equal(limited.headers.get('retry-after'), '60')
    assert.equal(limited.headers.get('cache-control'), 'no-store')
    assert.deepEqual(await limited.json(), {
      error: 'too_many_requests',
      error_description: 'Too many token requests; retry in 60 seconds.',
    })
  })

  it('counts each username separately, so one attacked account does not lock out others', async () => {
    assert.equal((await server.postToken('username=editor&password=editor-secret')).status, 200)
  })

  it('counts the spellings of one username (NFC and NFD) together', async () => {
    await server.addUser('\u00e9lise', 'pw-elise', ['read'])
    for (let i = 0; i < 3; i++) {
      const response = await server.postToken(`username=%C3%A9lise&password=wrong${i}`)
      assert.equal(response.status, 400)
    }
    const decomposed = await server.postToken('username=e%CC%81lise&password=pw-elise')
    assert.equal(decomposed.status, 429)
    await decomposed.body?.cancel()
  })
})

describe('arbitrary token requests', () => {
  let built: TestApp
  before(async () => {
    built = await buildTestApp()
  })
  after(() => built.close())

  const contentTypes = fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=utf-8',
    'application/json',
    'text/plain',
    '',
    'multipart/form-data',
  )
  const parameter = fc.constantFrom(
    'username',
    'password',
    'grant_type',
    'scope',
    'client_id',
    'client_secret',
    'x',
  )
  const value = fc.oneof(
    fc.string(),
    fc.constantFrom('user1', 'secret', 'password', 'read admin', '%zz', '%00'),
  )
  const form = fc
    .array(fc.tuple(parameter, value), { maxLength: 8 })
    .map((pairs) => pairs.map(([name, v]) => `${name}=${encodeURIComponent(v)}`).join('&'))
  const body = fc.oneof(form, fc.string(), fc.constant('{"username":"user1"}'))
  const authorization = fc.option(
    fc.oneof(
      fc.string().map((s) => `Basic ${s}`),
      fc.string(),
      fc.constant('Basic Og=='),
    ),
    { nil: undefined },
  )

  it('never answer 5xx, always JSON with an error code or a token', async () => {
    await fc.assert(
      fc.asyncProperty(contentTypes, body, authorization, async (contentType, payload, auth) => {
        const headers: Record<string, string> = {}
        if (contentType !== '') headers['content-type'] = contentType
        if (auth !== undefined) headers.authorization = auth
        const response = await built.app.inject({ method: 'POST', url: '/token', headers, payload })
        assert.ok(response.statusCode < 500, `${response.statusCode} ${response.body}`)
        assert.equal(response.headers['cache-control'], 'no-store')
        const json = response.json() as Record<string, unknown>
        assert.ok(typeof json.error === 'string' || typeof json.access_token === 'string')
      }),
      { numRuns: 300 },
    )
  })
})
