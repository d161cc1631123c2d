/**
 * The SQLite store's in-memory answers to the per-request checks (`users.findStatusById`,
 * `revocations.isRevoked`) never lag behind the database: writes through the store count at once,
 * and commits by another connection (another process: the CLI) from the next event-loop turn on.
 * Two stores on one file stand for two processes: each has its own connection.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { after, before, beforeEach, describe, it } from 'node:test'
import { openStore, type Store } from './index.js'

const T0_MS = Date.UTC(2026, 0, 1)
const T0 = T0_MS / 1000
const HASH =
  '$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g'

describe('sqlite: per-request checks from memory, in step with the database', () => {
  const clock = { now: T0_MS }
  let dir: string
  let server: Store
  let cli: Store
  let userId: string

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-local-caches-'))
    const url = `sqlite:${join(dir, 'gatehouse.db')}`
    server = openStore({ url, clock: () => clock.now })
    cli = openStore({ url, clock: () => clock.now })
    await server.migrate()
  })
  after(async () => {
    await server.close()
    await cli.close()
    await rm(dir, { recursive: true, force: true })
  })
  beforeEach(async () => {
    clock.now = T0_MS
    await cli.db.deleteFrom('users').execute()
    await cli.db.deleteFrom('revoked_tokens').execute()
    userId = (await cli.users.create({ username: 'alice', passwordHash: HASH, scopes: ['read'] }))
      .id
    await nextTurn()
  })

  const status = async (store: Store = server) => {
    const found = await store.users.findStatusById(userId)
    return found && { disabled: found.disabled, scopes: found.scopes }
  }

  it('isRevoked answers synchronously (a boolean, not a promise)', () => {
    assert.equal(server.revocations.isRevoked('nope'), false)
  })

  it("sees another connection's revocation from the next event-loop turn", async () => {
    assert.equal(server.revocations.isRevoked('j1'), false)
    await cli.revocations.revoke('j1', T0 + 60)
    await nextTurn()
    assert.equal(server.revocations.isRevoked('j1'), true)
  })

  it("sees another connection's user changes from the next event-loop turn", async () => {
    assert.deepEqual(await status(), { disabled: false, scopes: ['read'] })
    await cli.users.setDisabled('alice', true)
    await nextTurn()
    assert.deepEqual(await status(), { disabled: true, scopes: ['read'] })
    await cli.users.setScopes('alice', ['read', 'write'])
    await nextTurn()
    assert.deepEqual(await status(), { disabled: true, scopes: ['read', 'write'] })
    await cli.users.delete('alice')
    await nextTurn()
    assert.equal(await status(), undefined)
  })

  it('sees its own writes at once, through the repositories or store.db', async () => {
    assert.deepEqual(await status(), { disabled: false, scopes: ['read'] })
    await server.users.setDisabled('alice', true)
    assert.deepEqual(await status(), { disabled: true, scopes: ['read'] })
    await server.db.updateTable('users').set({ disabled: 0 }).execute()
    assert.deepEqual(await status(), { disabled: false, scopes: ['read'] })
    await server.revocations.revoke('j1', T0 + 60)
    assert.equal(server.revocations.isRevoked('j1'), true)
    await server.db.deleteFrom('revoked_tokens').execute()
    assert.equal(server.revocations.isRevoked('j1'), false)
  })

  it('a local revocation right after a foreign one keeps both', async () => {
    assert.equal(server.revocations.isRevoked('x'), false) // loaded
    await cli.revocations.revoke('foreign', T0 + 60)
    await server.revocations.revoke('local', T0 + 60) // same turn: the write itself notices
    assert.equal(server.revocations.isRevoked('foreign'), true)
    assert.equal(server.revocations.isRevoked('local'), true)
    await cli.revocations.revoke('later', T0 + 60)
    await nextTurn()
    assert.equal(server.revocations.isRevoked('later'), true)
    assert.equal(cli.revocations.isRevoked('local'), true)
  })

  it('a revocation stops counting when its token expires', async () => {
    await server.revocations.revoke('j1', T0 + 60)
    clock.now = T0_MS + 59_000
    assert.equal(server.revocations.isRevoked('j1'), true)
    clock.now = T0_MS + 60_000
    assert.equal(server.revocations.isRevoked('j1'), false)
  })

  it('loads the revocations already in the database on first use', async () => {
    await cli.revocations.revoke('old', T0 + 60)
    const fresh = openStore({ url: `sqlite:${join(dir, 'gatehouse.db')}`, clock: () => clock.now })
    try {
      assert.equal(fresh.revocations.isRevoked('old'), true)
    } finally {
      await fresh.close()
    }
  })

  it('never keeps what a rolled-back transaction wrote', async () => {
    await assert.rejects(
      server.db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ disabled: 1 }).execute()
        assert.deepEqual(await status(), { disabled: true, scopes: ['read'] })
        throw new Error('roll back')
      }),
      { message: 'roll back' },
    )
    assert.deepEqual(await status(), { disabled: false, scopes: ['read'] })
  })

  it('cache: false queries every time (isRevoked returns a promise)', async () => {
    const uncached = openStore({ url: `sqlite:${join(dir, 'gatehouse.db')}`, cache: false })
    try {
      await cli.revocations.revoke('j1', Math.floor(Date.now() / 1000) + 60)
      const answer = uncached.revocations.isRevoked('j1')
      assert.ok(answer instanceof Promise)
      assert.equal(await answer, true)
      await cli.users.setDisabled('alice', true)
      assert.deepEqual(await status(uncached), { disabled: true, scopes: ['read'] })
    } finally {
      await uncached.close()
    }
  })
})
