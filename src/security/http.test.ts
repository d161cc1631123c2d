import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { decodeBasicCredentials, HTTPBasic, HTTPBearer, HTTPDigest } from './http.js'
import type { SchemeValue } from './scheme.js'
import { buildSchemeApp } from './test-support.js'

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

function basic(userPass: string): string {
  return `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`
}

/** Unicode text without controls (RFC 7617 §2) and without lone surrogates. */
const text = fc
  .string({ unit: 'binary', maxLength: 16 })
  .filter((s) => Buffer.from(s, 'utf8').toString('utf8') === s && !/[\x00-\x1f\x7f]/.test(s))

/** Passwords mixing ASCII, any Unicode and colons (rare in uniform Unicode, so added explicitly). */
const ascii = fc.string({ maxLength: 4 }).filter((s) => !/[\x00-\x1f\x7f]/.test(s))
const password = fc
  .array(fc.oneof(text, ascii, fc.constantFrom(':', '::')), { maxLength: 4 })
  .map((parts) => parts.join(''))

describe('HTTPBasic', () => {
  const malformed = {
    status: 401,
    challenge: 'Basic realm="admin area", charset="UTF-8"',
    body: { error: 'invalid_credentials', error_description: 'Malformed Basic credentials' },
  }

  async function call(scheme: HTTPBasic<boolean>, authorization?: string) {
    const t = await buildSchemeApp(scheme)
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization }
    const res = await t.app.inject({ url: '/', headers })
    return { status: res.statusCode, challenge: res.headers['www-authenticate'], body: res.json() }
  }

  it('yields { username, password }; the first colon splits, so passwords keep colons', async () => {
    assert.deepEqual(await call(new HTTPBasic(), basic('alice:s3:cr:et:')), {
      status: 200,
      challenge: undefined,
      body: { value: { username: 'alice', password: 's3:cr:et:' } },
    })
  })

  it('decodes UTF-8 credentials (RFC 7617 charset)', async () => {
    assert.deepEqual((await call(new HTTPBasic(), basic('zoë:pässwörd✓'))).body, {
      value: { username: 'zoë', password: 'pässwörd✓' },
    })
    assert.deepEqual((await call(new HTTPBasic(), 'basic ' + basic(':').slice(6))).body, {
      value: { username: '', password: '' },
    })
  })

  it('missing: exact 401 with realm and charset', async () => {
    assert.deepEqual(await call(new HTTPBasic({ realm: 'admin area' })), {
      ...malformed,
      body: { error: 'unauthorized', error_description: 'Not authenticated' },
    })
    assert.equal((await call(new HTTPBasic())).challenge, 'Basic charset="UTF-8"')
  })

  it('malformed: bad base64, no colon, invalid UTF-8, controls, empty: 401 Basic challenge', async () => {
    const scheme = new HTTPBasic({ realm: 'admin area' })
    const headers = [
      'Basic !!!!',
      'Basic YWxpY2U',
      'Basic YWxpY2U=x',
      basic('alice'),
      `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString('base64')}`,
      basic('ali\nce:x'),
      'Basic',
      'Basic   ',
    ]
    for (const header of headers) assert.deepEqual(await call(scheme, header), malformed, header)
  })

  it('optional: missing resolves to undefined, a Bearer header is not Basic', async () => {
    const scheme = new HTTPBasic({ optional: true })
    assert.deepEqual((await call(scheme)).body, { value: null })
    assert.deepEqual((await call(scheme, 'Bearer abc')).body, { value: null })
  })

  it('openapi(): { type: http, scheme: basic }, the realm stays out (FastAPI)', () => {
    assert.deepEqual(new HTTPBasic({ realm: 'x' }).openapi(), { type: 'http', scheme: 'basic' })
    assert.deepEqual(new HTTPBasic({ description: 'Staff' }).openapi(), {
      type: 'http',
      scheme: 'basic',
      description: 'Staff',
    })
    assert.equal(new HTTPBasic().schemeName, 'HTTPBasic')
    assert.equal(new HTTPBasic().usesScopes, false)
  })

  it('property: any username without ":" and any password round-trip', () => {
    fc.assert(
      fc.property(
        text.filter((u) => !u.includes(':')),
        password,
        (username, secret) => {
          const encoded = Buffer.from(`${username}:${secret}`, 'utf8').toString('base64')
          assert.deepEqual(decodeBasicCredentials(encoded), { username, password: secret })
        },
      ),
    )
  })

  it('property: arbitrary input never throws, it decodes or is rejected', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const result = decodeBasicCredentials(input)
        assert.ok(result === undefined || typeof result.username === 'string')
      }),
    )
  })

  it('validates realm', () => {
    assert.throws(() => new HTTPBasic({ realm: 3 as never }), {
      message: 'HTTPBasic: `realm` must be a non-empty string, got number',
    })
  })
})

