/**
 * Tokens follow their user: disabling, deleting or re-passwording a user stops the tokens they
 * hold at once (no waiting for expiry); a rehash at login keeps them.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createArgon2Hasher, type PasswordHasher } from '../../src/passwords/index.js'
import { DIALECTS, startTestServer, type TestServer } from '../helpers/server.js'

const NO_LONGER_VALID = 'The access token is no longer valid'

async function expectNoLongerValid(response: Response): Promise<void> {
  assert.equal(response.status, 401)
  assert.equal(
    response.headers.get('www-authenticate'),
    `Bearer error="invalid_token", error_description="${NO_LONGER_VALID}"`,
  )
  assert.deepEqual(await response.json(), {
    error: 'invalid_token',
    error_description: NO_LONGER_VALID,
  })
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: tokens follow their user`, { skip: dialect.skip }, () => {
    let server: TestServer
    before(async () => {
      server = await startTestServer({ dialect })
    })
    after(() => server?.close())

    describe("a user's tokens stop working", () => {
      it('when the user is disabled, and work again once re-enabled only with a new login', async () => {
        await server.addUser('dana', 'pw-dana', ['read'])
        const token = await server.login('dana', 'pw-dana')
        assert.equal((await server.getWithToken('/secure-endpoint', token)).status, 200)
        server.clock.advance(1)
        await server.store.users.setDisabled('dana', true)
        await expectNoLongerValid(await server.getWithToken('/secure-endpoint', token))
        await expectNoLongerValid(await server.getWithToken('/users/me', token))
        await server.store.users.setDisabled('dana', false)
        // Disabling cut off every token issued before it; re-enabling does not revive them.
        await expectNoLongerValid(await server.getWithToken('/secure-endpoint', token))
        server.clock.advance(1)
        const fresh = await server.login('dana', 'pw-dana')
        assert.equal((await server.getWithToken('/secure-endpoint', fresh)).status, 200)
      })

      it('when the user is deleted, even if the username is created again', async () => {
        await server.addUser('eve', 'pw-eve', ['read'])
        const token = await server.login('eve', 'pw-eve')
        await server.store.users.delete('eve')
        await expectNoLongerValid(await server.getWithToken('/secure-endpoint', token))
        await server.addUser('eve', 'pw-eve-2', ['read'])
        await expectNoLongerValid(await server.getWithToken('/secure-endpoint', token))
      })

      it('when the password changes', async () => {
        await server.addUser('fay', 'pw-fay', ['read'])
        const token = await server.login('fay', 'pw-fay')
        server.clock.advance(1)
        await server.store.users.setPasswordHash('fay', await server.hasher.hash('pw-fay-2'))
        await expectNoLongerValid(await server.getWithToken('/secure-endpoint', token))
        const response = await server.postToken({ username: 'fay', password: 'pw-fay' })
        assert.equal(response.status, 400)
      })
    })

    describe('within one second of a change (iat has whole seconds)', () => {
      it('a password change stops tokens issued earlier in that second; a new login then works', async () => {
        await server.addUser('gil', 'pw-gil', ['read'])
        server.clock.set(Math.floor(server.clock() / 1000) * 1000 + 200)
        const before = await server.login('gil', 'pw-gil')
        server.clock.advance(0.5) // same second
        await server.store.users.setPasswordHash('gil', await server.hasher.hash('pw-gil-2'))
        await expectNoLongerValid(await server.getWithToken('/secure-endpoint', before))
        const after = await server.login('gil', 'pw-gil-2')
        assert.equal((await server.getWithToken('/secure-endpoint', after)).status, 200)
        server.clock.advance(1)
        assert.equal((await server.getWithToken('/secure-endpoint', after)).status, 200)
      })

      it('disabling stops tokens issued earlier in that second', async () => {
        await server.addUser('ida', 'pw-ida', ['read'])
        server.clock.set(Math.floor(server.clock() / 1000) * 1000 + 100)
        const token = await server.login('ida', 'pw-ida')
        server.clock.advance(0.3)
        await server.store.users.setDisabled('ida', true)
        await server.store.users.setDisabled('ida', false)
        await expectNoLongerValid(await server.getWithToken('/secure-endpoint', token))
        const fresh = await server.login('ida', 'pw-ida')
        assert.equal((await server.getWithToken('/secure-endpoint', fresh)).status, 200)
      })
    })

    describe('rehash at login', () => {
      it('upgrades an outdated hash and keeps the tokens issued before', async () => {
        const weak = createArgon2Hasher({ memoryCost: 64, timeCost: 1 })
        await server.store.users.create({
          username: 'gus',
          passwordHash: await weak.hash('pw-gus'),
          scopes: ['read'],
        })
        const before = (await server.store.users.findByUsername('gus'))?.passwordHash
        const first = await server.login('gus', 'pw-gus')
        const after = (await server.store.users.findByUsername('gus'))?.passwordHash
        assert.notEqual(after, before)
        assert.equal(server.hasher.needsRehash(after ?? ''), false)
        server.clock.advance(1)
        await server.login('gus', 'pw-gus')
        assert.equal((await server.getWithToken('/secure-endpoint', first)).status, 200)
      })
    })

    describe('scope changes', () => {
      it('take effect at once: an admin token stops opening /admin when admin is taken away', async () => {
        await server.addUser('hal', 'pw-hal', ['read', 'write', 'admin'])
        const token = await server.login('hal', 'pw-hal')
        assert.equal((await server.getWithToken('/admin', token)).status, 200)
        await server.store.users.setScopes('hal', ['read'])
        const response = await server.getWithToken('/admin', token)
        assert.equal(response.status, 403)
        assert.equal(
          response.headers.get('www-authenticate'),
          'Bearer error="insufficient_scope", scope="admin", error_description="The request requires higher privileges than provided by the access token"',
        )
        await response.body?.cancel()
        // What the user still holds keeps working with the same token, and is all it reports.
        const secure = await server.getWithToken('/secure-endpoint', token)
        assert.equal(secure.status, 200)
        assert.deepEqual(((await secure.json()) as { scopes: string[] }).scopes, ['read'])
        const me = await server.getWithToken('/users/me', token)
        assert.deepEqual(await me.json(), { username: 'hal', scopes: ['read'], disabled: false })
      })
    })
  })
}

describe('a password change while a login is rehashing', () => {
  it('wins: the login succeeds, but the old password is never written back', async () => {
    const base = createArgon2Hasher({ memoryCost: 256, timeCost: 1 })
    let hashing: () => void = () => {}
    const hashStarted = new Promise<void>((resolve) => (hashing = resolve))
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    let rehashing = false // the server seeds its demo users with this hasher first
    // The rehash at login waits at the gate, so the password change lands in the middle of it.
    const hasher: PasswordHasher = {
      verify: (hash, password) => base.verify(hash, password),
      verifyDummy: (password) => base.verifyDummy(password),
      needsRehash: () => rehashing,
      hash: async (password) => {
        if (rehashing) {
          hashing()
          await gate
        }
        return base.hash(password)
      },
    }
    const server = await startTestServer({ hasher })
    try {
      await server.store.users.create({
        username: 'ivy',
        passwordHash: await base.hash('old-pw'),
        scopes: ['read'],
      })
      rehashing = true
      const login = server.postToken({ username: 'ivy', password: 'old-pw' })
      await hashStarted
      rehashing = false
      await server.store.users.setPasswordHash('ivy', await base.hash('new-pw'))
      release()
      assert.equal((await login).status, 200)
      assert.equal((await server.postToken({ username: 'ivy', password: 'old-pw' })).status, 400)
      assert.equal((await server.postToken({ username: 'ivy', password: 'new-pw' })).status, 200)
    } finally {
      release()
      await server.close()
    }
  })
})
