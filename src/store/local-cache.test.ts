import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { LocalConnection } from './dialect.js'
import { LocalCache } from './local-cache.js'

function fakeLocal(): LocalConnection & { generationNow: number } {
  const local = {
    generationNow: 1,
    generation: () => local.generationNow,
    reader: () => () => [],
    ownWriter: () => () => 0,
  }
  return local
}

describe('LocalCache', () => {
  it('loads each key once while the generation stays, undefined values included', () => {
    const loads: string[] = []
    const cache = new LocalCache(fakeLocal(), (key) => (loads.push(key), undefined), 10)
    assert.equal(cache.get('a'), undefined)
    assert.equal(cache.get('a'), undefined)
    assert.deepEqual(loads, ['a'])
  })

  it('starts over when the generation moves', () => {
    const local = fakeLocal()
    let version = 0
    const cache = new LocalCache(local, (key) => `${key}@${version}`, 10)
    assert.equal(cache.get('a'), 'a@0')
    version = 1
    assert.equal(cache.get('a'), 'a@0')
    local.generationNow += 1
    assert.equal(cache.get('a'), 'a@1')
  })

  it('holds at most maxEntries keys, dropping the oldest', () => {
    const loads: string[] = []
    const cache = new LocalCache(fakeLocal(), (key) => (loads.push(key), key), 3)
    for (const key of ['a', 'b', 'c', 'd']) cache.get(key)
    cache.get('d')
    cache.get('b')
    cache.get('a') // evicted by d: loaded again, evicting b
    cache.get('b')
    assert.deepEqual(loads, ['a', 'b', 'c', 'd', 'a', 'b'])
  })
})
