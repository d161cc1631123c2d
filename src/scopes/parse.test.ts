import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ScopeSyntaxError } from './errors.js'
import { formatScope, isScopeToken, parseScope, tryParseScope } from './parse.js'

const tokenChar = fc.constantFrom(
  ...Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).filter(
    (c) => c !== '"' && c !== '\\',
  ),
)
const token = fc.string({ unit: tokenChar, minLength: 1, maxLength: 12 })

function syntaxErrorOf(input: string): ScopeSyntaxError {
  try {
    parseScope(input)
  } catch (err) {
    assert.ok(err instanceof ScopeSyntaxError)
    return err
  }
  assert.fail(`expected ${JSON.stringify(input)} to be rejected`)
}

describe('parseScope', () => {
  it('splits on single spaces, dedupes and keeps first-seen order', () => {
    assert.deepEqual(parseScope('write read write admin read'), ['write', 'read', 'admin'])
  })

  it('parses the empty string as the empty scope', () => {
    assert.deepEqual(parseScope(''), [])
  })

  it('accepts every allowed character class: ! # [ ] ~ and :', () => {
    assert.deepEqual(parseScope('! #[]~ items:read'), ['!', '#[]~', 'items:read'])
  })

  it('rejects double, leading and trailing spaces: empty-token with its offset', () => {
    for (const [input, index] of [
      ['read  write', 5],
      [' read', 0],
      ['read ', 5],
      [' ', 0],
    ] as const) {
      const err = syntaxErrorOf(input)
      assert.equal(err.reason, 'empty-token')
      assert.equal(err.index, index)
      assert.equal(err.code, 'GH_ERR_SCOPE_INVALID')
    }
  })

  it('rejects " and \\ and control and non-ASCII characters: invalid-character', () => {
    for (const [input, index, shown] of [
      ['read "x"', 5, '"""'],
      ['a\\b', 1, '"\\"'],
      ['read\twrite', 4, 'U+0009'],
      ['lecture-é', 8, 'U+00E9'],
    ] as const) {
      const err = syntaxErrorOf(input)
      assert.equal(err.reason, 'invalid-character')
      assert.equal(err.index, index)
      assert.equal(
        err.message,
        `Invalid scope: character ${shown} at offset ${index} is not allowed in a scope-token`,
      )
    }
  })

  it('rejects a non-string with not-a-string', () => {
    assert.equal(syntaxErrorOf(42 as unknown as string).reason, 'not-a-string')
  })

  it('dedupes a hostile 100k-token scope string in linear time', () => {
    // Linear: well under 100 ms. The quadratic includes() dedupe this replaced took minutes.
    const scope = Array.from({ length: 100_000 }, (_, i) => `s${i}`).join(' ')
    const started = performance.now()
    assert.equal(parseScope(`${scope} s0`).length, 100_000)
    assert.ok(performance.now() - started < 2000, 'quadratic dedupe')
  })

  it('tryParseScope returns undefined instead of throwing', () => {
    assert.equal(tryParseScope('a  b'), undefined)
    assert.deepEqual(tryParseScope('a b'), ['a', 'b'])
  })
})

describe('isScopeToken', () => {
  it('accepts tokens and rejects empty, spaced or non-string values', () => {
    assert.equal(isScopeToken('items:read'), true)
    assert.equal(isScopeToken(''), false)
    assert.equal(isScopeToken('a b'), false)
    assert.equal(isScopeToken('a"'), false)
    assert.equal(isScopeToken(1), false)
  })
})

describe('formatScope', () => {
  it('joins with single spaces and dedupes', () => {
    assert.equal(formatScope(['read', 'write', 'read']), 'read write')
    assert.equal(formatScope(new Set<string>()), '')
  })

  it('rejects an element that is not a scope-token', () => {
    assert.throws(() => formatScope(['read', 'a b']), { reason: 'invalid-character' })
    assert.throws(() => formatScope(['']), { reason: 'empty-token' })
    assert.throws(() => formatScope([3 as unknown as string]), { reason: 'not-a-string' })
  })
})

describe('properties', () => {
  it('format then parse round-trips any token list (deduped, order kept)', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), (tokens) => {
        assert.deepEqual(parseScope(formatScope(tokens)), [...new Set(tokens)])
      }),
    )
  })

  it('parse then format is the identity on duplicate-free scope strings', () => {
    fc.assert(
      fc.property(fc.uniqueArray(token, { maxLength: 8 }), (tokens) => {
        const scope = tokens.join(' ')
        assert.equal(formatScope(parseScope(scope)), scope)
      }),
    )
  })

  it('any string either parses into valid tokens or throws ScopeSyntaxError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (input) => {
        const result = tryParseScope(input)
        if (result === undefined) assert.ok(syntaxErrorOf(input))
        else assert.ok(result.every(isScopeToken))
      }),
    )
  })
})
