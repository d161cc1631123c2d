import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { APIKeyHeader } from '../security/index.js'
import {
  AnyOf,
  Dependency,
  DependencyUse,
  Depends,
  Security,
  anyOf,
  anyScope,
  assertDependencyInputs,
  dependency,
  isSecurityScheme,
} from './dependency.js'

const apiKey = new APIKeyHeader({ name: 'x-api-key' })

/** Asserts a GatehouseConfigError with the given code and message. */
function throwsConfig(fn: () => unknown, code: string, message: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.equal((error as { name: string }).name, 'GatehouseConfigError')
    assert.equal((error as { code: string }).code, code)
    if (typeof message === 'string') assert.equal((error as Error).message, message)
    else assert.match((error as Error).message, message)
    return true
  })
}

describe('dependency()', () => {
  test('records inputs, name and mode of plain, generator and async generator functions', () => {
    const plain = dependency({ key: apiKey }, function lookUp({ key }) {
      return key
    })
    const gen = dependency(function* () {
      yield 1
    })
    const asyncGen = dependency(async function* resource() {
      yield 1
    })
    assert.equal(plain.kind, 'dependency')
    assert.equal(plain.name, 'lookUp')
    assert.equal(plain.mode, 'value')
    assert.deepEqual(plain.inputs(), { key: apiKey })
    assert.equal(gen.mode, 'generator')
    assert.deepEqual(gen.inputs(), {})
    assert.equal(asyncGen.mode, 'async-generator')
    assert.equal(asyncGen.name, 'resource')
    assert.ok(Object.isFrozen(plain))
  })

  test('takes a name option, and names arrow functions from their binding or "anonymous"', () => {
    assert.equal(dependency(() => 1, { name: 'one' }).name, 'one')
    const named = (): number => 1
    assert.equal(dependency(named).name, 'named')
    assert.equal(
      dependency(
        {},
        (
          () => () =>
            1
        )(),
      ).name,
      'anonymous',
    )
  })

  test('calls the function with the values and the context', () => {
    const dep = dependency({ key: apiKey }, ({ key }, context) => [key, context])
    const context = { request: {}, reply: {}, securityScopes: {} } as never
    assert.deepEqual(dep.call({ key: 'k' }, context), ['k', context])
  })

  test('evaluates lazy inputs when they are read, so later declarations can be named', () => {
    const early = dependency(
      () => ({ late }),
      ({ late }) => late,
    )
    const late = dependency(() => 1)
    assert.deepEqual(early.inputs(), { late })
  })

  test('rejects a missing function: GH_ERR_DEP_INVALID', () => {
    throwsConfig(
      () => dependency({ key: apiKey } as never),
      'GH_ERR_DEP_INVALID',
      'dependency() needs a function, got Object',
    )
    throwsConfig(
      () => dependency(null as never),
      'GH_ERR_DEP_INVALID',
      'dependency() needs a function, got null',
    )
  })

  test('rejects inputs that are not schemes or dependencies when they are read', () => {
    const dep = dependency({ key: 'nope' } as never, () => 1, { name: 'bad' })
    throwsConfig(
      () => dep.inputs(),
      'GH_ERR_DEP_INVALID',
      'Dependency "bad" input "key": expected a scheme, dependency(), Security(), Depends() or anyOf(), got string',
    )
    const lazyArray = dependency((() => [apiKey]) as never, () => 1, { name: 'arr' })
    throwsConfig(
      () => lazyArray.inputs(),
      'GH_ERR_DEP_INVALID',
      'Dependency "arr": inputs must be an object, got array',
    )
  })
})

