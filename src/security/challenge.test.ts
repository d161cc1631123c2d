import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { bearerChallenge, formatChallenge, quoteAuthParam } from './challenge.js'

/** A tiny RFC 7235 challenge parser: scheme, then name=quoted-string pairs. */
function parseChallenge(value: string): { scheme: string; params: Record<string, string> } {
  const space = value.indexOf(' ')
  const scheme = space === -1 ? value : value.slice(0, space)
  const params: Record<string, string> = {}
  let i = space === -1 ? value.length : space + 1
  while (i < value.length) {
    const eq = value.indexOf('=', i)
    const name = value.slice(i, eq)
    assert.equal(value[eq + 1], '"', 'values are always quoted')
    let out = ''
    let j = eq + 2
    for (; value[j] !== '"'; j++) {
      if (value[j] === '\\') j++
      out += value[j]
    }
    params[name] = out
    i = j + 1
    if (i < value.length) {
      assert.equal(value.slice(i, i + 2), ', ')
      i += 2
    }
  }
  return { scheme, params }
}

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
})
const paramName = fc.stringMatching(/^[a-z_]{1,10}$/).filter((name) => name !== '__proto__')

describe('formatChallenge', () => {
  it('writes the scheme alone when there are no params', () => {
    assert.equal(formatChallenge('APIKey'), 'APIKey')
    assert.equal(formatChallenge('Bearer', { realm: undefined }), 'Bearer')
  })

  it('quotes every value, keeps order and omits undefined params', () => {
    assert.equal(
      formatChallenge('Bearer', {
        realm: 'api',
        error: 'invalid_token',
        scope: undefined,
        error_description: 'The access token expired',
      }),
      'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
    )
  })

  it('escapes " and \\ with a backslash', () => {
    assert.equal(
      formatChallenge('Basic', { realm: 'a "quoted" \\ realm' }),
      'Basic realm="a \\"quoted\\" \\\\ realm"',
    )
  })

  it('replaces CR, LF, controls and non-ASCII with ? so the header cannot be split', () => {
    assert.equal(quoteAuthParam('a\r\nSet-Cookie: x\u0000é\u2028'), '"a??Set-Cookie: x???"')
    assert.equal(quoteAuthParam('tab\tok'), '"tab\tok"')
  })

  it('rejects a scheme or param name that is not a token: TypeError', () => {
    assert.throws(() => formatChallenge('Bad Scheme'), {
      name: 'TypeError',
      message: 'auth-scheme must be an RFC 7230 token, got "Bad Scheme"',
    })
    assert.throws(() => formatChallenge('Bearer', { 'a=b': 'x' }), {
      name: 'TypeError',
      message: 'auth-param name must be an RFC 7230 token, got "a=b"',
    })
  })

  it('property: printable values round-trip through quoting', () => {
    fc.assert(
      fc.property(fc.dictionary(paramName, printable, { maxKeys: 5 }), (params) => {
        const parsed = parseChallenge(formatChallenge('Bearer', params))
        assert.equal(parsed.scheme, 'Bearer')
        assert.deepEqual(parsed.params, { ...params })
      }),
    )
  })

  it('property: any string yields a header-safe value (no CR, LF or non-ASCII)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        assert.match(formatChallenge('Bearer', { error_description: value }), /^[\t\x20-\x7e]*$/)
      }),
    )
  })
})

describe('bearerChallenge', () => {
  it('sends no error information when no credentials were sent (RFC 6750 §3.1)', () => {
    assert.equal(bearerChallenge(undefined), 'Bearer')
    assert.equal(bearerChallenge('api', {}), 'Bearer realm="api"')
    assert.equal(
      bearerChallenge('api', { scope: 'read', errorDescription: 'x' }),
      'Bearer realm="api"',
    )
  })

  it('orders realm, error, scope, error_description', () => {
    assert.equal(
      bearerChallenge('api', {
        error: 'insufficient_scope',
        errorDescription: 'Needs admin',
        scope: 'admin write',
      }),
      'Bearer realm="api", error="insufficient_scope", scope="admin write", error_description="Needs admin"',
    )
  })
})
