import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ScopeRegistry } from '../scopes/index.js'
import { APIKeyHeader, HTTPBasic, OAuth2PasswordBearer, OpenIdConnect } from '../security/index.js'
import { Depends, Security, anyOf, anyScope, dependency, type Dependency } from './dependency.js'
import { compilePlan, compileTarget } from './plan.js'

const oauth2 = new OAuth2PasswordBearer({ tokenUrl: 'token', scopes: { a: 'A', b: 'B', c: 'C' } })
const apiKey = new APIKeyHeader({ name: 'x-api-key' })
const basic = new HTTPBasic()
const optionalKey = new APIKeyHeader({ name: 'x-opt', optional: true, schemeName: 'OptionalKey' })
const oidc = new OpenIdConnect({
  openIdConnectUrl: 'https://issuer.example/.well-known/openid-configuration',
})

const user = dependency({ token: oauth2 }, ({ token }) => token, { name: 'user' })

describe('compilePlan(): nodes, cache slots and scopes', () => {
  test('a dependency used twice with the same scopes is one node (one slot)', () => {
    const a = dependency({ u: user }, ({ u }) => u)
    const b = dependency({ u: user }, ({ u }) => u)
    const plan = compilePlan({ a, b })
    assert.deepEqual(plan.keys, ['a', 'b'])
    // oauth2, user, a, b
    assert.equal(plan.slotCount, 4)
    const [nodeA, nodeB] = plan.roots
    assert.ok(nodeA?.kind === 'dependency' && nodeB?.kind === 'dependency')
    assert.equal(nodeA.inputs[0], nodeB.inputs[0])
  })

  test('different accumulated scopes make different nodes; useCache: false always a new one', () => {
    const plan = compilePlan({
      x: Security(user, ['a']),
      y: Security(user, ['b']),
      z: Security(user, ['a']),
      w: Depends(user, { useCache: false }),
    })
    const slots = plan.roots.map((node) => node.slot)
    assert.equal(new Set(slots).size, 3)
    assert.equal(plan.roots[0], plan.roots[2])
    assert.notEqual(plan.roots[3], plan.roots[0])
    assert.deepEqual(plan.scopes, ['a', 'b'])
  })

  test('the cache key is the set of scopes, not their order (FastAPI)', () => {
    const outer1 = dependency({ u: Security(user, ['a', 'b']) }, ({ u }) => u)
    const outer2 = dependency({ u: Security(user, ['b', 'a']) }, ({ u }) => u)
    const plan = compilePlan({ outer1, outer2 })
    const [n1, n2] = plan.roots
    assert.ok(n1?.kind === 'dependency' && n2?.kind === 'dependency')
    assert.equal(n1.inputs[0], n2.inputs[0])
  })

  test('scopes accumulate from the route inward, outermost first, duplicates dropped', () => {
    const inner = dependency({ token: Security(oauth2, ['c', 'a']) }, ({ token }) => token)
    const middle = dependency({ inner: Security(inner, ['b']) }, ({ inner }) => inner)
    const plan = compilePlan({ m: Security(middle, ['a']) })
    const m = plan.roots[0]
    assert.ok(m?.kind === 'dependency')
    const i = m.inputs[0]
    assert.ok(i?.kind === 'dependency')
    const scheme = i.inputs[0]
    assert.ok(scheme?.kind === 'scheme')
    assert.deepEqual(m.securityScopes.scopes, ['a'])
    assert.deepEqual(i.securityScopes.scopes, ['a', 'b'])
    assert.deepEqual(scheme.securityScopes.scopes, ['a', 'b', 'c'])
    assert.equal(scheme.securityScopes.scopeStr, 'a b c')
  })

  test('collects schemes in first-use order and notes generator dependencies', () => {
    const cleanup = dependency({ key: apiKey }, function* ({ key }) {
      yield key
    })
    const plan = compilePlan({ u: user, c: cleanup, b: basic })
    assert.deepEqual(plan.schemes, [oauth2, apiKey, basic])
    assert.equal(plan.hasCleanup, true)
    assert.equal(compilePlan({ u: user }).hasCleanup, false)
  })

  test('anyOf() nodes know what each alternative needs to be chosen', () => {
    const both = dependency({ key: apiKey, opt: optionalKey, b: basic }, () => 1)
    const plan = compilePlan({ who: anyOf(user, both, anyOf(apiKey, basic)) })
    const node = plan.roots[0]
    assert.ok(node?.kind === 'any-of')
    assert.deepEqual(
      node.presence.map((p) => p.schemes.map((s) => s.scheme)),
      [[oauth2], [apiKey, basic], []],
    )
    assert.equal(node.presence[2]?.anyOfs.length, 1)
    assert.deepEqual(node.schemes, [oauth2, apiKey, optionalKey, basic])
  })

  test('a cycle through lazy inputs fails: GH_ERR_DEP_CYCLE naming the path', () => {
    const a: Dependency<number> = dependency(
      () => ({ b }),
      () => 1,
      { name: 'a' },
    )
    const b: Dependency<number> = dependency(
      () => ({ c }),
      () => 1,
      { name: 'b' },
    )
    const c: Dependency<number> = dependency(
      () => ({ a }),
      () => 1,
      { name: 'c' },
    )
    assert.throws(() => compilePlan({ x: user, y: a }, { where: 'route GET /x' }), {
      name: 'GatehouseConfigError',
      code: 'GH_ERR_DEP_CYCLE',
      message: 'Dependency cycle in route GET /x: a -> b -> c -> a',
    })
    const self: Dependency<number> = dependency(
      () => ({ self }),
      () => 1,
      { name: 'self' },
    )
    assert.throws(() => compilePlan({ s: self }), {
      code: 'GH_ERR_DEP_CYCLE',
      message: 'Dependency cycle in dependency graph: self -> self',
    })
  })

  test('rejects a deps entry that is no input: GH_ERR_DEP_INVALID', () => {
    assert.throws(() => compilePlan({ x: 5 } as never, { where: 'route GET /' }), {
      code: 'GH_ERR_DEP_INVALID',
      message: 'route GET /: "x" is not a scheme or dependency',
    })
  })

  test('compileTarget() compiles one target with given scopes (used by overrides)', () => {
    const plan = compileTarget(user, [{ mode: 'all', scopes: ['a'] }], {
      registry: new ScopeRegistry(),
    })
    assert.deepEqual(plan.keys, ['value'])
    assert.deepEqual(plan.roots[0]?.securityScopes.scopes, ['a'])
    assert.deepEqual(plan.requirements, [{ OAuth2PasswordBearer: ['a'] }])
  })
})

