import assert from 'node:assert/strict'
import { test } from 'node:test'
import Fastify from 'fastify'
import { Security, dependency } from '../deps/index.js'
import { OAuth2PasswordBearer } from '../security/index.js'
import { gatehouse } from './plugin.js'

const oauth2 = new OAuth2PasswordBearer({ tokenUrl: 'token', scopes: { admin: 'Admin' } })
const currentUser = dependency({ token: oauth2 }, async ({ token }) => ({
  username: `token:${token}`,
}))

async function build() {
  const app = Fastify()
  await app.register(gatehouse)
  app.get(
    '/admin/',
    { config: { deps: { user: Security(currentUser, ['admin']) } } },
    async (request) => ({
      hello: request.deps.user.username,
    }),
  )
  await app.ready()
  return app
}

test('app.gatehouse.overrides replaces a dependency without touching the route', async () => {
  const app = await build()
  app.gatehouse.overrides.set(currentUser, async () => ({ username: 'alice' }))
  const overridden = await app.inject('/admin/')
  assert.equal(overridden.statusCode, 200)
  assert.deepEqual(overridden.json(), { hello: 'alice' })

  app.gatehouse.overrides.delete(currentUser)
  const restored = await app.inject('/admin/')
  assert.equal(restored.statusCode, 401)
  assert.equal(restored.headers['www-authenticate'], 'Bearer')
})

test('overrides are per app instance', async () => {
  const first = await build()
  const second = await build()
  first.gatehouse.overrides.set(currentUser, () => ({ username: 'first' }))
  assert.equal((await first.inject('/admin/')).statusCode, 200)
  assert.equal((await second.inject('/admin/')).statusCode, 401)
  first.gatehouse.overrides.clear()
  assert.equal((await first.inject('/admin/')).statusCode, 401)
})

test('a replacement that rejects is challenged by the replaced dependency schemes', async () => {
  const app = await build()
  app.gatehouse.overrides.set(currentUser, ({ securityScopes }) => {
    securityScopes.require([])
    return { username: 'never' }
  })
  const response = await app.inject('/admin/')
  assert.equal(response.statusCode, 403)
  assert.equal(
    response.headers['www-authenticate'],
    'Bearer error="insufficient_scope", scope="admin", ' +
      'error_description="The request requires higher privileges than provided by the access token"',
  )
})
