import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { buildApp } from './library-app.js'

describe('examples/more-schemes', () => {
  test('API key in the query: right key 200; none 401 APIKey; wrong 401 invalid_credentials', async () => {
    const { app } = await buildApp()
    const ok = await app.inject('/feed?feed_key=demo-feed-key')
    assert.deepEqual([ok.statusCode, ok.json()], [200, { feed: [], for: 'feed-reader' }])
    const missing = await app.inject('/feed')
    assert.equal(missing.statusCode, 401)
    assert.equal(missing.headers['www-authenticate'], 'APIKey')
    const wrong = await app.inject('/feed?feed_key=nope')
    assert.deepEqual(
      [wrong.statusCode, wrong.json()],
      [401, { error: 'invalid_credentials', error_description: 'Unknown feed key' }],
    )
  })

  test('optional cookie: none is a guest, the right one a member, a wrong one a 401', async () => {
    const { app } = await buildApp()
    assert.deepEqual((await app.inject('/greeting')).json(), { hello: 'guest' })
    const member = await app.inject({
      url: '/greeting',
      headers: { cookie: 'session=demo-session' },
    })
    assert.deepEqual(member.json(), { hello: 'member' })
    const stale = await app.inject({ url: '/greeting', headers: { cookie: 'session=old' } })
    assert.deepEqual(
      [stale.statusCode, stale.json()],
      [401, { error: 'invalid_credentials', error_description: 'Stale session' }],
    )
  })

  test('HTTP Bearer: the right token 200; a wrong one 401 invalid_token', async () => {
    const { app } = await buildApp()
    const ok = await app.inject({
      method: 'POST',
      url: '/webhooks/ping',
      headers: { authorization: 'Bearer demo-webhook-token' },
    })
    assert.deepEqual([ok.statusCode, ok.json()], [200, { pong: 'webhook-sender' }])
    const wrong = await app.inject({
      method: 'POST',
      url: '/webhooks/ping',
      headers: { authorization: 'Bearer nope' },
    })
    assert.equal(wrong.statusCode, 401)
    assert.equal(
      wrong.headers['www-authenticate'],
      'Bearer error="invalid_token", error_description="The access token is invalid"',
    )
  })

  test('OpenID Connect: the token 200; none 401 Bearer', async () => {
    const { app } = await buildApp()
    const ok = await app.inject({
      url: '/oidc/me',
      headers: { authorization: 'Bearer demo-oidc-token' },
    })
    assert.deepEqual([ok.statusCode, ok.json()], [200, { sub: 'oidc-user' }])
    const missing = await app.inject('/oidc/me')
    assert.equal(missing.statusCode, 401)
    assert.equal(missing.headers['www-authenticate'], 'Bearer')
  })

  test('each scheme documents itself in components.securitySchemes', async () => {
    const { app } = await buildApp()
    const document = (await app.inject('/openapi.json')).json()
    const schemes = document.components.securitySchemes
    assert.deepEqual(schemes.APIKeyQuery, { type: 'apiKey', in: 'query', name: 'feed_key' })
    assert.deepEqual(schemes.APIKeyCookie, { type: 'apiKey', in: 'cookie', name: 'session' })
    assert.deepEqual(schemes.HTTPBearer, { type: 'http', scheme: 'bearer', bearerFormat: 'opaque' })
    assert.deepEqual(schemes.OpenIdConnect, {
      type: 'openIdConnect',
      openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration',
    })
    assert.deepEqual(document.paths['/greeting'].get.security, [{ APIKeyCookie: [] }, {}])
  })
})
