import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { NotAuthenticated } from '../security/index.js'
import { Depends, Security, anyOf, dependency } from './dependency.js'
import { compilePlan } from './plan.js'
import { Resolution } from './resolve.js'
import { HeaderScheme, fakeExchange } from './test-support.js'

function resolve(deps: Parameters<typeof compilePlan>[0], headers: Record<string, string> = {}) {
  const { request, reply } = fakeExchange(headers)
  const resolution = new Resolution(compilePlan(deps), request, reply)
  return { resolution, result: () => resolution.run() }
}

describe('Resolution: values and caching', () => {
  test('all-sync graphs resolve synchronously, without a Promise', () => {
    const key = new HeaderScheme('x-key')
    const upper = dependency({ key }, ({ key }) => key.toUpperCase())
    const { result } = resolve({ key, upper }, { 'x-key': 'abc' })
    const values = result()
    assert.ok(!(values instanceof Promise))
    assert.deepEqual(values, { key: 'abc', upper: 'ABC' })
  })

  test('an async step switches to a Promise and keeps going', async () => {
    const key = new HeaderScheme('x-key')
    const slow = dependency({ key }, async ({ key }) => `${key}!`)
    const after = dependency({ slow, key }, ({ slow, key }) => `${slow}${key}`)
    const values = resolve({ slow, after, key }, { 'x-key': 'k' }).result()
    assert.ok(values instanceof Promise)
    assert.deepEqual(await values, { slow: 'k!', after: 'k!k', key: 'k' })
  })

  test('a thenable returned by a sync function is awaited', async () => {
    const thenable = dependency(() => ({ then: (resolve: (v: number) => void) => resolve(7) }))
    assert.deepEqual(await resolve({ thenable }).result(), { thenable: 7 })
  })

  test('a dependency shared by several others runs once per request', async () => {
    let calls = 0
    const shared = dependency(async () => ++calls)
    const a = dependency({ shared }, ({ shared }) => shared)
    const b = dependency({ shared }, ({ shared }) => shared)
    assert.deepEqual(await resolve({ a, b, shared }).result(), { a: 1, b: 1, shared: 1 })
    assert.equal(calls, 1)
    await resolve({ a, b }).result()
    assert.equal(calls, 2, 'the cache is per request')
  })

  test('useCache: false runs the dependency again for that use', () => {
    let calls = 0
    const counter = dependency(() => ++calls)
    const values = resolve({
      a: counter,
      b: Depends(counter, { useCache: false }),
      c: counter,
    }).result()
    assert.deepEqual(values, { a: 1, b: 2, c: 1 })
  })

  test('an optional scheme without credentials resolves to undefined', () => {
    const key = new HeaderScheme('x-key', { optional: true })
    const seen = dependency({ key }, ({ key }) => key ?? 'anonymous')
    assert.deepEqual(resolve({ key, seen }).result(), { key: undefined, seen: 'anonymous' })
  })

  test('the context carries request, reply and the accumulated securityScopes', () => {
    const { request, reply } = fakeExchange()
    const probe = dependency((_values, context) => context)
    const outer = dependency({ probe: Security(probe, ['b']) }, ({ probe }) => probe)
    const resolution = new Resolution(compilePlan({ o: Security(outer, ['a']) }), request, reply)
    const { o } = resolution.run() as {
      o: { request: unknown; reply: unknown; securityScopes: { scopes: string[] } }
    }
    assert.equal(o.request, request)
    assert.equal(o.reply, reply)
    assert.deepEqual(o.securityScopes.scopes, ['a', 'b'])
  })
})

