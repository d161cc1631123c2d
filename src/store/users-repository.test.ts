import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { createArgon2Hasher } from '../passwords/index.js'
import { ScopeSyntaxError } from '../scopes/index.js'
import {
  InvalidUsernameError,
  StoreConflictError,
  StoreNotFoundError,
  type Store,
  type User,
} from './index.js'
import { DIALECTS, type TestStore } from './test-dialects.js'

const T0_MS = Date.UTC(2026, 0, 1) // 2026-01-01T00:00:00.000Z
const T0 = T0_MS / 1000
const HASH =
  '$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: UsersRepository`, { skip: dialect.skip }, () => {
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
      await store.db.deleteFrom('users').execute()
    })

    const create = (username = 'alice', scopes = ['read', 'write']): Promise<User> =>
      store.users.create({ username, passwordHash: HASH, scopes })

    it('creates a user with a random UUID and returns it', async () => {
      const user = await create()
      assert.match(user.id, UUID)
      assert.deepEqual(user, {
        id: user.id,
        username: 'alice',
        passwordHash: HASH,
        scopes: ['read', 'write'],
        disabled: false,
        tokensValidAfter: 0,
        createdAt: new Date(T0_MS),
        updatedAt: new Date(T0_MS),
      })
      assert.notEqual((await create('bob')).id, user.id)
    })

    it('stores the row as specified: text scopes, 0/1 flag, argon2id PHC hash', async () => {
      const hasher = createArgon2Hasher({ memoryCost: 1024, timeCost: 1 })
      const passwordHash = await hasher.hash('secret')
      const user = await store.users.create({ username: 'carol', passwordHash, scopes: ['read'] })
      const row = await store.db.selectFrom('users').selectAll().executeTakeFirstOrThrow()
      assert.deepEqual(row, {
        id: user.id,
        username: 'carol',
        password_hash: passwordHash,
        scopes: 'read',
        disabled: 0,
        tokens_valid_after: 0,
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
      })
      assert.match(row.password_hash, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/)
      assert.equal(await hasher.verify(row.password_hash, 'secret'), true)
    })

    it('a taken username: StoreConflictError GH_ERR_STORE_CONFLICT', async () => {
      await create()
      await assert.rejects(create(), (error: unknown) => {
        assert.ok(error instanceof StoreConflictError)
        assert.equal(error.code, 'GH_ERR_STORE_CONFLICT')
        assert.equal(error.message, 'username "alice" is taken')
        assert.ok(error.cause instanceof Error)
        return true
      })
      assert.equal((await store.users.list()).length, 1)
    })

    it('validates usernames: 1-64 characters, no whitespace, control, format or ":"', async () => {
      const cases: Array<[string, string]> = [
        ['', 'username must be a non-empty string'],
        ['a'.repeat(65), 'username must be at most 64 characters, got 65'],
        ['a b', 'username must not contain whitespace or control characters (U+0020)'],
        ['tab\t', 'username must not contain whitespace or control characters (U+0009)'],
        ['nul\u0000', 'username must not contain whitespace or control characters (U+0000)'],
        ['zero\u200bwidth', 'username must not contain whitespace or control characters (U+200B)'],
        ['nb\u00a0sp', 'username must not contain whitespace or control characters (U+00A0)'],
        ['a:b', 'username must not contain ":"'],
      ]
      for (const [username, message] of cases) {
        await assert.rejects(create(username), (error: unknown) => {
          assert.ok(error instanceof InvalidUsernameError)
          assert.equal(error.code, 'GH_ERR_STORE_USERNAME_INVALID')
          assert.equal(error.message, message)
          return true
        })
      }
      assert.equal((await create('a'.repeat(64))).username.length, 64)
      assert.equal((await create('\u{1f600}'.repeat(64))).username, '\u{1f600}'.repeat(64))
    })

    it('normalises usernames to NFC: both spellings find the same user', async () => {
      const decomposed = 'Jose\u0301'
      const user = await create(decomposed)
      assert.equal(user.username, 'Jos\u00e9')
      assert.equal((await store.users.findByUsername('Jos\u00e9'))?.id, user.id)
      assert.equal((await store.users.findByUsername(decomposed))?.id, user.id)
      await assert.rejects(create('Jos\u00e9'), StoreConflictError)
    })

    it('usernames are case-sensitive', async () => {
      await create('alice')
      assert.equal(await store.users.findByUsername('Alice'), undefined)
    })

    it('finds by username and by id; undefined when missing or impossible', async () => {
      const user = await create()
      assert.deepEqual(await store.users.findByUsername('alice'), user)
      assert.deepEqual(await store.users.findById(user.id), user)
      assert.equal(await store.users.findByUsername('nobody'), undefined)
      assert.equal(await store.users.findByUsername('bad name'), undefined)
      assert.equal(await store.users.findById(crypto.randomUUID()), undefined)
    })

    it('findStatusById answers the hot-path question', async () => {
      const user = await create()
      assert.deepEqual(await store.users.findStatusById(user.id), {
        username: 'alice',
        disabled: false,
        tokensValidAfter: 0,
        scopes: ['read', 'write'],
      })
      clock.now = T0_MS + 10_000
      await store.users.setDisabled('alice', true)
      assert.deepEqual(await store.users.findStatusById(user.id), {
        username: 'alice',
        disabled: true,
        tokensValidAfter: T0 + 11,
        scopes: ['read', 'write'],
      })
      assert.equal(await store.users.findStatusById('missing'), undefined)
    })

    it('lists users ordered by username', async () => {
      await create('carol')
      await create('alice')
      await create('bob', [])
      const users = await store.users.list()
      assert.deepEqual(
        users.map((u) => [u.username, u.scopes]),
        [
          ['alice', ['read', 'write']],
          ['bob', []],
          ['carol', ['read', 'write']],
        ],
      )
    })

    it('setScopes replaces scopes, touches updatedAt, keeps tokens alive', async () => {
      await create()
      clock.now = T0_MS + 5000
      const user = await store.users.setScopes('alice', ['admin', 'read', 'admin'])
      assert.deepEqual(user.scopes, ['admin', 'read'])
      assert.deepEqual(user.updatedAt, new Date(T0_MS + 5000))
      assert.deepEqual(user.createdAt, new Date(T0_MS))
      assert.equal(user.tokensValidAfter, 0)
      const row = await store.db.selectFrom('users').select('scopes').executeTakeFirstOrThrow()
      assert.equal(row.scopes, 'admin read')
      await assert.rejects(store.users.setScopes('alice', ['bad scope']), ScopeSyntaxError)
    })

    it('setPasswordHash cuts off every token up to this second by default: tokensValidAfter = next second', async () => {
      await create()
      clock.now = T0_MS + 42_500
      const user = await store.users.setPasswordHash('alice', '$argon2id$v=19$new')
      assert.equal(user.passwordHash, '$argon2id$v=19$new')
      assert.equal(user.tokensValidAfter, T0 + 43)
    })

    it('setPasswordHash with revokeTokens: false (login rehash) keeps tokens alive', async () => {
      await create()
      clock.now = T0_MS + 42_000
      const user = await store.users.setPasswordHash('alice', '$argon2id$v=19$new', {
        revokeTokens: false,
      })
      assert.equal(user.passwordHash, '$argon2id$v=19$new')
      assert.equal(user.tokensValidAfter, 0)
      assert.deepEqual(user.updatedAt, new Date(T0_MS + 42_000))
    })

    it('rehashPassword replaces only the hash the login verified, and keeps tokens', async () => {
      await create()
      clock.now = T0_MS + 5_000
      const rehash = '$argon2id$v=19$m=19456,t=2,p=1$rehash'
      assert.equal(await store.users.rehashPassword('alice', HASH, rehash), true)
      const user = await store.users.findByUsername('alice')
      assert.equal(user?.passwordHash, rehash)
      assert.equal(user?.tokensValidAfter, 0)
      assert.deepEqual(user?.updatedAt, new Date(T0_MS + 5_000))
    })

    it('rehashPassword never writes over a password changed since the login read it', async () => {
      await create()
      const changed = '$argon2id$v=19$m=19456,t=2,p=1$changed'
      await store.users.setPasswordHash('alice', changed) // users passwd, during the login's hashing
      const stale = '$argon2id$v=19$m=19456,t=2,p=1$old-password-rehashed'
      assert.equal(await store.users.rehashPassword('alice', HASH, stale), false)
      assert.equal((await store.users.findByUsername('alice'))?.passwordHash, changed)
      assert.equal(await store.users.rehashPassword('nobody', HASH, stale), false)
    })

    it('refuses what looks like a plaintext password instead of a hash', async () => {
      await create()
      const message = '`passwordHash` must be a PHC string such as $argon2id$…, never a password'
      await assert.rejects(store.users.setPasswordHash('alice', 'hunter2'), {
        name: 'TypeError',
        message,
      })
      await assert.rejects(
        store.users.create({ username: 'bob', passwordHash: 'hunter2', scopes: [] }),
        { name: 'TypeError', message },
      )
    })

    it('setDisabled(true) bumps tokensValidAfter; re-enabling does not move it', async () => {
      await create()
      clock.now = T0_MS + 100_000
      const disabled = await store.users.setDisabled('alice', true)
      assert.equal(disabled.disabled, true)
      assert.equal(disabled.tokensValidAfter, T0 + 101)
      clock.now = T0_MS + 200_000
      const enabled = await store.users.setDisabled('alice', false)
      assert.equal(enabled.disabled, false)
      assert.equal(enabled.tokensValidAfter, T0 + 101)
    })

    it('tokensValidAfter never moves backwards when the clock does', async () => {
      await create()
      clock.now = T0_MS + 100_000
      await store.users.setPasswordHash('alice', HASH)
      clock.now = T0_MS + 50_000
      assert.equal((await store.users.setDisabled('alice', true)).tokensValidAfter, T0 + 101)
    })

    it('deletes a user', async () => {
      const user = await create()
      await store.users.delete('alice')
      assert.equal(await store.users.findById(user.id), undefined)
      assert.deepEqual(await store.users.list(), [])
    })

    it('changes to a missing user: StoreNotFoundError GH_ERR_STORE_NOT_FOUND', async () => {
      const attempts: Array<[string, () => Promise<unknown>]> = [
        ['ghost', () => store.users.setScopes('ghost', [])],
        ['ghost', () => store.users.setPasswordHash('ghost', HASH)],
        ['ghost', () => store.users.setDisabled('ghost', true)],
        ['ghost', () => store.users.delete('ghost')],
        ['bad name', () => store.users.delete('bad name')],
      ]
      for (const [name, attempt] of attempts) {
        await assert.rejects(attempt(), (error: unknown) => {
          assert.ok(error instanceof StoreNotFoundError)
          assert.equal(error.code, 'GH_ERR_STORE_NOT_FOUND')
          assert.equal(error.message, `no user named ${JSON.stringify(name)}`)
          return true
        })
      }
    })
  })
}
