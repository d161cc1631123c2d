import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { OAuthInvalidRequest } from './errors.js'
import { isFormContentType, parseForm, readParameter, requireParameter } from './form.js'

const FORM = 'application/x-www-form-urlencoded'

describe('isFormContentType', () => {
  it('accepts the form media type in any case, with parameters', () => {
    assert.equal(isFormContentType(FORM), true)
    assert.equal(isFormContentType('Application/X-WWW-Form-URLEncoded; charset=UTF-8'), true)
    assert.equal(isFormContentType(' application/x-www-form-urlencoded ;charset=utf-8'), true)
  })

  it('rejects other media types and a missing header', () => {
    assert.equal(isFormContentType('application/json'), false)
    assert.equal(isFormContentType('multipart/form-data; boundary=x'), false)
    assert.equal(isFormContentType('application/x-www-form-urlencodedx'), false)
    assert.equal(isFormContentType(''), false)
    assert.equal(isFormContentType(undefined), false)
  })
})

describe('parseForm', () => {
  it('reads every parameter into a map', () => {
    const form = parseForm(FORM, { username: 'user1', password: 'secret', extra: '' })
    assert.deepEqual(
      [...form],
      [
        ['username', 'user1'],
        ['password', 'secret'],
        ['extra', ''],
      ],
    )
  })

  it('treats a missing body as an empty form', () => {
    assert.equal(parseForm(FORM, undefined).size, 0)
    assert.equal(parseForm(FORM, null).size, 0)
  })

  it('rejects another content type: invalid_request', () => {
    assert.throws(() => parseForm('application/json', { username: 'a' }), {
      name: 'OAuthInvalidRequest',
      statusCode: 400,
      error: 'invalid_request',
      errorDescription:
        'The token request must be sent as application/x-www-form-urlencoded (RFC 6749 §4.3.2).',
    })
    assert.throws(() => parseForm(undefined, undefined), OAuthInvalidRequest)
  })

  it('rejects a repeated parameter (RFC 6749 §3.2): invalid_request naming it', () => {
    assert.throws(() => parseForm(FORM, { username: ['a', 'b'], password: 'x' }), {
      code: 'GH_ERR_OAUTH_INVALID_REQUEST',
      errorDescription: 'The "username" parameter must not be repeated.',
    })
  })

  it('rejects a body that is not an object: invalid_request', () => {
    assert.throws(() => parseForm(FORM, 'username=a'), {
      errorDescription: 'The request body is not a form.',
    })
  })
})

describe('readParameter and requireParameter', () => {
  const form = new Map([
    ['scope', ''],
    ['username', 'user1'],
  ])

  it('treats an empty value as omitted (RFC 6749 §3.1)', () => {
    assert.equal(readParameter(form, 'scope'), undefined)
    assert.equal(readParameter(form, 'missing'), undefined)
    assert.equal(readParameter(form, 'username'), 'user1')
  })

  it('requires a non-empty value: invalid_request naming the parameter', () => {
    assert.equal(requireParameter(form, 'username'), 'user1')
    assert.throws(() => requireParameter(form, 'scope'), {
      errorDescription: 'The "scope" parameter is required.',
    })
  })
})
