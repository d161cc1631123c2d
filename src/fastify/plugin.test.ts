import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { Depends, Security, anyOf, dependency } from '../deps/index.js'
import { APIKeyHeader, HTTPBasic, InvalidToken, OAuth2PasswordBearer } from '../security/index.js'
import { gatehouse } from './plugin.js'

const oauth2 = new OAuth2PasswordBearer({
  tokenUrl: 'token',
  scopes: {
    read: 'Read',
    write: { description: 'Write', implies: ['read'] },
    admin: { description: 'Admin', implies: ['write'] },
  },
})
const apiKey = new APIKeyHeader({ name: 'x-api-key' })
const basic = new HTTPBasic()

/** Tokens are "<username>.<scope>.<scope>..." (token68 syntax); "bad" is an invalid token. */
const currentUser = dependency({ token: oauth2 }, async ({ token }, { securityScopes }) => {
  if (token === 'bad') throw new InvalidToken()
  const [username = '', ...scopes] = token.split('.')
  securityScopes.require(scopes)
  return { username, scope: scopes.join(' ') }
})

async function build(setup: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(gatehouse)
  setup(app)
  await app.ready()
  return app
}

const NOT_AUTHENTICATED = { error: 'unauthorized', error_description: 'Not authenticated' }
const INSUFFICIENT =
  'Bearer error="insufficient_scope", scope="admin", ' +
  'error_description="The request requires higher privileges than provided by the access token"'

