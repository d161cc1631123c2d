import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { splitAuthorization } from './authorization.js'
import { OAuth2PasswordBearer } from './oauth2.js'
import { buildSchemeApp, type SchemeApp } from './test-support.js'

const MISSING = 'Bearer realm="api"'
const EMPTY =
  'Bearer realm="api", error="invalid_request", error_description="The Bearer credentials are empty"'
const MULTIPLE =
  'Bearer realm="api", error="invalid_request", error_description="Multiple Authorization headers"'
const MALFORMED =
  'Bearer realm="api", error="invalid_token", error_description="The access token is malformed"'

describe('splitAuthorization', () => {
  it('splits once at the first space and skips the 1*SP run', () => {
    assert.deepEqual(splitAuthorization('Bearer  abc def'), {
      scheme: 'Bearer',
      credentials: 'abc def',
    })
    assert.deepEqual(splitAuthorization('Negotiate'), { scheme: 'Negotiate', credentials: '' })
    assert.deepEqual(splitAuthorization('Basic '), { scheme: 'Basic', credentials: '' })
  })

  it('property: scheme + 1*SP + credentials splits back into its parts', () => {
    const scheme = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,10}$/)
    const credentials = fc.stringMatching(/^[A-Za-z0-9._~+/-]+=*( [A-Za-z0-9=,"]+)?$/)
    fc.assert(
      fc.property(scheme, fc.integer({ min: 1, max: 3 }), credentials, (s, spaces, c) => {
        assert.deepEqual(splitAuthorization(`${s}${' '.repeat(spaces)}${c}`), {
          scheme: s,
          credentials: c,
        })
      }),
    )
  })
})

describe('Authorization header rules (through OAuth2PasswordBearer)', () => {
  let t: SchemeApp
  before(async () => {
    t = await buildSchemeApp(new OAuth2PasswordBearer({ tokenUrl: '/token', realm: 'api' }))
  })
  after(() => t.app.close())

  async function call(authorization: string | string[] | undefined) {
    const headers: Record<string, string | string[]> =
      authorization === undefined ? {} : { authorization }
    const res = await t.app.inject({ method: 'GET', url: '/', headers })
    return { status: res.statusCode, challenge: res.headers['www-authenticate'], body: res.json() }
  }

  it('accepts any case of the scheme: bearer, BEARER, bEaReR', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      assert.deepEqual(await call(`${scheme} abc.DEF-1_~+/==`), {
        status: 200,
        challenge: undefined,
        body: { value: 'abc.DEF-1_~+/==' },
      })
    }
  })

  it('accepts several spaces between scheme and token (RFC 7235 1*SP)', async () => {
    assert.deepEqual((await call('Bearer   tok')).body, { value: 'tok' })
  })

  it('treats another scheme as no credential: 401 without error', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearerx abc', 'Token abc', 'Bearer\tabc']) {
      assert.deepEqual(await call(header), {
        status: 401,
        challenge: MISSING,
        body: { error: 'unauthorized', error_description: 'Not authenticated' },
      })
    }
  })

  it('treats an absent or empty header as no credential: 401 without error', async () => {
    assert.equal((await call(undefined)).challenge, MISSING)
    assert.equal((await call('')).challenge, MISSING)
  })

  it('rejects "Bearer" without a token: 400 invalid_request (RFC 6750 §3.1)', async () => {
    for (const header of ['Bearer', 'bearer ', 'Bearer    ']) {
      assert.deepEqual(await call(header), {
        status: 400,
        challenge: EMPTY,
        body: { error: 'invalid_request', error_description: 'The Bearer credentials are empty' },
      })
    }
  })

  it('rejects a token outside b64token syntax: 401 invalid_token', async () => {
    for (const header of [
      'Bearer a b',
      'Bearer a"b',
      'Bearer =abc',
      'Bearer ab=c',
      'Bearer a,b',
      'Bearer é',
    ]) {
      assert.deepEqual(await call(header), {
        status: 401,
        challenge: MALFORMED,
        body: { error: 'invalid_token', error_description: 'The access token is malformed' },
      })
    }
  })

  it('rejects repeated Authorization headers: 400 invalid_request, handler not run', async () => {
    const before = t.handled()
    for (const headers of [
      ['Bearer a', 'Bearer b'],
      ['Basic x', 'Bearer b'],
    ]) {
      assert.deepEqual(await call(headers), {
        status: 400,
        challenge: MULTIPLE,
        body: { error: 'invalid_request', error_description: 'Multiple Authorization headers' },
      })
    }
    assert.equal(t.handled(), before)
  })
})
