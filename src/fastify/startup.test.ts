import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import Fastify from 'fastify'
import { Security, dependency, type Dependency } from '../deps/index.js'
import { APIKeyHeader, OAuth2PasswordBearer } from '../security/index.js'
import { gatehouse } from './plugin.js'

const oauth2 = new OAuth2PasswordBearer({
  tokenUrl: 'token',
  scopes: { read: 'Read', admin: 'Admin' },
})
const user = dependency({ token: oauth2 }, ({ token }) => token)

describe('startup checks (misuse fails at ready())', () => {
  test('an unknown scope fails naming route and scope: GH_ERR_SCOPE_UNKNOWN', async () => {
    const app = Fastify()
    await app.register(gatehouse)
    app.get('/admin/', { config: { deps: { user: Security(user, ['admn']) } } }, async () => 'x')
    await assert.rejects(async () => app.ready(), {
      name: 'GatehouseConfigError',
      code: 'GH_ERR_SCOPE_UNKNOWN',
      message:
        'Unknown scope "admn" in route GET /admin/. Did you mean "admin"? Registered scopes: read, admin.',
    })
  })

  test('the scopes option is the registry when given', async () => {
    const app = Fastify()
    await app.register(gatehouse, { scopes: { 'items:read': 'Read items' } })
    app.get('/r', { config: { deps: { user: Security(user, ['read']) } } }, async () => 'x')
    await assert.rejects(async () => app.ready(), {
      code: 'GH_ERR_SCOPE_UNKNOWN',
      message: 'Unknown scope "read" in route GET /r. Registered scopes: items:read.',
    })
    const ok = Fastify()
    await ok.register(gatehouse, { scopes: { 'items:read': 'Read items' } })
    ok.get('/r', { config: { deps: { user: Security(user, ['items:read']) } } }, async () => 'x')
    await assert.doesNotReject(async () => ok.ready())
  })

  test('two scheme instances with one schemeName fail: GH_ERR_SCHEME_NAME_CONFLICT', async () => {
    const app = Fastify()
    await app.register(gatehouse)
    const first = new APIKeyHeader({ name: 'x-a' })
    const second = new APIKeyHeader({ name: 'x-b' })
    app.get('/a', { config: { deps: { key: first } } }, async () => 'a')
    app.get('/b', { config: { deps: { key: second, again: first } } }, async () => 'b')
    await assert.rejects(async () => app.ready(), {
      name: 'GatehouseConfigError',
      code: 'GH_ERR_SCHEME_NAME_CONFLICT',
      message:
        'Two different security schemes are named "APIKeyHeader" (route GET /b); ' +
        'give one of them another `schemeName`, or reuse the same instance',
    })
  })

  test('a required and an optional instance of one scheme share its name', async () => {
    const app = Fastify()
    await app.register(gatehouse)
    const required = new APIKeyHeader({ name: 'x-key' })
    const optional = new APIKeyHeader({ name: 'x-key', optional: true })
    app.get('/a', { config: { deps: { key: required } } }, async () => 'a')
    app.get('/b', { config: { deps: { key: optional } } }, async (request) => ({
      anonymous: request.deps.key === undefined,
    }))
    await app.ready()
    assert.deepEqual(app.gatehouse.securitySchemes(), {
      APIKeyHeader: { type: 'apiKey', in: 'header', name: 'x-key' },
    })
    assert.equal((await app.inject('/a')).statusCode, 401)
    assert.deepEqual((await app.inject('/b')).json(), { anonymous: true })
  })

  test('the same scheme instance on many routes is fine', async () => {
    const app = Fastify()
    await app.register(gatehouse)
    app.get('/a', { config: { deps: { user } } }, async () => 'a')
    app.get('/b', { config: { deps: { token: oauth2 } } }, async () => 'b')
    await assert.doesNotReject(async () => app.ready())
  })

  test('a dependency cycle fails: GH_ERR_DEP_CYCLE', async () => {
    const app = Fastify()
    await app.register(gatehouse)
    const a: Dependency<number> = dependency(
      () => ({ b }),
      () => 1,
      { name: 'a' },
    )
    const b: Dependency<number> = dependency(
      () => ({ a }),
      () => 2,
      { name: 'b' },
    )
    app.route({
      method: ['GET', 'HEAD'],
      url: '/cycle',
      config: { deps: { a } },
      handler: async () => 'x',
    })
    await assert.rejects(async () => app.ready(), {
      code: 'GH_ERR_DEP_CYCLE',
      message: 'Dependency cycle in route GET,HEAD /cycle: a -> b -> a',
    })
  })

  test('a deps value that is not a declaration fails: GH_ERR_DEP_INVALID', async () => {
    const app = Fastify()
    await app.register(gatehouse)
    app.get('/bad', { config: { deps: { user: 'user' } as never } }, async () => 'x')
    await assert.rejects(async () => app.ready(), {
      code: 'GH_ERR_DEP_INVALID',
      message:
        'route GET /bad deps.user: expected a scheme, dependency(), Security(), Depends() or anyOf(), got string',
    })
  })
})
