import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { OpenIdConnect } from './open-id-connect.js'
import { buildSchemeApp } from './test-support.js'

const openIdConnectUrl = 'https://id.example.com/.well-known/openid-configuration'

describe('OpenIdConnect', () => {
  it('yields the bearer token', async () => {
    const t = await buildSchemeApp(new OpenIdConnect({ openIdConnectUrl }))
    const res = await t.app.inject({ url: '/', headers: { authorization: 'Bearer id-token' } })
    assert.deepEqual(res.json(), { value: 'id-token' })
  })

  it('missing: exact 401 Bearer challenge with realm; malformed: invalid_token', async () => {
    const t = await buildSchemeApp(new OpenIdConnect({ openIdConnectUrl, realm: 'id' }))
    const missing = await t.app.inject({ url: '/' })
    assert.equal(missing.statusCode, 401)
    assert.equal(missing.headers['www-authenticate'], 'Bearer realm="id"')
    assert.deepEqual(missing.json(), {
      error: 'unauthorized',
      error_description: 'Not authenticated',
    })
    const bad = await t.app.inject({ url: '/', headers: { authorization: 'Bearer x y' } })
    assert.equal(bad.statusCode, 401)
    assert.equal(
      bad.headers['www-authenticate'],
      'Bearer realm="id", error="invalid_token", error_description="The access token is malformed"',
    )
    assert.equal(t.handled(), 0)
  })

  it('optional: undefined when missing', async () => {
    const t = await buildSchemeApp(new OpenIdConnect({ openIdConnectUrl, optional: true }))
    assert.deepEqual((await t.app.inject({ url: '/' })).json(), { value: null })
  })

  it('openapi(): { type: openIdConnect, openIdConnectUrl }; scoped', () => {
    const scheme = new OpenIdConnect({ openIdConnectUrl })
    assert.deepEqual(scheme.openapi(), { type: 'openIdConnect', openIdConnectUrl })
    assert.equal(scheme.usesScopes, true)
    assert.equal(scheme.schemeName, 'OpenIdConnect')
  })

  it('requires openIdConnectUrl', () => {
    assert.throws(() => new OpenIdConnect({ openIdConnectUrl: '' }), {
      message: 'OpenIdConnect: `openIdConnectUrl` must be a non-empty string, got empty string',
    })
  })
})
