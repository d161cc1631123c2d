/**
 * Per-token revocation on the reference server: a jti revoked in the store is refused on the very
 * next request, even though the server has verified (and cached) that token before.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decodeJwt } from 'jose'
import { expectInvalidToken } from '../helpers/responses.js'
import { DIALECTS, startTestServer, type TestServer } from '../helpers/server.js'

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: revoked tokens`, { skip: dialect.skip }, () => {
    let server: TestServer
    before(async () => {
      server = await startTestServer({ dialect })
    })
    after(() => server?.close())

    it("a revoked jti: 401 invalid_token at once; the user's other tokens still work", async () => {
      const token = await server.login('user1', 'secret')
      const other = await server.login('user1', 'secret')
      assert.equal((await server.getWithToken('/secure-endpoint', token)).status, 200)
      assert.equal((await server.getWithToken('/secure-endpoint', token)).status, 200)
      const { jti, exp } = decodeJwt(token)
      await server.store.revocations.revoke(String(jti), Number(exp))
      for (const path of ['/secure-endpoint', '/users/me']) {
        await expectInvalidToken(await server.getWithToken(path, token), 'token has been revoked')
      }
      assert.equal((await server.getWithToken('/secure-endpoint', other)).status, 200)
    })
  })
}