describe('requirements: the OpenAPI security array', () => {
  test('no scheme: undefined', () => {
    assert.equal(compilePlan({ d: dependency(() => 1) }).requirements, undefined)
    assert.equal(compilePlan({}).requirements, undefined)
  })

  test('a scoped scheme lists the accumulated scopes; other schemes list []', () => {
    const plan = compilePlan({ u: Security(user, ['a']), k: apiKey })
    assert.deepEqual(plan.requirements, [{ OAuth2PasswordBearer: ['a'], APIKeyHeader: [] }])
  })

  test('AND within a dependency is one object; anyOf() is one object per alternative', () => {
    const both = dependency({ key: apiKey, b: basic }, () => 1)
    const plan = compilePlan({ who: anyOf(Security(user, ['b']), both), also: oidc })
    assert.deepEqual(plan.requirements, [
      { OAuth2PasswordBearer: ['b'], OpenIdConnect: [] },
      { APIKeyHeader: [], HTTPBasic: [], OpenIdConnect: [] },
    ])
  })

  test('anyScope() is one requirement per scope, multiplied by all-of scopes', () => {
    const inner = dependency({ token: Security(oauth2, anyScope('b', 'c')) }, ({ token }) => token)
    const plan = compilePlan({ u: Security(inner, ['a']) })
    assert.deepEqual(plan.requirements, [
      { OAuth2PasswordBearer: ['a', 'b'] },
      { OAuth2PasswordBearer: ['a', 'c'] },
    ])
  })

  test('an optional scheme adds the empty requirement {}', () => {
    const plan = compilePlan({ k: optionalKey })
    assert.deepEqual(plan.requirements, [{ OptionalKey: [] }, {}])
    const mixed = compilePlan({ k: optionalKey, b: basic })
    assert.deepEqual(mixed.requirements, [{ OptionalKey: [], HTTPBasic: [] }, { HTTPBasic: [] }])
  })

  test('the same scheme reached twice merges its scopes; duplicates collapse', () => {
    const one = dependency({ t: Security(oauth2, ['a']) }, ({ t }) => t)
    const two = dependency({ t: Security(oauth2, ['b']) }, ({ t }) => t)
    const plan = compilePlan({ one, two, again: anyOf(apiKey, apiKey) })
    assert.deepEqual(plan.requirements, [{ OAuth2PasswordBearer: ['a', 'b'], APIKeyHeader: [] }])
  })
})
