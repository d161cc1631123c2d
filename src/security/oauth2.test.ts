import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GatehouseConfigError } from '../errors.js'
import { ScopeRegistry } from '../scopes/index.js'
import { OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer } from './oauth2.js'
import type { SchemeValue } from './scheme.js'
import { buildSchemeApp } from './test-support.js'

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const scopes = { read: 'Read access', write: 'Write access', admin: 'Admin access' }

describe('OAuth2PasswordBearer', () => {
  it('yields the bearer token; the handler runs once', async () => {
    const t = await buildSchemeApp(new OAuth2PasswordBearer({ tokenUrl: '/token' }))
    const res = await t.app.inject({ url: '/', headers: { authorization: 'Bearer abc.def.ghi' } })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { value: 'abc.def.ghi' })
    assert.equal(t.handled(), 1)
  })

  it('missing token: exact 401, challenge "Bearer", handler not run', async () => {
    const t = await buildSchemeApp(new OAuth2PasswordBearer({ tokenUrl: '/token' }))
    const res = await t.app.inject({ url: '/' })
    assert.equal(res.statusCode, 401)
    assert.equal(res.headers['www-authenticate'], 'Bearer')
    assert.deepEqual(res.json(), { error: 'unauthorized', error_description: 'Not authenticated' })
    assert.equal(t.handled(), 0)
  })

  it('optional: missing token resolves to undefined, a malformed one is still rejected', async () => {
    const t = await buildSchemeApp(new OAuth2PasswordBearer({ tokenUrl: '/token', optional: true }))
    assert.deepEqual((await t.app.inject({ url: '/' })).json(), { value: null })
    const bad = await t.app.inject({ url: '/', headers: { authorization: 'Bearer a"b' } })
    assert.equal(bad.statusCode, 401)
    assert.equal(
      bad.headers['www-authenticate'],
      'Bearer error="invalid_token", error_description="The access token is malformed"',
    )
  })

  it('openapi(): the password flow FastAPI documents', () => {
    assert.deepEqual(new OAuth2PasswordBearer({ tokenUrl: '/token' }).openapi(), {
      type: 'oauth2',
      flows: { password: { tokenUrl: '/token', scopes: {} } },
    })
    assert.deepEqual(
      new OAuth2PasswordBearer({
        tokenUrl: '/token',
        refreshUrl: '/token/refresh',
        scopes,
        description: 'Log in with your account',
      }).openapi(),
      {
        type: 'oauth2',
        flows: { password: { tokenUrl: '/token', refreshUrl: '/token/refresh', scopes } },
        description: 'Log in with your account',
      },
    )
  })

  it('openapi(): a ScopeRegistry documents implications', () => {
    const registry = new ScopeRegistry({
      read: 'Read access',
      admin: { description: 'Admin access', implies: ['read'] },
    })
    const scheme = new OAuth2PasswordBearer({ tokenUrl: '/token', scopes: registry })
    assert.equal(scheme.scopes, registry)
    assert.deepEqual(scheme.openapi(), {
      type: 'oauth2',
      flows: {
        password: {
          tokenUrl: '/token',
          scopes: { read: 'Read access', admin: 'Admin access (implies read)' },
        },
      },
    })
  })

  it('has FastAPI defaults: schemeName is the class name, scoped, not optional', () => {
    const scheme = new OAuth2PasswordBearer({ tokenUrl: '/token' })
    assert.equal(scheme.kind, 'security-scheme')
    assert.equal(scheme.schemeName, 'OAuth2PasswordBearer')
    assert.equal(scheme.usesScopes, true)
    assert.equal(scheme.optional, false)
    assert.equal(
      new OAuth2PasswordBearer({ tokenUrl: '/t', schemeName: 'users' }).schemeName,
      'users',
    )
  })

  it('types: optional: true makes the value string | undefined', () => {
    const required = new OAuth2PasswordBearer({ tokenUrl: '/token' })
    const optional = new OAuth2PasswordBearer({ tokenUrl: '/token', optional: true })
    const checks: [
      Equals<SchemeValue<typeof required>, string>,
      Equals<SchemeValue<typeof optional>, string | undefined>,
    ] = [true, true]
    assert.deepEqual(checks, [true, true])
  })

  it('validates options, naming the option and what was received', () => {
    const cases: [unknown, string, string][] = [
      [
        { tokenUrl: 42 },
        'GH_ERR_CONFIG_INVALID',
        'OAuth2PasswordBearer: `tokenUrl` must be a non-empty string, got number',
      ],
      [
        { tokenUrl: '' },
        'GH_ERR_CONFIG_INVALID',
        'OAuth2PasswordBearer: `tokenUrl` must be a non-empty string, got empty string',
      ],
      [
        { tokenURL: '/token' },
        'GH_ERR_CONFIG_INVALID',
        'OAuth2PasswordBearer: unknown option `tokenURL`; did you mean `tokenUrl`?',
      ],
      [
        { tokenUrl: '/t', optional: 'yes' },
        'GH_ERR_CONFIG_INVALID',
        'OAuth2PasswordBearer: `optional` must be a boolean, got string',
      ],
      [
        { tokenUrl: '/t', schemeName: 'a b' },
        'GH_ERR_CONFIG_INVALID',
        'OAuth2PasswordBearer: `schemeName` must match ^[a-zA-Z0-9.\\-_]+$ (an OpenAPI component key), got "a b"',
      ],
      [
        { tokenUrl: '/t', scopes: { 'bad scope': 'x' } },
        'GH_ERR_SCOPE_INVALID',
        'OAuth2PasswordBearer: invalid `scopes`: Scope name "bad scope" is not an RFC 6749 scope-token (visible ASCII except space, `"` and `\\`)',
      ],
      [null, 'GH_ERR_CONFIG_INVALID', 'OAuth2PasswordBearer: options must be an object, got null'],
    ]
    for (const [options, code, message] of cases) {
      assert.throws(
        () => new OAuth2PasswordBearer(options as never),
        (err: unknown) => {
          assert.ok(err instanceof GatehouseConfigError)
          assert.equal(err.code, code)
          assert.equal(err.message, message)
          return true
        },
      )
    }
  })

  it('is frozen when built directly; subclasses may add fields and override extract()', async () => {
    const scheme = new OAuth2PasswordBearer({ tokenUrl: '/token' })
    assert.equal(Object.isFrozen(scheme), true)
    assert.throws(() => Object.assign(scheme, { tokenUrl: '/other' }), TypeError)
    class CookieOrBearer extends OAuth2PasswordBearer {
      readonly fallback = 'from-cookie'
      override extract(request: Parameters<OAuth2PasswordBearer['extract']>[0]) {
        return super.extract(request) ?? this.fallback
      }
    }
    const sub = new CookieOrBearer({ tokenUrl: '/token' })
    assert.equal(Object.isFrozen(sub), false)
    const t = await buildSchemeApp(sub)
    assert.deepEqual((await t.app.inject({ url: '/' })).json(), { value: 'from-cookie' })
  })
})

