import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { InvalidToken } from '../security/errors.js'
import { createTokenIssuer, createTokenVerifier, KeyRing } from '../tokens/index.js'
import type { Store } from './index.js'
import { DIALECTS, type TestStore } from './test-dialects.js'

const T0_MS = Date.UTC(2026, 0, 1)
const T0 = T0_MS / 1000

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: DatabaseRevocationStore`, { skip: dialect.skip }, () => {
    const clock = { now: T0_MS }
    let test: TestStore
    let store: Store

    before(async () => {
      test = await dialect.open({ clock: () => clock.now })
      store = test.store
    })
    after(() => test.dispose())
    beforeEach(async () => {
      clock.now = T0_MS
      await store.db.deleteFrom('revoked_tokens').execute()
    })

    const rows = () => store.db.selectFrom('revoked_tokens').selectAll().orderBy('jti').execute()

    it('remembers a revoked jti until its expiry', async () => {
      await store.revocations.revoke('jti-1', T0 + 60)
      assert.deepEqual(await rows(), [{ jti: 'jti-1', expires_at: T0 + 60 }])
      assert.equal(await store.revocations.isRevoked('jti-1'), true)
      assert.equal(await store.revocations.isRevoked('jti-2'), false)
      clock.now = T0_MS + 59_000
      assert.equal(await store.revocations.isRevoked('jti-1'), true)
      clock.now = T0_MS + 60_000
      assert.equal(await store.revocations.isRevoked('jti-1'), false)
    })

    it('revoking twice keeps the later expiry', async () => {
      await store.revocations.revoke('j', T0 + 100)
      await store.revocations.revoke('j', T0 + 50)
      assert.deepEqual(await rows(), [{ jti: 'j', expires_at: T0 + 100 }])
      await store.revocations.revoke('j', T0 + 200)
      assert.deepEqual(await rows(), [{ jti: 'j', expires_at: T0 + 200 }])
    })

    it('ignores tokens that have already expired', async () => {
      await store.revocations.revoke('old', T0)
      assert.deepEqual(await rows(), [])
    })

    it('prune deletes expired rows only', async () => {
      await store.revocations.revoke('a', T0 + 10)
      await store.revocations.revoke('b', T0 + 20)
      await store.revocations.revoke('c', T0 + 30)
      clock.now = T0_MS + 20_000
      assert.equal(await store.revocations.prune(), 2)
      assert.deepEqual(await rows(), [{ jti: 'c', expires_at: T0 + 30 }])
    })

    it('prunes on its own every 100 revocations', async () => {
      await store.revocations.prune() // reset the counter
      await store.revocations.revoke('short', T0 + 1)
      clock.now = T0_MS + 2000
      for (let i = 0; i < 98; i += 1) await store.revocations.revoke(`j${i}`, T0 + 100)
      assert.equal((await rows()).length, 99)
      await store.revocations.revoke('last', T0 + 100)
      assert.equal((await rows()).length, 99) // 'short' pruned by the 100th revocation
      assert.equal(await store.revocations.isRevoked('last'), true)
    })

    it('rejects an empty jti and a non-integer expiry', async () => {
      await assert.rejects(store.revocations.revoke('', T0 + 1), {
        name: 'TypeError',
        message: '`jti` must be a non-empty string',
      })
      await assert.rejects(store.revocations.revoke('x', T0 + 0.5), {
        name: 'TypeError',
        message: '`expiresAt` must be unix seconds',
      })
    })

    it('plugs into the token verifier: a revoked token is refused', async () => {
      const keyRing = await KeyRing.generate('EdDSA')
      const options = { keyRing, issuer: 'iss', audience: 'aud', clock: () => clock.now }
      const issuer = createTokenIssuer(options)
      const verifier = createTokenVerifier({ ...options, revocation: store.revocations })
      const issued = await issuer.issueAccessToken({ subject: 'alice', scope: ['read'] })
      assert.equal((await verifier.verify(issued.token)).jti, issued.jti)
      await store.revocations.revoke(issued.jti, issued.expiresAt)
      await assert.rejects(verifier.verify(issued.token), (error: unknown) => {
        assert.ok(error instanceof InvalidToken)
        assert.equal(error.code, 'GH_ERR_TOKEN_REVOKED')
        assert.equal(error.errorDescription, 'token has been revoked')
        return true
      })
    })
  })
}
