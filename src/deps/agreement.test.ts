/**
 * Property: the OpenAPI `security` array and the resolver agree exactly. For random AND/OR trees
 * of schemes and random sets of present credentials, the resolver accepts the request iff some
 * requirement object has all of its schemes present.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { NotAuthenticated } from '../security/index.js'
import { anyOf, dependency, type DependencyInput } from './dependency.js'
import { compilePlan } from './plan.js'
import { Resolution } from './resolve.js'
import { HeaderScheme, fakeExchange } from './test-support.js'

const schemes = ['a', 'b', 'c', 'd'].map((name) => new HeaderScheme(`x-${name}`))
const optional = new HeaderScheme('x-optional', { optional: true })
const pool = [...schemes, optional]

type Tree = { scheme: number } | { all: Tree[] } | { any: Tree[] }

const tree = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ scheme: fc.nat({ max: pool.length - 1 }) }),
    fc.record({ all: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('tree'), { minLength: 2, maxLength: 3 }) }),
  ),
})).tree

function build(node: Tree): DependencyInput {
  if ('scheme' in node) return pool[node.scheme] as HeaderScheme
  if ('all' in node) {
    const inputs = Object.fromEntries(node.all.map((child, i) => [`in${i}`, build(child)]))
    return dependency(inputs, () => 'ok')
  }
  return anyOf(...node.any.map(build))
}

test('OpenAPI requirements accept exactly the credential sets the resolver accepts', () => {
  fc.assert(
    fc.property(tree, fc.subarray(pool.map((scheme) => scheme.name)), (shape, present) => {
      const plan = compilePlan({ root: build(shape) })
      const headers = Object.fromEntries(present.map((name) => [name, 'value']))
      const { request, reply } = fakeExchange(headers)
      let accepted: boolean
      try {
        const result = new Resolution(plan, request, reply).run()
        assert.ok(!(result instanceof Promise))
        accepted = true
      } catch (error) {
        assert.ok(error instanceof NotAuthenticated)
        accepted = false
      }
      const requirements = plan.requirements ?? [{}]
      const documented = requirements.some((requirement) =>
        Object.keys(requirement).every((name) => present.includes(name)),
      )
      assert.equal(accepted, documented, JSON.stringify({ shape, present, requirements }))
    }),
    { numRuns: 500 },
  )
})