describe('OAuth2AuthorizationCodeBearer', () => {
  const options = {
    authorizationUrl: 'https://id.example/authorize',
    tokenUrl: 'https://id.example/token',
  }

  it('yields the bearer token and challenges with the realm', async () => {
    const t = await buildSchemeApp(
      new OAuth2AuthorizationCodeBearer({ ...options, realm: 'example' }),
    )
    const ok = await t.app.inject({ url: '/', headers: { authorization: 'Bearer t0k3n' } })
    assert.deepEqual(ok.json(), { value: 't0k3n' })
    const missing = await t.app.inject({ url: '/' })
    assert.equal(missing.statusCode, 401)
    assert.equal(missing.headers['www-authenticate'], 'Bearer realm="example"')
  })

  it('openapi(): the authorizationCode flow', () => {
    assert.deepEqual(new OAuth2AuthorizationCodeBearer(options).openapi(), {
      type: 'oauth2',
      flows: { authorizationCode: { ...options, scopes: {} } },
    })
    assert.deepEqual(
      new OAuth2AuthorizationCodeBearer({ ...options, refreshUrl: '/refresh', scopes }).openapi(),
      {
        type: 'oauth2',
        flows: { authorizationCode: { ...options, refreshUrl: '/refresh', scopes } },
      },
    )
  })

  it('requires authorizationUrl', () => {
    assert.throws(() => new OAuth2AuthorizationCodeBearer({ tokenUrl: '/t' } as never), {
      message:
        'OAuth2AuthorizationCodeBearer: `authorizationUrl` must be a non-empty string, got undefined',
    })
  })
})