describe('Resolution: sync and async steps', () => {
  /** A three-level graph with a shared dependency; `async[i]` makes level i async. */
  function mixedGraph(async: readonly boolean[], calls: string[]) {
    const key = new HeaderScheme('x-key')
    const step = <T>(name: string, level: number, value: () => T) =>
      async[level] === true
        ? async () => {
            calls.push(name)
            return value()
          }
        : () => {
            calls.push(name)
            return value()
          }
    const base = dependency({ key }, (v) => step('base', 0, () => `b(${v.key})`)())
    const left = dependency({ base }, (v) => step('left', 1, () => `l(${v.base})`)())
    const right = dependency({ base, key }, (v) =>
      step('right', 1, () => `r(${v.base},${v.key})`)(),
    )
    const top = dependency({ left, right }, (v) => step('top', 2, () => `${v.left}+${v.right}`)())
    return { top, right, key }
  }

  test('every mix of sync and async levels: the same values, calls in the same order', async () => {
    const expected = { top: 'l(b(k))+r(b(k),k)', right: 'r(b(k),k)', key: 'k' }
    for (let mask = 0; mask < 8; mask++) {
      const calls: string[] = []
      const async = [0, 1, 2].map((level) => (mask & (1 << level)) !== 0)
      const values = resolve(mixedGraph(async, calls), { 'x-key': 'k' }).result()
      assert.equal(values instanceof Promise, mask !== 0, `mask ${mask}`)
      assert.deepEqual(await values, expected, `mask ${mask}`)
      assert.deepEqual(calls, ['base', 'left', 'right', 'top'], `mask ${mask}`)
    }
  })

  test('an async failure stops the resolution: later steps never run', async () => {
    const calls: string[] = []
    const failing = dependency(async () => {
      calls.push('failing')
      throw new Error('boom')
    })
    const later = dependency(() => calls.push('later'))
    await assert.rejects(resolve({ failing, later }).result() as Promise<unknown>, {
      message: 'boom',
    })
    assert.deepEqual(calls, ['failing'])
  })

  test('anyOf() chooses once, also when the chosen alternative is async', async () => {
    const a = new HeaderScheme('x-a')
    const b = new HeaderScheme('x-b')
    const fromB = dependency({ b }, async ({ b }) => `b:${b}`)
    const values = resolve({ who: anyOf(a, fromB) }, { 'x-a': 'malformed', 'x-b': '2' }).result()
    assert.deepEqual(await values, { who: 'b:2' })
    assert.equal(a.reads, 1)
    assert.equal(b.reads, 1)
  })
})

describe('Resolution.runWith(): the callback form', () => {
  function settle(deps: Parameters<typeof compilePlan>[0], headers: Record<string, string> = {}) {
    const { resolution } = resolve(deps, headers)
    const calls: [values: unknown, error: unknown, state: string][] = []
    const settled = new Promise<void>((done) => {
      resolution.runWith((from, values, error, state: string) => {
        assert.equal(from, resolution)
        calls.push([values, error, state])
        done()
      }, 'state')
    })
    return { calls, settled }
  }

  test('sync graphs settle before runWith() returns; async ones once, later', async () => {
    const key = new HeaderScheme('x-key')
    const sync = settle({ key }, { 'x-key': 'k' })
    assert.deepEqual(sync.calls, [[{ key: 'k' }, undefined, 'state']])
    const later = settle({ slow: dependency(async () => 1) })
    assert.deepEqual(later.calls, [])
    await later.settled
    assert.deepEqual(later.calls, [[{ slow: 1 }, undefined, 'state']])
  })

  test('failures settle with undefined values and the thrown value, sync or async', async () => {
    const key = new HeaderScheme('x-key')
    const sync = settle({ key })
    assert.equal(sync.calls[0]?.[0], undefined)
    assert.ok(sync.calls[0]?.[1] instanceof NotAuthenticated)
    const rejected = settle({ slow: dependency(async () => Promise.reject(undefined)) })
    await rejected.settled
    assert.deepEqual(rejected.calls, [[undefined, undefined, 'state']])
  })
})

