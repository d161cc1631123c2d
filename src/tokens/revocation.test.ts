import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MemoryRevocationStore } from './index.js'

const T0 = 1_767_225_600 // unix seconds

function store(maxEntries?: number) {
  const clock = { now: T0 * 1000 }
  const revocation = new MemoryRevocationStore({
    clock: () => clock.now,
    ...(maxEntries === undefined ? {} : { maxEntries }),
  })
  return { clock, revocation }
}

describe('MemoryRevocationStore', () => {
  it('reports a revoked jti until it expires, then forgets it', async () => {
    const { clock, revocation } = store()
    await revocation.revoke('a', T0 + 60)
    assert.equal(revocation.isRevoked('a'), true)
    assert.equal(revocation.isRevoked('b'), false)
    clock.now = (T0 + 59) * 1000
    assert.equal(revocation.isRevoked('a'), true)
    clock.now = (T0 + 60) * 1000
    assert.equal(revocation.isRevoked('a'), false)
    assert.equal(revocation.size, 0)
  })

  it('ignores revocations of already expired tokens', async () => {
    const { revocation } = store()
    await revocation.revoke('a', T0)
    assert.equal(revocation.size, 0)
    assert.equal(revocation.isRevoked('a'), false)
  })

  it('keeps the later expiry when a jti is revoked twice', async () => {
    const { clock, revocation } = store()
    await revocation.revoke('a', T0 + 100)
    await revocation.revoke('a', T0 + 10)
    clock.now = (T0 + 50) * 1000
    assert.equal(revocation.isRevoked('a'), true)
  })

  it('stays bounded: drops expired entries first, then those expiring soonest', async () => {
    const { clock, revocation } = store(10)
    for (let i = 0; i < 5; i += 1) await revocation.revoke(`short-${i}`, T0 + 10)
    for (let i = 0; i < 5; i += 1) await revocation.revoke(`long-${i}`, T0 + 1000 + i)
    assert.equal(revocation.size, 10)
    clock.now = (T0 + 20) * 1000 // the short ones have expired
    await revocation.revoke('x', T0 + 2000)
    assert.equal(revocation.size, 6)
    for (let i = 0; i < 4; i += 1) await revocation.revoke(`more-${i}`, T0 + 3000)
    assert.equal(revocation.size, 10)
    await revocation.revoke('overflow', T0 + 4000)
    // over the bound with nothing expired: evict down to 90% (9), soonest-expiring first
    assert.equal(revocation.size, 9)
    assert.equal(revocation.isRevoked('long-0'), false)
    assert.equal(revocation.isRevoked('long-1'), false)
    assert.equal(revocation.isRevoked('long-2'), true)
    assert.equal(revocation.isRevoked('overflow'), true)
  })

  it('rejects a non-positive bound', () => {
    assert.throws(() => new MemoryRevocationStore({ maxEntries: 0 }), {
      name: 'TypeError',
      message: '`maxEntries` must be a positive integer, got 0',
    })
  })
})
