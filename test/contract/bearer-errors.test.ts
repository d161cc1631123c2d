/**
 * RFC 6750 rejections of the protected endpoints over real HTTP, and every JWT check: alg none,
 * wrong key, tampered payload, expiry, wrong aud / iss / typ.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decodeJwt } from 'jose'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { signTestToken, tamperPayload, unsecuredToken } from '../helpers/tokens.js'

let server: TestServer
let token: string
let subject: string
before(async () => {
  server = await startTestServer()
  token = await server.login('user1', 'secret')
  subject = String(decodeJwt(token).sub)
})
after(() => server.close())

async function expectRejection(
  response: Response,
  status: number,
  wwwAuthenticate: string,
  body: { error: string; error_description: string },
): Promise<void> {
  assert.equal(response.status, status)
  assert.equal(response.headers.get('www-authenticate'), wwwAuthenticate)
  assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8')
  assert.deepEqual(await response.json(), body)
}

async function expectInvalidToken(response: Response, description: string): Promise<void> {
  await expectRejection(
    response,
    401,
    `Bearer error="invalid_token", error_description="${description}"`,
    { error: 'invalid_token', error_description: description },
  )
}

const get = (path: string, authorization?: string) =>
  fetch(`${server.url}${path}`, authorization === undefined ? {} : { headers: { authorization } })

describe('missing and malformed credentials', () => {
  for (const path of ['/secure-endpoint', '/admin/', '/admin', '/users/me']) {
    it(`GET ${path} without credentials: 401, challenge without error (RFC 6750 §3.1)`, async () => {
      await expectRejection(await get(path), 401, 'Bearer', {
        error: 'unauthorized',
        error_description: 'Not authenticated',
      })
    })
  }

  it('another scheme (Basic) counts as no bearer credentials: 401 Bearer', async () => {
    await expectRejection(await get('/secure-endpoint', 'Basic Og=='), 401, 'Bearer', {
      error: 'unauthorized',
      error_description: 'Not authenticated',
    })
  })

  it('an empty bearer token: 400 invalid_request', async () => {
    const description = 'The Bearer credentials are empty'
    await expectRejection(
      await get('/secure-endpoint', 'Bearer '),
      400,
      `Bearer error="invalid_request", error_description="${description}"`,
      { error: 'invalid_request', error_description: description },
    )
  })

  it('accepts the scheme name in any case (RFC 7235 §2.1)', async () => {
    assert.equal((await get('/secure-endpoint', `bearer ${token}`)).status, 200)
  })

  it('a token that is not a JWT: 401 invalid_token', async () => {
    await expectInvalidToken(
      await get('/secure-endpoint', 'Bearer not-a-jwt'),
      'token is malformed',
    )
  })
})

describe('JWT verification', () => {
  it('accepts a token signed like the server signs (control for the cases below)', async () => {
    const forged = await signTestToken({ keyRing: server.keyRing, subject })
    assert.equal((await get('/secure-endpoint', `Bearer ${forged}`)).status, 200)
  })

  it('alg none: 401 invalid_token', async () => {
    const unsigned = unsecuredToken(decodeJwt(token))
    await expectInvalidToken(
      await get('/secure-endpoint', `Bearer ${unsigned}`),
      'token algorithm is not allowed',
    )
  })

  it("another algorithm (HS512) than the ring's: 401 invalid_token", async () => {
    const other = await signTestToken({
      keyRing: server.keyRing,
      subject,
      alg: 'HS512',
      secret: new Uint8Array(64).fill(1),
    })
    await expectInvalidToken(
      await get('/secure-endpoint', `Bearer ${other}`),
      'token algorithm is not allowed',
    )
  })

  it('signed with the wrong key under the right kid: 401 invalid_token', async () => {
    const wrong = await signTestToken({
      keyRing: server.keyRing,
      subject,
      secret: new Uint8Array(32).fill(9),
    })
    await expectInvalidToken(
      await get('/secure-endpoint', `Bearer ${wrong}`),
      'token signature is invalid',
    )
  })

  it('an unknown kid: 401 invalid_token', async () => {
    const unknown = await signTestToken({
      keyRing: server.keyRing,
      subject,
      header: { kid: 'retired' },
    })
    await expectInvalidToken(
      await get('/secure-endpoint', `Bearer ${unknown}`),
      'token signing key is unknown',
    )
  })

  it('a tampered payload (scope raised to admin): 401 invalid_token', async () => {
    const tampered = tamperPayload(token, (payload) => ({ ...payload, scope: 'read write admin' }))
    await expectInvalidToken(
      await get('/admin/', `Bearer ${tampered}`),
      'token signature is invalid',
    )
  })

  it('the wrong audience: 401 invalid_token', async () => {
    const other = await signTestToken({
      keyRing: server.keyRing,
      subject,
      claims: { aud: 'another-api' },
    })
    await expectInvalidToken(
      await get('/secure-endpoint', `Bearer ${other}`),
      'token audience is not accepted',
    )
  })

  it('the wrong issuer: 401 invalid_token', async () => {
    const other = await signTestToken({
      keyRing: server.keyRing,
      subject,
      claims: { iss: 'https://evil.example' },
    })
    await expectInvalidToken(
      await get('/secure-endpoint', `Bearer ${other}`),
      'token issuer is not accepted',
    )
  })

  it('typ JWT instead of at+jwt (an ID token, say): 401 invalid_token', async () => {
    const other = await signTestToken({ keyRing: server.keyRing, subject, header: { typ: 'JWT' } })
    await expectInvalidToken(
      await get('/secure-endpoint', `Bearer ${other}`),
      'token type is not at+jwt',
    )
  })

  it('an expired token, past the 5 s skew: 401 invalid_token; within it: still accepted', async () => {
    const fresh = await server.login('user1', 'secret')
    server.clock.advance(900 + 4)
    assert.equal((await get('/secure-endpoint', `Bearer ${fresh}`)).status, 200)
    server.clock.advance(2)
    try {
      await expectInvalidToken(
        await get('/secure-endpoint', `Bearer ${fresh}`),
        'token has expired',
      )
    } finally {
      server.clock.advance(-906)
    }
  })
})
