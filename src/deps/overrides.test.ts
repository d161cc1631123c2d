import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Security, dependency, type Dependency } from './dependency.js'
import { DependencyOverrides } from './overrides.js'
import { compilePlan } from './plan.js'
import { Resolution } from './resolve.js'
import { HeaderScheme, fakeExchange } from './test-support.js'

const token = new HeaderScheme('x-token', { usesScopes: true })
const currentUser = dependency({ token }, ({ token }) => ({ name: token }), { name: 'currentUser' })
const greeting = dependency(
  { user: Security(currentUser, ['read']) },
  ({ user }) => `hi ${user.name}`,
)

function run(overrides: DependencyOverrides, headers: Record<string, string> = {}) {
  const { request, reply } = fakeExchange(headers)
  const resolution = new Resolution(
    compilePlan({ greeting, user: currentUser }),
    request,
    reply,
    overrides,
  )
  return { resolution, values: resolution.run() }
}

describe('DependencyOverrides', () => {
  test('a function replacement is used everywhere, without the original inputs', () => {
    const overrides = new DependencyOverrides().set(currentUser, () => ({ name: 'alice' }))
    assert.equal(overrides.size, 1)
    assert.equal(overrides.has(currentUser), true)
    assert.deepEqual(run(overrides).values, { greeting: 'hi alice', user: { name: 'alice' } })
    assert.equal(token.reads, 0)
  })

  test('delete() and clear() restore the declared dependency', () => {
    const overrides = new DependencyOverrides().set(currentUser, () => ({ name: 'alice' }))
    assert.equal(overrides.delete(currentUser), true)
    assert.equal(overrides.delete(currentUser), false)
    assert.deepEqual(run(overrides, { 'x-token': 'bob' }).values, {
      greeting: 'hi bob',
      user: { name: 'bob' },
    })
    overrides.set(currentUser, () => ({ name: 'carol' }))
    overrides.clear()
    assert.equal(overrides.size, 0)
    assert.throws(() => run(overrides).values, { name: 'NotAuthenticated' })
  })

  test('a replacement receives the overridden node context (its accumulated scopes)', async () => {
    const seen: string[][] = []
    const overrides = new DependencyOverrides().set(currentUser, async ({ securityScopes }) => {
      seen.push([...securityScopes.scopes])
      return { name: 'dave' }
    })
    assert.deepEqual(await run(overrides).values, { greeting: 'hi dave', user: { name: 'dave' } })
    assert.deepEqual(seen, [['read'], []])
  })

  test('a dependency replacement resolves its own inputs', () => {
    const other = new HeaderScheme('x-other')
    const replacement = dependency({ other }, ({ other }) => ({ name: `other:${other}` }))
    const overrides = new DependencyOverrides().set(currentUser, replacement)
    assert.deepEqual(run(overrides, { 'x-other': 'eve' }).values, {
      greeting: 'hi other:eve',
      user: { name: 'other:eve' },
    })
  })

  test('schemes can be overridden too', () => {
    const overrides = new DependencyOverrides().set(token, () => 'fixed')
    assert.deepEqual(run(overrides).values, { greeting: 'hi fixed', user: { name: 'fixed' } })
  })

  test('a failing replacement names the overridden node for the challenge', async () => {
    const other = new HeaderScheme('x-other')
    const overrides = new DependencyOverrides().set(
      currentUser,
      dependency({ other }, ({ other }) => ({ name: other })),
    )
    const { request, reply } = fakeExchange()
    const sync = new Resolution(compilePlan({ user: currentUser }), request, reply, overrides)
    assert.throws(() => sync.run(), { name: 'NotAuthenticated' })
    assert.deepEqual(sync.challengeSchemes, [other])
    overrides.set(currentUser, async () => {
      throw new Error('nope')
    })
    const failing = run(overrides)
    await assert.rejects(failing.values as Promise<unknown>, { message: 'nope' })
    assert.deepEqual(failing.resolution.challengeSchemes, [token])
  })

  test('generator replacements (sync and async) are cleaned up with the request', async () => {
    const log: string[] = []
    const overrides = new DependencyOverrides().set(currentUser, async function* () {
      yield { name: 'gen' }
      log.push('async closed')
    })
    const asyncRun = run(overrides)
    assert.deepEqual(await asyncRun.values, { greeting: 'hi gen', user: { name: 'gen' } })
    await asyncRun.resolution.finish()
    overrides.set(currentUser, function* () {
      try {
        yield { name: 'sync' }
      } finally {
        log.push('sync closed')
      }
    })
    const syncRun = run(overrides)
    assert.deepEqual(syncRun.values, { greeting: 'hi sync', user: { name: 'sync' } })
    assert.equal(syncRun.resolution.needsCleanup, true)
    await syncRun.resolution.finish(new Error('x'))
    // currentUser is used with two scope sets (['read'] and none): two nodes, two generators.
    assert.deepEqual(log, ['async closed', 'async closed', 'sync closed', 'sync closed'])
  })

  test('rejects targets and replacements of the wrong kind: GH_ERR_DEP_INVALID', () => {
    const overrides = new DependencyOverrides()
    assert.throws(() => overrides.set({} as never, () => 1), {
      code: 'GH_ERR_DEP_INVALID',
      message: 'overrides.set() needs a dependency or a scheme as its target',
    })
    assert.throws(() => overrides.set(currentUser, 'x' as never), {
      code: 'GH_ERR_DEP_INVALID',
      message: 'overrides.set() needs a dependency or a function as replacement',
    })
  })

  test('a replacement with a cycle fails when first used, naming the override', () => {
    const loop: Dependency<{ name: string }> = dependency(
      () => ({ loop }),
      () => ({ name: 'x' }),
      {
        name: 'loop',
      },
    )
    const overrides = new DependencyOverrides().set(token, loop as never) // a scheme value is a string
    assert.throws(() => run(overrides).values, {
      code: 'GH_ERR_DEP_CYCLE',
      message: 'Dependency cycle in override of scheme: loop -> loop',
    })
  })
})