describe('Resolution: rejections', () => {
  test('a missing required credential: NotAuthenticated challenged by that scheme', () => {
    const key = new HeaderScheme('x-key')
    const other = new HeaderScheme('x-other', { optional: true })
    const dep = dependency({ other, key }, () => 1)
    const { resolution, result } = resolve({ dep })
    assert.throws(result, (error: unknown) => {
      assert.ok(error instanceof NotAuthenticated)
      assert.deepEqual(error.schemes, [key])
      return true
    })
    assert.deepEqual(resolution.challengeSchemes, [key])
  })

  test('the innermost failing step names the schemes to challenge', async () => {
    const a = new HeaderScheme('x-a')
    const b = new HeaderScheme('x-b')
    const failing = dependency({ a }, async () => {
      throw new Error('boom')
    })
    const outer = dependency({ b, failing }, () => 1)
    const { resolution, result } = resolve({ outer }, { 'x-a': '1', 'x-b': '2' })
    await assert.rejects(result() as Promise<unknown>, { message: 'boom' })
    assert.deepEqual(resolution.challengeSchemes, [a])
  })

  test('sync throws of dependencies and malformed credentials propagate as they are', () => {
    const key = new HeaderScheme('x-key')
    const thrower = dependency(() => {
      throw new TypeError('sync')
    })
    assert.throws(resolve({ thrower }).result, { name: 'TypeError', message: 'sync' })
    assert.throws(resolve({ key }, { 'x-key': 'malformed' }).result, { name: 'InvalidRequest' })
  })
})

describe('Resolution: anyOf()', () => {
  test('uses the first alternative whose credentials are present, reading each once', () => {
    const a = new HeaderScheme('x-a')
    const b = new HeaderScheme('x-b')
    const fromA = dependency({ a }, ({ a }) => `a:${a}`)
    const fromB = dependency({ b }, ({ b }) => `b:${b}`)
    assert.deepEqual(resolve({ who: anyOf(fromA, fromB) }, { 'x-b': '2' }).result(), { who: 'b:2' })
    assert.deepEqual(resolve({ who: anyOf(fromA, fromB) }, { 'x-a': '1', 'x-b': '2' }).result(), {
      who: 'a:1',
    })
    assert.equal(a.reads, 2)
  })

  test('none present: NotAuthenticated challenged by every alternative', () => {
    const a = new HeaderScheme('x-a')
    const b = new HeaderScheme('x-b')
    const { resolution, result } = resolve({ who: anyOf(a, b) })
    assert.throws(result, (error: unknown) => error instanceof NotAuthenticated)
    assert.deepEqual(resolution.challengeSchemes, [a, b])
  })

  test('a malformed credential loses to a present one, and is the error when alone', () => {
    const a = new HeaderScheme('x-a')
    const b = new HeaderScheme('x-b')
    assert.deepEqual(resolve({ who: anyOf(a, b) }, { 'x-a': 'malformed', 'x-b': 'ok' }).result(), {
      who: 'ok',
    })
    assert.throws(resolve({ who: anyOf(a, b) }, { 'x-a': 'malformed' }).result, {
      name: 'InvalidRequest',
    })
  })

  test('an alternative without required credentials is always present', async () => {
    const a = new HeaderScheme('x-a')
    const anonymous = dependency(async () => 'anonymous')
    assert.deepEqual(await resolve({ who: anyOf(a, anonymous) }).result(), { who: 'anonymous' })
  })

  test('nested alternatives count as present when one of theirs is', () => {
    const a = new HeaderScheme('x-a')
    const b = new HeaderScheme('x-b')
    const c = new HeaderScheme('x-c')
    const nested = dependency({ inner: anyOf(b, c) }, ({ inner }) => `nested:${inner}`)
    assert.deepEqual(resolve({ who: anyOf(a, nested) }, { 'x-c': '3' }).result(), {
      who: 'nested:3',
    })
    assert.throws(
      resolve({ who: anyOf(a, nested) }).result,
      (e: unknown) => e instanceof NotAuthenticated,
    )
  })
})
