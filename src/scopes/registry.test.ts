import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { GatehouseConfigError } from '../errors.js'
import { ScopeRegistry } from './registry.js'

const model = new ScopeRegistry({
  read: 'Read access',
  write: { description: 'Write access', implies: ['read'] },
  admin: { description: 'Admin access', implies: ['write'] },
})

const items = new ScopeRegistry({
  'items:*': 'All item access',
  'items:read': 'Read items',
  'items:write': { description: 'Write items', implies: ['items:read'] },
  'items:read:own': 'Read own items',
  users: 'Users',
})

function configErrorOf(fn: () => unknown): GatehouseConfigError {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof GatehouseConfigError)
    return err
  }
  assert.fail('expected a GatehouseConfigError')
}

describe('ScopeRegistry: lookups', () => {
  it('knows its scopes and their descriptions, in registration order', () => {
    assert.equal(model.has('admin'), true)
    assert.equal(model.has('root'), false)
    assert.equal(model.describe('write'), 'Write access')
    assert.equal(model.describe('root'), undefined)
    assert.deepEqual(model.names(), ['read', 'write', 'admin'])
    assert.equal(model.size, 3)
  })

  it('entries() lists direct and closed implications', () => {
    assert.deepEqual(model.entries(), [
      { name: 'read', description: 'Read access', implies: [], implied: [] },
      { name: 'write', description: 'Write access', implies: ['read'], implied: ['read'] },
      {
        name: 'admin',
        description: 'Admin access',
        implies: ['write'],
        implied: ['write', 'read'],
      },
    ])
  })

  it('is frozen', () => {
    assert.equal(Object.isFrozen(model), true)
    assert.equal(Object.isFrozen(model.entries()[2]), true)
  })

  it('from() passes a registry through and builds one from a record', () => {
    assert.equal(ScopeRegistry.from(model), model)
    assert.deepEqual(ScopeRegistry.from({ a: 'A' }).names(), ['a'])
    assert.equal(ScopeRegistry.from(undefined).size, 0)
  })
})

describe('ScopeRegistry: implication', () => {
  it('expand() closes over implies transitively and keeps unknown scopes', () => {
    assert.deepEqual([...model.expand(['admin'])], ['admin', 'write', 'read'])
    assert.deepEqual([...model.expand(['read', 'other'])], ['read', 'other'])
  })

  it('tolerates cycles', () => {
    const cyclic = new ScopeRegistry({
      a: { description: 'A', implies: ['b'] },
      b: { description: 'B', implies: ['a'] },
    })
    assert.deepEqual([...cyclic.expand(['a'])], ['a', 'b'])
    assert.equal(cyclic.satisfies(['b'], ['a']), true)
  })

  it('a registered wildcard p:* implies every registered p:<x>, nested ones too', () => {
    assert.deepEqual([...items.expand(['items:*'])].sort(), [
      'items:*',
      'items:read',
      'items:read:own',
      'items:write',
    ])
    assert.equal(items.satisfies(['items:*'], ['users']), false)
  })

  it('implying a wildcard implies everything under it', () => {
    const registry = new ScopeRegistry({
      'items:read': 'Read items',
      'items:write': 'Write items',
      'items:*': 'All items',
      admin: { description: 'Admin', implies: ['items:*'] },
    })
    assert.deepEqual(
      [...registry.expand(['admin'])],
      ['admin', 'items:*', 'items:read', 'items:write'],
    )
    assert.equal(
      registry.toOpenAPIScopes().admin,
      'Admin (implies items:*, items:read, items:write)',
    )
  })

  it('an unregistered granted wildcard still implies registered scopes under its prefix', () => {
    assert.deepEqual([...items.expand(['items:read:*'])], ['items:read:*', 'items:read:own'])
    assert.deepEqual([...items.expand(['nothing:*'])], ['nothing:*'])
  })

  it('satisfies() in all and any modes; empty required is satisfied', () => {
    assert.equal(model.satisfies(['admin'], ['read', 'write']), true)
    assert.equal(model.satisfies(['write'], ['read', 'admin']), false)
    assert.equal(model.satisfies(['write'], ['read', 'admin'], 'any'), true)
    assert.equal(model.satisfies(['read'], ['write', 'admin'], 'any'), false)
    assert.equal(model.satisfies([], []), true)
    assert.equal(model.satisfies([], [], 'any'), true)
    assert.equal(model.satisfies(new Set(['admin']), new Set(['read'])), true)
  })

  it('missing() lists uncovered required scopes once, in order', () => {
    assert.deepEqual(model.missing(['write'], ['admin', 'read', 'admin', 'x']), ['admin', 'x'])
    assert.deepEqual(model.missing(['admin'], ['read']), [])
  })

  it('property: satisfies(g, r) is exactly r ⊆ expand(g)', () => {
    const name = fc.constantFrom('read', 'write', 'admin', 'other')
    fc.assert(
      fc.property(fc.array(name), fc.array(name), (granted, required) => {
        const expanded = model.expand(granted)
        assert.equal(
          model.satisfies(granted, required),
          required.every((s) => expanded.has(s)),
        )
        assert.equal(
          model.missing(granted, required).length === 0,
          model.satisfies(granted, required),
        )
      }),
    )
  })
})