describe('Security() and Depends()', () => {
  const dep = dependency(() => 1)

  test('Security() adds an all-of scope group, deduplicated, and caches by default', () => {
    const use = Security(dep, ['a', 'b', 'a'])
    assert.ok(use instanceof DependencyUse)
    assert.equal(use.target, dep)
    assert.deepEqual(use.scopes, { mode: 'all', scopes: ['a', 'b'] })
    assert.equal(use.useCache, true)
    assert.ok(Object.isFrozen(use) && Object.isFrozen(use.scopes))
  })

  test('Security() takes any-of scopes from anyScope() or { mode: "any" }, and useCache', () => {
    assert.deepEqual(Security(dep, anyScope('a', 'b')).scopes, { mode: 'any', scopes: ['a', 'b'] })
    const use = Security(apiKey, ['a', 'b'], { mode: 'any', useCache: false })
    assert.deepEqual(use.scopes, { mode: 'any', scopes: ['a', 'b'] })
    assert.equal(use.useCache, false)
    assert.deepEqual(Security(dep).scopes, { mode: 'all', scopes: [] })
  })

  test('Depends() adds no scopes and carries useCache', () => {
    assert.deepEqual(Depends(dep).scopes, { mode: 'all', scopes: [] })
    assert.equal(Depends(dep).useCache, true)
    assert.equal(Depends(dep, { useCache: false }).useCache, false)
  })

  test('rejects scopes that are not scope tokens', () => {
    throwsConfig(
      () => Security(dep, ['a b']),
      'GH_ERR_DEP_INVALID',
      'Security() scopes must be scope tokens, got "a b"',
    )
    throwsConfig(
      () => Security(dep, ['']),
      'GH_ERR_DEP_INVALID',
      'Security() scopes must be scope tokens, got ""',
    )
    throwsConfig(
      () => anyScope(1 as never),
      'GH_ERR_DEP_INVALID',
      'Security() scopes must be scope tokens, got 1',
    )
    throwsConfig(
      () => Security(dep, 'admin' as never),
      'GH_ERR_DEP_INVALID',
      'Security() scopes must be an array of strings, got string',
    )
  })

  test('rejects targets that are not schemes, dependencies or anyOf(), and nested uses', () => {
    const message = /^Security\(\)\/Depends\(\) need a scheme, a dependency or anyOf\(\), got /
    throwsConfig(() => Security((() => 1) as never), 'GH_ERR_DEP_INVALID', message)
    throwsConfig(() => Depends(Depends(dep) as never), 'GH_ERR_DEP_INVALID', message)
    throwsConfig(
      () => Depends({} as never),
      'GH_ERR_DEP_INVALID',
      'Security()/Depends() need a scheme, a dependency or anyOf(), got Object',
    )
    throwsConfig(
      () => Depends(Object.create(null) as never),
      'GH_ERR_DEP_INVALID',
      'Security()/Depends() need a scheme, a dependency or anyOf(), got object',
    )
  })
})

describe('anyOf()', () => {
  test('keeps its alternatives in order, frozen', () => {
    const dep = dependency(() => 1)
    const alternatives = anyOf(apiKey, dep, Security(dep, ['a']))
    assert.ok(alternatives instanceof AnyOf)
    assert.equal(alternatives.kind, 'any-of')
    assert.equal(alternatives.alternatives.length, 3)
    assert.equal(alternatives.alternatives[0], apiKey)
    assert.ok(Object.isFrozen(alternatives.alternatives))
  })

  test('needs two valid alternatives', () => {
    throwsConfig(
      () => anyOf(apiKey),
      'GH_ERR_DEP_INVALID',
      'anyOf() needs at least two alternatives, got 1',
    )
    throwsConfig(
      () => anyOf(apiKey, 3 as never),
      'GH_ERR_DEP_INVALID',
      'anyOf(): expected a scheme, dependency(), Security(), Depends() or anyOf(), got number',
    )
  })
})

describe('helpers', () => {
  test('isSecurityScheme() recognises the contract brand', () => {
    assert.equal(isSecurityScheme(apiKey), true)
    assert.equal(isSecurityScheme({ kind: 'dependency' }), false)
    assert.equal(isSecurityScheme(null), false)
    assert.equal(isSecurityScheme(dependency(() => 1)), false)
  })

  test('assertDependencyInputs() checks a route deps record', () => {
    assert.doesNotThrow(() =>
      assertDependencyInputs({ key: apiKey, dep: new Dependency({}, () => 1) }, 'route GET /'),
    )
    throwsConfig(
      () => assertDependencyInputs([], 'route GET /'),
      'GH_ERR_DEP_INVALID',
      'route GET /: `deps` must be an object, got array',
    )
    throwsConfig(
      () => assertDependencyInputs({ a: undefined }, 'route GET /'),
      'GH_ERR_DEP_INVALID',
      'route GET / deps.a: expected a scheme, dependency(), Security(), Depends() or anyOf(), got undefined',
    )
  })
})
