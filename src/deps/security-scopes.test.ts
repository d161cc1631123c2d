import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ScopeRegistry } from '../scopes/index.js'
import { InsufficientScope } from '../security/index.js'
import { SecurityScopes } from './security-scopes.js'

const registry = new ScopeRegistry({
  read: 'Read',
  write: { description: 'Write', implies: ['read'] },
  admin: { description: 'Admin', implies: ['write'] },
})

describe('SecurityScopes', () => {
  test('scopes: every group, deduplicated, outermost first; scopeStr joins them', () => {
    const scopes = new SecurityScopes([
      { mode: 'all', scopes: ['b', 'a'] },
      { mode: 'any', scopes: ['a', 'c'] },
      { mode: 'all', scopes: [] },
    ])
    assert.deepEqual(scopes.scopes, ['b', 'a', 'c'])
    assert.equal(scopes.scopeStr, 'b a c')
    assert.equal(scopes.groups.length, 2)
    assert.ok(Object.isFrozen(scopes) && Object.isFrozen(scopes.scopes))
  })

  test('with no requirement anything (even a malformed scope string) is enough', () => {
    const none = new SecurityScopes()
    assert.deepEqual(none.scopes, [])
    assert.equal(none.scopeStr, '')
    assert.equal(none.isSatisfiedBy([]), true)
    assert.equal(none.isSatisfiedBy('bad  string'), true)
    assert.doesNotThrow(() => none.require(''))
  })

  test('all-of groups need every scope; any-of groups need one', () => {
    const scopes = new SecurityScopes([
      { mode: 'all', scopes: ['x'] },
      { mode: 'any', scopes: ['y', 'z'] },
    ])
    assert.equal(scopes.isSatisfiedBy(['x', 'z']), true)
    assert.equal(scopes.isSatisfiedBy(new Set(['x', 'y'])), true)
    assert.equal(scopes.isSatisfiedBy('x y'), true)
    assert.equal(scopes.isSatisfiedBy(['y', 'z']), false)
    assert.equal(scopes.isSatisfiedBy(['x']), false)
  })

  test('applies the registry implication, also through a registry function', () => {
    const scopes = new SecurityScopes([{ mode: 'all', scopes: ['read'] }], registry)
    assert.equal(scopes.isSatisfiedBy('admin'), true)
    assert.equal(
      new SecurityScopes([{ mode: 'all', scopes: ['read'] }]).isSatisfiedBy('admin'),
      false,
    )
    let calls = 0
    const lazy = new SecurityScopes([{ mode: 'all', scopes: ['write'] }], () => {
      calls++
      return registry
    })
    assert.equal(lazy.isSatisfiedBy(['admin']), true)
    assert.equal(calls, 1)
  })

  test('a malformed granted scope string grants nothing', () => {
    const scopes = new SecurityScopes([{ mode: 'all', scopes: ['read'] }], registry)
    assert.equal(scopes.isSatisfiedBy('read  admin'), false)
  })

  test('require() throws InsufficientScope naming every required scope: 403', () => {
    const scopes = new SecurityScopes([{ mode: 'all', scopes: ['write', 'admin'] }], registry)
    assert.doesNotThrow(() => scopes.require(['admin']))
    assert.throws(
      () => scopes.require('write'),
      (error: unknown) => {
        assert.ok(error instanceof InsufficientScope)
        assert.equal(error.statusCode, 403)
        assert.equal(error.scope, 'write admin')
        assert.deepEqual(error.challengeParams, {
          error: 'insufficient_scope',
          errorDescription:
            'The request requires higher privileges than provided by the access token',
          scope: 'write admin',
        })
        return true
      },
    )
  })
})