describe('HTTPBearer', () => {
  it('yields { scheme: "Bearer", credentials } whatever case was sent', async () => {
    const t = await buildSchemeApp(new HTTPBearer())
    const res = await t.app.inject({ url: '/', headers: { authorization: 'bearer abc' } })
    assert.deepEqual(res.json(), { value: { scheme: 'Bearer', credentials: 'abc' } })
  })

  it('missing: exact 401 "Bearer"; malformed token: invalid_token', async () => {
    const t = await buildSchemeApp(new HTTPBearer())
    const missing = await t.app.inject({ url: '/', headers: { authorization: 'Basic eDp5' } })
    assert.equal(missing.statusCode, 401)
    assert.equal(missing.headers['www-authenticate'], 'Bearer')
    assert.deepEqual(missing.json(), {
      error: 'unauthorized',
      error_description: 'Not authenticated',
    })
    const bad = await t.app.inject({ url: '/', headers: { authorization: 'Bearer a;b' } })
    assert.equal(bad.statusCode, 401)
    assert.equal(
      bad.headers['www-authenticate'],
      'Bearer error="invalid_token", error_description="The access token is malformed"',
    )
    assert.equal(t.handled(), 0)
  })

  it('optional: undefined when missing', async () => {
    const t = await buildSchemeApp(new HTTPBearer({ optional: true }))
    assert.deepEqual((await t.app.inject({ url: '/' })).json(), { value: null })
  })

  it('openapi(): bearer with bearerFormat when given', () => {
    assert.deepEqual(new HTTPBearer().openapi(), { type: 'http', scheme: 'bearer' })
    assert.deepEqual(new HTTPBearer({ bearerFormat: 'JWT' }).openapi(), {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    })
  })

  it('challenge() carries realm and RFC 6750 params', () => {
    assert.equal(
      new HTTPBearer({ realm: 'api' }).challenge({ error: 'insufficient_scope', scope: 'admin' }),
      'Bearer realm="api", error="insufficient_scope", scope="admin"',
    )
  })

  it('types: value is HTTPAuthorizationCredentials, | undefined when optional', () => {
    const optional = new HTTPBearer({ optional: true })
    const check: Equals<
      SchemeValue<typeof optional>,
      { readonly scheme: string; readonly credentials: string } | undefined
    > = true
    assert.equal(check, true)
  })
})

describe('HTTPDigest', () => {
  it('passes Digest credentials through; empty is 400; missing is 401 "Digest"', async () => {
    const t = await buildSchemeApp(new HTTPDigest())
    const ok = await t.app.inject({
      url: '/',
      headers: { authorization: 'Digest username="a", nonce="n"' },
    })
    assert.deepEqual(ok.json(), {
      value: { scheme: 'Digest', credentials: 'username="a", nonce="n"' },
    })
    const empty = await t.app.inject({ url: '/', headers: { authorization: 'Digest' } })
    assert.equal(empty.statusCode, 400)
    assert.equal(empty.headers['www-authenticate'], 'Digest')
    assert.deepEqual(empty.json(), {
      error: 'invalid_request',
      error_description: 'The Digest credentials are empty',
    })
    const missing = await t.app.inject({ url: '/' })
    assert.equal(missing.statusCode, 401)
    assert.equal(missing.headers['www-authenticate'], 'Digest')
  })

  it('openapi(): { type: http, scheme: digest }', () => {
    assert.deepEqual(new HTTPDigest().openapi(), { type: 'http', scheme: 'digest' })
  })
})
