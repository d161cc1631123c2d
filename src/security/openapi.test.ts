import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import SwaggerParser from '@apidevtools/swagger-parser'
import { ScopeRegistry } from '../scopes/index.js'
import { APIKeyCookie, APIKeyHeader, APIKeyQuery } from './api-key.js'
import { HTTPBasic, HTTPBearer, HTTPDigest } from './http.js'
import { OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer } from './oauth2.js'
import { OpenIdConnect } from './open-id-connect.js'
import type { SecurityScheme } from './scheme.js'

const scopes = new ScopeRegistry({
  read: 'Read access',
  write: { description: 'Write access', implies: ['read'] },
  admin: { description: 'Admin access', implies: ['write'] },
})

const schemes: SecurityScheme[] = [
  new OAuth2PasswordBearer({ tokenUrl: '/token', refreshUrl: '/token', scopes }),
  new OAuth2AuthorizationCodeBearer({
    authorizationUrl: 'https://id.example/authorize',
    tokenUrl: 'https://id.example/token',
    scopes: { openid: 'OpenID' },
  }),
  new OpenIdConnect({ openIdConnectUrl: 'https://id.example/.well-known/openid-configuration' }),
  new HTTPBearer({ bearerFormat: 'JWT', description: 'A JWT access token' }),
  new HTTPBasic({ realm: 'api' }),
  new HTTPDigest(),
  new APIKeyHeader({ name: 'X-API-Key' }),
  new APIKeyQuery({ name: 'api_key' }),
  new APIKeyCookie({ name: 'session' }),
]

describe('openapi() of every scheme', () => {
  it('forms a valid OpenAPI 3.1 document (swagger-parser)', async () => {
    const securitySchemes = Object.fromEntries(schemes.map((s) => [s.schemeName, s.openapi()]))
    const security = schemes.map((s) => ({ [s.schemeName]: s.usesScopes ? ['read'] : [] }))
    const document = {
      openapi: '3.1.0',
      info: { title: 'schemes', version: '1.0.0' },
      paths: { '/': { get: { security, responses: { '200': { description: 'ok' } } } } },
      components: { securitySchemes },
    }
    // validate() dereferences in place; hand it a copy so the literal check below stays meaningful.
    await SwaggerParser.validate(structuredClone(document) as never)
    assert.deepEqual(Object.keys(securitySchemes), [
      'OAuth2PasswordBearer',
      'OAuth2AuthorizationCodeBearer',
      'OpenIdConnect',
      'HTTPBearer',
      'HTTPBasic',
      'HTTPDigest',
      'APIKeyHeader',
      'APIKeyQuery',
      'APIKeyCookie',
    ])
  })

  it('every built-in scheme instance is frozen', () => {
    assert.deepEqual(
      schemes.map((s) => Object.isFrozen(s)),
      schemes.map(() => true),
    )
  })

  it('returns a fresh object each call, so callers cannot mutate a scheme', () => {
    const scheme = new APIKeyHeader({ name: 'X-API-Key' })
    assert.notEqual(scheme.openapi(), scheme.openapi())
  })
})
