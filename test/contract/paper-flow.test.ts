/**
 * The paper's proposed model over real HTTP: the two curl commands, and the scope rules of the
 * protected endpoints.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { DIALECTS, startTestServer, type TestServer } from '../helpers/server.js'

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: the proposed model over HTTP`, { skip: dialect.skip }, () => {
    let server: TestServer
    before(async () => {
      server = await startTestServer({ dialect })
    })
    after(() => server?.close())

    describe("the paper's curl flow", () => {
      it('POST /token with username=user1&password=secret: 200 bearer token with scope read, no-store', async () => {
        // curl -X POST "http://127.0.0.1:8000/token" -H "Content-Type: application/x-www-form-urlencoded"
        //   -d "username=user1&password=secret"
        const response = await server.postToken('username=user1&password=secret')
        assert.equal(response.status, 200)
        assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8')
        assert.equal(response.headers.get('cache-control'), 'no-store')
        assert.equal(response.headers.get('pragma'), 'no-cache')
        const body = (await response.json()) as Record<string, unknown>
        assert.deepEqual(Object.keys(body), ['access_token', 'token_type', 'expires_in', 'scope'])
        assert.equal(body.token_type, 'bearer')
        assert.equal(body.expires_in, 900)
        assert.equal(body.scope, 'read')
        assert.match(String(body.access_token), /^[\w-]+\.[\w-]+\.[\w-]+$/)
      })

      it('GET /secure-endpoint with the bearer token: 200 with the user and scopes', async () => {
        const token = await server.login('user1', 'secret')
        const response = await server.getWithToken('/secure-endpoint', token)
        assert.equal(response.status, 200)
        assert.deepEqual(await response.json(), {
          message: 'Access granted to the secure endpoint',
          user: 'user1',
          scopes: ['read'],
        })
      })

      it('issues an RFC 9068 JWT: HS256, typ at+jwt, kid; iss aud sub scope iat exp jti', async () => {
        const token = await server.login('editor', 'editor-secret')
        const header = decodeProtectedHeader(token)
        assert.equal(header.alg, 'HS256')
        assert.equal(header.typ, 'at+jwt')
        assert.equal(typeof header.kid, 'string')
        const claims = decodeJwt(token)
        const editor = await server.store.users.findByUsername('editor')
        assert.equal(claims.iss, 'http://127.0.0.1:8000')
        assert.equal(claims.aud, 'gatehouse')
        assert.equal(claims.sub, editor?.id)
        assert.equal(claims.scope, 'read write')
        assert.equal(Number(claims.exp) - Number(claims.iat), 900)
        assert.match(String(claims.jti), /^[\w-]{22}$/)
      })
    })

    describe('scopes on the protected endpoints', () => {
      it('admin token passes /admin/, /admin and /secure-endpoint (admin implies read)', async () => {
        const token = await server.login('admin', 'admin-secret', 'admin')
        for (const path of ['/admin/', '/admin']) {
          const response = await server.getWithToken(path, token)
          assert.equal(response.status, 200, path)
          assert.deepEqual(await response.json(), { message: 'Welcome, admin', user: 'admin' })
        }
        const secure = await server.getWithToken('/secure-endpoint', token)
        assert.equal(secure.status, 200)
        assert.deepEqual(await secure.json(), {
          message: 'Access granted to the secure endpoint',
          user: 'admin',
          scopes: ['admin'],
        })
      })

      it('read token on /admin/: 403 insufficient_scope with scope="admin"', async () => {
        const token = await server.login('user1', 'secret')
        const response = await server.getWithToken('/admin/', token)
        assert.equal(response.status, 403)
        assert.equal(
          response.headers.get('www-authenticate'),
          'Bearer error="insufficient_scope", scope="admin", error_description="The request requires higher privileges than provided by the access token"',
        )
        assert.deepEqual(await response.json(), {
          error: 'insufficient_scope',
          error_description:
            'The request requires higher privileges than provided by the access token',
        })
      })

      it('editor narrowed to write passes /secure-endpoint (write implies read), not /admin', async () => {
        const token = await server.login('editor', 'editor-secret', 'write')
        assert.equal((await server.getWithToken('/secure-endpoint', token)).status, 200)
        assert.equal((await server.getWithToken('/admin', token)).status, 403)
      })

      it('GET /users/me with any valid token: the caller', async () => {
        const token = await server.login('editor', 'editor-secret')
        const response = await server.getWithToken('/users/me', token)
        assert.equal(response.status, 200)
        assert.deepEqual(await response.json(), {
          username: 'editor',
          scopes: ['read', 'write'],
          disabled: false,
        })
      })

      it('a token with no scope at all still reaches /users/me but not /secure-endpoint', async () => {
        await server.addUser('noscope', 'pw-noscope', [])
        const token = await server.login('noscope', 'pw-noscope')
        assert.equal((await server.getWithToken('/users/me', token)).status, 200)
        assert.equal((await server.getWithToken('/secure-endpoint', token)).status, 403)
      })

      it('GET /healthz: 200 {"status":"ok"} without credentials', async () => {
        const response = await fetch(`${server.url}/healthz`)
        assert.equal(response.status, 200)
        assert.deepEqual(await response.json(), { status: 'ok' })
      })
    })
  })
}