describe('ScopeRegistry: OpenAPI', () => {
  it('toOpenAPIScopes() mentions implications in the description', () => {
    assert.deepEqual(model.toOpenAPIScopes(), {
      read: 'Read access',
      write: 'Write access (implies read)',
      admin: 'Admin access (implies write, read)',
    })
  })
})

describe('ScopeRegistry: assertKnown', () => {
  it('passes for registered scopes', () => {
    model.assertKnown(['read', 'admin'], 'route GET /x')
  })

  it('names the scope and the place, and suggests a near typo', () => {
    const err = configErrorOf(() => model.assertKnown(['read', 'admn'], 'route GET /admin/'))
    assert.equal(err.code, 'GH_ERR_SCOPE_UNKNOWN')
    assert.equal(
      err.message,
      'Unknown scope "admn" in route GET /admin/. Did you mean "admin"? ' +
        'Registered scopes: read, write, admin.',
    )
  })

  it('gives no suggestion for a distant name, and says when nothing is registered', () => {
    assert.equal(
      configErrorOf(() => model.assertKnown(['billing'], 'dependency currentUser')).message,
      'Unknown scope "billing" in dependency currentUser. Registered scopes: read, write, admin.',
    )
    assert.equal(
      configErrorOf(() => new ScopeRegistry().assertKnown(['x'], 'here')).message,
      'Unknown scope "x" in here. Registered scopes: none.',
    )
  })
})

describe('ScopeRegistry: constructor validation', () => {
  const cases: [string, unknown, string, string][] = [
    [
      'non-object',
      'read',
      'GH_ERR_SCOPE_INVALID',
      '`scopes` must be an object of scope name to description, got string',
    ],
    [
      'array',
      [],
      'GH_ERR_SCOPE_INVALID',
      '`scopes` must be an object of scope name to description, got array',
    ],
    [
      'bad name',
      { 'a b': 'x' },
      'GH_ERR_SCOPE_INVALID',
      'Scope name "a b" is not an RFC 6749 scope-token (visible ASCII except space, `"` and `\\`)',
    ],
    [
      'bad definition',
      { a: 1 },
      'GH_ERR_SCOPE_INVALID',
      'Scope "a" must be a description string or { description, implies }, got number',
    ],
    [
      'bad description',
      { a: { description: null } },
      'GH_ERR_SCOPE_INVALID',
      'Scope "a": `description` must be a string, got null',
    ],
    [
      'bad implies',
      { a: { description: 'A', implies: 'b' } },
      'GH_ERR_SCOPE_INVALID',
      'Scope "a": `implies` must be an array of scope names, got string',
    ],
    [
      'unknown implied',
      { read: 'R', admin: { description: 'A', implies: ['reed'] } },
      'GH_ERR_SCOPE_UNKNOWN',
      'Unknown scope "reed" in `implies` of scope "admin". Did you mean "read"?',
    ],
  ]
  for (const [label, input, code, message] of cases) {
    it(`rejects ${label}: ${code}`, () => {
      const err = configErrorOf(() => new ScopeRegistry(input as never))
      assert.equal(err.code, code)
      assert.equal(err.message, message)
    })
  }
})