describe('gatehouse plugin: resolving config.deps', () => {
  test('resolves request.deps before the handler: 200', async () => {
    const app = await build((app) => {
      app.get('/me', { config: { deps: { user: currentUser } } }, async (request) => request.deps)
    })
    const response = await app.inject({
      url: '/me',
      headers: { authorization: 'Bearer alice.read' },
    })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), { user: { username: 'alice', scope: 'read' } })
  })

  test('no credentials: 401, bare challenge, exact body, handler not run', async () => {
    let handled = 0
    const app = await build((app) => {
      app.get('/me', { config: { deps: { user: currentUser } } }, async () => ++handled)
    })
    const response = await app.inject('/me')
    assert.equal(response.statusCode, 401)
    assert.equal(response.headers['www-authenticate'], 'Bearer')
    assert.equal(response.headers['content-type'], 'application/json; charset=utf-8')
    assert.deepEqual(response.json(), NOT_AUTHENTICATED)
    assert.equal(handled, 0)
  })

  test('an invalid token thrown by a dependency: 401 invalid_token challenge', async () => {
    const app = await build((app) => {
      app.get('/me', { config: { deps: { user: currentUser } } }, async () => 'ran')
    })
    const response = await app.inject({ url: '/me', headers: { authorization: 'Bearer bad' } })
    assert.equal(response.statusCode, 401)
    assert.equal(
      response.headers['www-authenticate'],
      'Bearer error="invalid_token", error_description="The access token is invalid"',
    )
    assert.deepEqual(response.json(), {
      error: 'invalid_token',
      error_description: 'The access token is invalid',
    })
  })

  test('Security(dep, scopes) with too few scopes: 403 insufficient_scope naming them', async () => {
    let handled = 0
    const app = await build((app) => {
      app.get(
        '/admin/',
        { config: { deps: { user: Security(currentUser, ['admin']) } } },
        async () => ++handled,
      )
    })
    const response = await app.inject({
      url: '/admin/',
      headers: { authorization: 'Bearer bob.read.write' },
    })
    assert.equal(response.statusCode, 403)
    assert.equal(response.headers['www-authenticate'], INSUFFICIENT)
    assert.deepEqual(response.json(), {
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token',
    })
    assert.equal(handled, 0)
    const ok = await app.inject({ url: '/admin/', headers: { authorization: 'Bearer root.admin' } })
    assert.equal(ok.statusCode, 200)
  })

  test('scope implication comes from the scheme registry: admin grants read', async () => {
    const app = await build((app) => {
      app.get(
        '/read',
        { config: { deps: { user: Security(currentUser, ['read']) } } },
        async () => 'ok',
      )
    })
    const response = await app.inject({
      url: '/read',
      headers: { authorization: 'Bearer root.admin' },
    })
    assert.equal(response.statusCode, 200)
    assert.equal(response.body, 'ok')
  })

  test('scopes accumulate over three levels; the innermost sees the union, in order', async () => {
    const seen: Record<string, readonly string[]> = {}
    const inner = dependency({ token: oauth2 }, (_values, { securityScopes }) => {
      seen.inner = securityScopes.scopes
      return 'inner'
    })
    const middle = dependency(
      { inner: Security(inner, ['read']) },
      ({ inner }, { securityScopes }) => {
        seen.middle = securityScopes.scopes
        return inner
      },
    )
    const outer = dependency(
      { middle: Security(middle, ['write']) },
      ({ middle }, { securityScopes }) => {
        seen.outer = securityScopes.scopes
        return middle
      },
    )
    const app = await build((app) => {
      app.get(
        '/deep',
        { config: { deps: { v: Security(outer, ['admin']) } } },
        async (request) => request.deps.v,
      )
    })
    const response = await app.inject({ url: '/deep', headers: { authorization: 'Bearer t' } })
    assert.equal(response.body, 'inner')
    assert.deepEqual(seen, {
      outer: ['admin'],
      middle: ['admin', 'write'],
      inner: ['admin', 'write', 'read'],
    })
  })

  test('a dependency shared by several others runs once per request', async () => {
    let calls = 0
    const counted = dependency({ user: currentUser }, ({ user }) => {
      calls++
      return user.username
    })
    const a = dependency({ counted }, ({ counted }) => `a:${counted}`)
    const b = dependency({ counted }, ({ counted }) => `b:${counted}`)
    const fresh = dependency({ again: Depends(counted, { useCache: false }) }, ({ again }) => again)
    const app = await build((app) => {
      app.get('/shared', { config: { deps: { a, b, counted } } }, async (request) => request.deps)
      app.get('/fresh', { config: { deps: { counted, fresh } } }, async (request) => request.deps)
    })
    const headers = { authorization: 'Bearer carol.read' }
    const shared = await app.inject({ url: '/shared', headers })
    assert.deepEqual(shared.json(), { a: 'a:carol', b: 'b:carol', counted: 'carol' })
    assert.equal(calls, 1)
    await app.inject({ url: '/shared', headers })
    assert.equal(calls, 2)
    const freshResponse = await app.inject({ url: '/fresh', headers })
    assert.deepEqual(freshResponse.json(), { counted: 'carol', fresh: 'carol' })
    assert.equal(calls, 4, 'useCache: false runs it again in the same request')
  })

  test('sync dependencies and schemes resolve without the handler seeing a Promise', async () => {
    const upper = dependency({ key: apiKey }, ({ key }) => key.toUpperCase())
    const app = await build((app) => {
      app.get('/key', { config: { deps: { upper } } }, async (request) => request.deps.upper)
    })
    const response = await app.inject({ url: '/key', headers: { 'x-api-key': 'abc' } })
    assert.equal(response.body, 'ABC')
  })

  test('other errors thrown in dependencies become responses; unexpected ones a bare 500', async () => {
    const boom = dependency(() => {
      throw new Error('database password is hunter2')
    })
    const app = await build((app) => {
      app.get('/boom', { config: { deps: { boom } } }, async () => 'ran')
    })
    const response = await app.inject('/boom')
    assert.equal(response.statusCode, 500)
    assert.deepEqual(response.json(), {
      error: 'server_error',
      error_description: 'Internal server error',
    })
  })

  test('routes without deps are untouched; the user route hooks still run after resolution', async () => {
    const order: string[] = []
    const app = await build((app) => {
      app.get('/open', async () => 'open')
      app.get(
        '/hooked',
        {
          config: { deps: { key: apiKey } },
          preValidation: async (request) => {
            order.push(`user hook sees ${String(request.deps.key)}`)
          },
        },
        async () => 'ok',
      )
    })
    assert.equal((await app.inject('/open')).body, 'open')
    await app.inject({ url: '/hooked', headers: { 'x-api-key': 'k' } })
    assert.deepEqual(order, ['user hook sees k'])
  })

  test('dependencies resolve before body validation: 401 beats 400', async () => {
    const app = await build((app) => {
      app.post(
        '/items',
        {
          config: { deps: { key: apiKey } },
          schema: { body: { type: 'object', required: ['name'] } },
        },
        async () => 'ok',
      )
    })
    const response = await app.inject({ method: 'POST', url: '/items', payload: {} })
    assert.equal(response.statusCode, 401)
    assert.equal(response.headers['www-authenticate'], 'APIKey')
  })
})

test('the HEAD route Fastify derives from a GET is protected too, resolving once', async () => {
  let calls = 0
  const counted = dependency({ key: apiKey }, ({ key }) => {
    calls++
    return key
  })
  const app = await build((app) => {
    app.get('/x', { config: { deps: { counted } } }, async (request) => request.deps)
  })
  const ok = await app.inject({ method: 'HEAD', url: '/x', headers: { 'x-api-key': 'k' } })
  assert.equal(ok.statusCode, 200)
  assert.equal(calls, 1)
  const rejected = await app.inject({ method: 'HEAD', url: '/x' })
  assert.equal(rejected.statusCode, 401)
  assert.equal(rejected.headers['www-authenticate'], 'APIKey')
})

