import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import cookie from '@fastify/cookie'
import { APIKeyCookie, APIKeyHeader, APIKeyQuery, readCookie } from './api-key.js'
import type { SchemeValue, SecurityScheme } from './scheme.js'
import { buildSchemeApp } from './test-support.js'

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

const MISSING = {
  status: 401,
  challenge: 'APIKey',
  body: { error: 'unauthorized', error_description: 'Not authenticated' },
}

type Inject = {
  url?: string
  headers?: Record<string, string | string[]>
  cookies?: Record<string, string>
}

async function call(t: Awaited<ReturnType<typeof buildSchemeApp>>, request: Inject = {}) {
  const res = await t.app.inject({ method: 'GET', url: request.url ?? '/', ...request })
  return { status: res.statusCode, challenge: res.headers['www-authenticate'], body: res.json() }
}

describe('APIKeyHeader', () => {
  it('yields the key from the header, matched case-insensitively', async () => {
    const t = await buildSchemeApp(new APIKeyHeader({ name: 'X-API-Key' }))
    assert.deepEqual(await call(t, { headers: { 'x-api-key': 'k-123' } }), {
      status: 200,
      challenge: undefined,
      body: { value: 'k-123' },
    })
  })

  it('missing or empty: exact 401 "APIKey", handler not run', async () => {
    const t = await buildSchemeApp(new APIKeyHeader({ name: 'X-API-Key' }))
    assert.deepEqual(await call(t), MISSING)
    assert.deepEqual(await call(t, { headers: { 'x-api-key': '' } }), MISSING)
    assert.equal(t.handled(), 0)
  })

  it('optional: undefined when missing', async () => {
    const t = await buildSchemeApp(new APIKeyHeader({ name: 'X-API-Key', optional: true }))
    assert.deepEqual((await call(t)).body, { value: null })
  })

  it('openapi(): { type: apiKey, in: header, name } as configured', () => {
    assert.deepEqual(new APIKeyHeader({ name: 'X-API-Key' }).openapi(), {
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    })
    const scheme = new APIKeyHeader({
      name: 'X-API-Key',
      schemeName: 'apiKey',
      description: 'Keys',
    })
    assert.equal(scheme.schemeName, 'apiKey')
    assert.deepEqual(scheme.openapi(), {
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
      description: 'Keys',
    })
  })

  it('rejects a header name that is not a token', () => {
    assert.throws(() => new APIKeyHeader({ name: 'X API' }), {
      message: 'APIKeyHeader: `name` must be an RFC 7230 token, got "X API"',
    })
    assert.throws(() => new APIKeyHeader({ name: 1 as never }), {
      message: 'APIKeyHeader: `name` must be a non-empty string, got number',
    })
  })

  it('types: SecurityScheme<string, true> when optional', () => {
    const optional = new APIKeyHeader({ name: 'x', optional: true })
    const required = new APIKeyHeader({ name: 'x' })
    const checks: [
      Equals<SchemeValue<typeof optional>, string | undefined>,
      Equals<SchemeValue<typeof required>, string>,
      Equals<typeof optional.optional, true>,
    ] = [true, true, true]
    assert.deepEqual(checks, [true, true, true])
    const asContract: SecurityScheme<string, true> = optional
    assert.equal(asContract.optional, true)
  })
})

describe('APIKeyQuery', () => {
  it('yields the key from the query string', async () => {
    const t = await buildSchemeApp(new APIKeyQuery({ name: 'api_key' }))
    assert.deepEqual((await call(t, { url: '/?api_key=k%201' })).body, { value: 'k 1' })
  })

  it('missing or empty: 401 "APIKey"', async () => {
    const t = await buildSchemeApp(new APIKeyQuery({ name: 'api_key' }))
    assert.deepEqual(await call(t, { url: '/?other=1' }), MISSING)
    assert.deepEqual(await call(t, { url: '/?api_key=' }), MISSING)
  })

  it('repeated parameter: 400 invalid_request, handler not run', async () => {
    const t = await buildSchemeApp(new APIKeyQuery({ name: 'api_key' }))
    assert.deepEqual(await call(t, { url: '/?api_key=a&api_key=b' }), {
      status: 400,
      challenge: 'APIKey',
      body: {
        error: 'invalid_request',
        error_description: 'The api_key query parameter must appear once',
      },
    })
    assert.equal(t.handled(), 0)
  })

  it('never reads inherited properties: a key named constructor is missing, not a 400', async () => {
    const t = await buildSchemeApp(new APIKeyQuery({ name: 'constructor' }))
    assert.deepEqual(await call(t, { url: '/?x=1' }), MISSING)
    assert.deepEqual((await call(t, { url: '/?constructor=k' })).body, { value: 'k' })
  })

  it('openapi(): in: query', () => {
    assert.deepEqual(new APIKeyQuery({ name: 'api_key' }).openapi(), {
      type: 'apiKey',
      in: 'query',
      name: 'api_key',
    })
  })
})

describe('APIKeyCookie', () => {
  it('without @fastify/cookie: parses the Cookie header itself', async () => {
    const t = await buildSchemeApp(new APIKeyCookie({ name: 'session' }))
    assert.deepEqual((await call(t, { headers: { cookie: 'a=1; session=s%3D1; b=2' } })).body, {
      value: 's=1',
    })
    assert.deepEqual(await call(t, { headers: { cookie: 'xsession=1; sessionx=2' } }), MISSING)
    assert.deepEqual(await call(t), MISSING)
  })

  it('with @fastify/cookie: reads request.cookies', async () => {
    const t = await buildSchemeApp(new APIKeyCookie({ name: 'session' }), async (app) => {
      await app.register(cookie)
    })
    assert.deepEqual((await call(t, { cookies: { session: 'abc' } })).body, { value: 'abc' })
    assert.deepEqual(await call(t, { cookies: { session: '' } }), MISSING)
  })

  it('never reads inherited properties of request.cookies or headers', async () => {
    const withPlugin = await buildSchemeApp(
      new APIKeyCookie({ name: 'constructor' }),
      async (app) => {
        await app.register(cookie)
      },
    )
    assert.deepEqual(await call(withPlugin, { cookies: { a: '1' } }), MISSING)
    const header = await buildSchemeApp(new APIKeyHeader({ name: 'constructor' }))
    assert.deepEqual(await call(header), MISSING)
  })

  it('optional: undefined when missing', async () => {
    const t = await buildSchemeApp(new APIKeyCookie({ name: 'session', optional: true }))
    assert.deepEqual((await call(t)).body, { value: null })
  })

  it('openapi(): in: cookie', () => {
    assert.deepEqual(new APIKeyCookie({ name: 'session' }).openapi(), {
      type: 'apiKey',
      in: 'cookie',
      name: 'session',
    })
  })
})

describe('readCookie', () => {
  it('finds a cookie by exact name, strips quotes, decodes percent-escapes', () => {
    assert.equal(readCookie('a=1;b=2', 'b'), '2')
    assert.equal(readCookie('a=1;  b = 2', 'b'), undefined)
    assert.equal(readCookie('k="quoted"', 'k'), 'quoted')
    assert.equal(readCookie('k=%E2%9C%93', 'k'), '✓')
    assert.equal(readCookie('k=%E2%9C', 'k'), '%E2%9C')
    assert.equal(readCookie('k=', 'k'), '')
    assert.equal(readCookie('', 'k'), undefined)
    assert.equal(readCookie('k', 'k'), undefined)
  })
})
