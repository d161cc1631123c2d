import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { dependency } from './dependency.js'
import { compilePlan } from './plan.js'
import { Resolution } from './resolve.js'
import { fakeExchange } from './test-support.js'

function resolution(deps: Parameters<typeof compilePlan>[0]): Resolution {
  const { request, reply } = fakeExchange()
  return new Resolution(compilePlan(deps), request, reply)
}

/** Three nested generator dependencies that log their setup and teardown. */
function resources(log: string[]) {
  const db = dependency(async function* db() {
    log.push('db:open')
    try {
      yield 'db'
      log.push('db:commit')
    } catch (error) {
      log.push(`db:rollback(${(error as Error).message})`)
      throw error
    } finally {
      log.push('db:close')
    }
  })
  const repo = dependency({ db }, function* repo({ db }) {
    log.push('repo:open')
    yield `${db}.repo`
    log.push('repo:close')
  })
  const audit = dependency({ repo }, async function* audit({ repo }) {
    log.push('audit:open')
    yield `${repo}.audit`
    log.push('audit:close')
  })
  return { db, repo, audit }
}

describe('cleanup of generator dependencies', () => {
  test('runs the code after yield in reverse order of setup', async () => {
    const log: string[] = []
    const r = resolution({ audit: resources(log).audit })
    assert.deepEqual(await r.run(), { audit: 'db.repo.audit' })
    assert.equal(r.needsCleanup, true)
    assert.deepEqual(log, ['db:open', 'repo:open', 'audit:open'])
    assert.deepEqual(await r.finish(), [])
    assert.deepEqual(log, [
      'db:open',
      'repo:open',
      'audit:open',
      'audit:close',
      'repo:close',
      'db:commit',
      'db:close',
    ])
  })

  test('throws the request error into each generator; re-throwing it is not a failure', async () => {
    const log: string[] = []
    const r = resolution({ audit: resources(log).audit })
    await r.run()
    assert.deepEqual(await r.finish(new Error('handler failed')), [])
    assert.deepEqual(log.slice(3), ['db:rollback(handler failed)', 'db:close'])
  })

  test('finish() is idempotent and a no-op without generators', async () => {
    const log: string[] = []
    const r = resolution({ db: resources(log).db })
    await r.run()
    await r.finish()
    await r.finish()
    assert.equal(log.filter((entry) => entry === 'db:close').length, 1)
    const plain = resolution({ one: dependency(() => 1) })
    plain.run()
    assert.equal(plain.needsCleanup, false)
    assert.deepEqual(await plain.finish(), [])
  })

  test('reports cleanup errors and extra yields as failures, and still runs the rest', async () => {
    const log: string[] = []
    const first = dependency(function* first() {
      yield 1
      log.push('first:close')
    })
    const broken = dependency(async function* broken() {
      yield 2
      throw new Error('cleanup broke')
    })
    const twice = dependency(function* twice() {
      yield 3
      yield 4
    })
    const r = resolution({ first, broken, twice })
    assert.deepEqual(await r.run(), { first: 1, broken: 2, twice: 3 })
    const failures = await r.finish()
    assert.deepEqual(
      failures.map((f) => [f.dependency, (f.error as Error).message]),
      [
        ['twice', 'A generator dependency yielded more than once'],
        ['broken', 'cleanup broke'],
      ],
    )
    assert.deepEqual(log, ['first:close'])
  })

  test('a generator that returns without yielding is a GH_ERR_DEP_INVALID error', async () => {
    // eslint-disable-next-line require-yield
    const empty = dependency(function* empty() {
      return 1
    })
    assert.throws(() => resolution({ empty }).run(), {
      code: 'GH_ERR_DEP_INVALID',
      message: 'Dependency "empty" returned without yielding a value',
    })
  })

  test('a generator that throws before yielding fails the request (sync and async)', async () => {
    const sync = dependency(function* sync() {
      throw new Error('setup failed')
    })
    const later = dependency(async function* later() {
      throw new Error('async setup failed')
    })
    assert.throws(() => resolution({ sync }).run(), { message: 'setup failed' })
    await assert.rejects(resolution({ later }).run() as Promise<unknown>, {
      message: 'async setup failed',
    })
  })

  test('generators set up before a failing step are cleaned up with that error', async () => {
    const log: string[] = []
    const { db } = resources(log)
    const failing = dependency({ db }, () => {
      throw new Error('401')
    })
    const r = resolution({ failing })
    await assert.rejects(r.run() as Promise<unknown>, { message: '401' })
    await r.finish(new Error('401'))
    assert.deepEqual(log, ['db:open', 'db:rollback(401)', 'db:close'])
  })
})
