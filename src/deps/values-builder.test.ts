import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { describe, test } from 'node:test'
import { compileValuesBuilder } from './values-builder.js'

const ODD_KEYS = ['a"b', 'back\\slash', 'line\u2028separator', '0', 'constructor', '__proto__']
const ODD_SLOTS = ['q', 'b', 'l', 'z', 'c', 'p']
/** Integer-like keys come first in any JS object; the others keep their order. */
const ODD_ENTRIES = [
  ['0', 'z'],
  ['a"b', 'q'],
  ['back\\slash', 'b'],
  ['line\u2028separator', 'l'],
  ['constructor', 'c'],
  ['__proto__', 'p'],
]

describe('compileValuesBuilder()', () => {
  test('reads each key from its slot, in key order', () => {
    const build = compileValuesBuilder(['token', 'user', 'again'], [2, 0, 2])
    const values = build(['u', 'unused', 't'])
    assert.deepEqual(values, { token: 't', user: 'u', again: 't' })
    assert.deepEqual(Object.keys(values), ['token', 'user', 'again'])
  })

  test('a fresh object per call, undefined values kept as own keys', () => {
    const build = compileValuesBuilder(['key'], [0])
    const first = build([undefined])
    assert.notEqual(first, build([undefined]))
    assert.ok(Object.hasOwn(first, 'key'))
  })

  test('keys that need escaping, and __proto__, become plain own properties', () => {
    const build = compileValuesBuilder(ODD_KEYS, [0, 1, 2, 3, 4, 5])
    const values = build(ODD_SLOTS)
    assert.deepEqual(Object.entries(values), ODD_ENTRIES)
    assert.equal(Object.getPrototypeOf(values), Object.prototype)
  })

  test('without code generation (--disallow-code-generation-from-strings): the same values', () => {
    const module = JSON.stringify(new URL('./values-builder.ts', import.meta.url).href)
    const script = [
      `import { compileValuesBuilder } from ${module}`,
      `let generated = true`,
      `try { new Function('') } catch { generated = false }`,
      `const build = compileValuesBuilder(${JSON.stringify(ODD_KEYS)}, [0, 1, 2, 3, 4, 5])`,
      `const values = build(${JSON.stringify(ODD_SLOTS)})`,
      `const plain = Object.getPrototypeOf(values) === Object.prototype`,
      `console.log(JSON.stringify({ generated, entries: Object.entries(values), plain }))`,
    ].join('\n')
    const flags = ['--disallow-code-generation-from-strings', '--import', 'tsx']
    const output = execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
      encoding: 'utf8',
    })
    assert.deepEqual(JSON.parse(output), { generated: false, entries: ODD_ENTRIES, plain: true })
  })
})