describe('gatehouse plugin: alternatives', () => {
  const either = dependency({ who: anyOf(currentUser, apiKey) }, ({ who }) => who)

  test('OR with no credentials: 401 with one challenge per scheme', async () => {
    let handled = 0
    const app = await build((app) => {
      app.get('/either', { config: { deps: { who: either } } }, async () => ++handled)
    })
    const response = await app.inject('/either')
    assert.equal(response.statusCode, 401)
    assert.deepEqual(response.headers['www-authenticate'], ['Bearer', 'APIKey'])
    assert.deepEqual(response.json(), NOT_AUTHENTICATED)
    assert.equal(handled, 0)
  })

  test('OR: each alternative works alone; the first present one wins', async () => {
    const app = await build((app) => {
      app.get('/either', { config: { deps: { who: either } } }, async (request) => ({
        who: request.deps.who,
      }))
    })
    const byKey = await app.inject({ url: '/either', headers: { 'x-api-key': 'k1' } })
    assert.deepEqual(byKey.json(), { who: 'k1' })
    const byToken = await app.inject({
      url: '/either',
      headers: { authorization: 'Bearer dan.read' },
    })
    assert.deepEqual(byToken.json(), { who: { username: 'dan', scope: 'read' } })
    const both = await app.inject({
      url: '/either',
      headers: { authorization: 'Bearer dan.read', 'x-api-key': 'k1' },
    })
    assert.deepEqual(both.json(), { who: { username: 'dan', scope: 'read' } })
  })

  test('OR: a bad credential is an error, not a fallthrough', async () => {
    const app = await build((app) => {
      app.get('/either', { config: { deps: { who: either } } }, async () => 'ran')
    })
    const response = await app.inject({
      url: '/either',
      headers: { authorization: 'Bearer bad', 'x-api-key': 'k' },
    })
    assert.equal(response.statusCode, 401)
    assert.equal(
      response.headers['www-authenticate'],
      'Bearer error="invalid_token", error_description="The access token is invalid"',
    )
  })

  test('AND: every scheme is required; the missing one is challenged', async () => {
    const both = dependency(
      { key: apiKey, credentials: basic },
      ({ key, credentials }) => `${key}/${credentials.username}`,
    )
    const app = await build((app) => {
      app.get('/both', { config: { deps: { both } } }, async (request) => request.deps.both)
    })
    const onlyKey = await app.inject({ url: '/both', headers: { 'x-api-key': 'k' } })
    assert.equal(onlyKey.statusCode, 401)
    assert.equal(onlyKey.headers['www-authenticate'], 'Basic charset="UTF-8"')
    const onlyBasic = await app.inject({
      url: '/both',
      headers: { authorization: `Basic ${Buffer.from('ann:pw').toString('base64')}` },
    })
    assert.equal(onlyBasic.statusCode, 401)
    assert.equal(onlyBasic.headers['www-authenticate'], 'APIKey')
    const ok = await app.inject({
      url: '/both',
      headers: {
        'x-api-key': 'k',
        authorization: `Basic ${Buffer.from('ann:pw').toString('base64')}`,
      },
    })
    assert.equal(ok.statusCode, 200)
    assert.equal(ok.body, 'k/ann')
  })
})

describe('gatehouse plugin: options and decorator', () => {
  test('app.gatehouse exposes schemes, the registry and securitySchemes()', async () => {
    const app = await build((app) => {
      app.get('/me', { config: { deps: { user: currentUser, key: apiKey } } }, async () => 'ok')
    })
    assert.deepEqual([...app.gatehouse.schemes.keys()], ['OAuth2PasswordBearer', 'APIKeyHeader'])
    assert.deepEqual(app.gatehouse.scopes.names(), ['read', 'write', 'admin'])
    assert.deepEqual(Object.keys(app.gatehouse.securitySchemes()), [
      'OAuth2PasswordBearer',
      'APIKeyHeader',
    ])
  })

  test('validates options at registration', async () => {
    const cases: [unknown, string][] = [
      [{ errorHandler: 'yes' }, '`errorHandler` must be a boolean, got string'],
      [
        { securityLogLevel: 'loud' },
        '`securityLogLevel` must be one of trace, debug, info, warn, silent, got "loud"',
      ],
      [{ scope: {} }, 'Unknown gatehouse option `scope`'],
    ]
    for (const [options, message] of cases) {
      const app = Fastify()
      await assert.rejects(async () => app.register(gatehouse, options as never).ready(), {
        name: 'GatehouseConfigError',
        code: 'GH_ERR_CONFIG_INVALID',
        message,
      })
    }
  })

  test('errorHandler: false leaves the app error handler alone', async () => {
    const app = Fastify()
    await app.register(gatehouse, { errorHandler: false })
    app.get('/k', { config: { deps: { key: apiKey } } }, async () => 'ok')
    const response = await app.inject('/k')
    assert.equal(response.statusCode, 401)
    // Fastify's default handler: the error's own headers, Fastify's body shape.
    assert.equal(response.headers['www-authenticate'], 'APIKey')
    assert.equal(response.json().code, 'GH_ERR_AUTH_MISSING')
  })
})
