import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GatehouseHTTPError } from '../errors.js'
import {
  InvalidClient,
  InvalidGrant,
  InvalidScope,
  OAuthInvalidRequest,
  UnauthorizedClient,
  UnsupportedGrantType,
} from './errors.js'

describe('RFC 6749 §5.2 error classes', () => {
  const cases = [
    [
      OAuthInvalidRequest,
      'OAuthInvalidRequest',
      'GH_ERR_OAUTH_INVALID_REQUEST',
      400,
      'invalid_request',
    ],
    [InvalidGrant, 'InvalidGrant', 'GH_ERR_OAUTH_INVALID_GRANT', 400, 'invalid_grant'],
    [
      UnauthorizedClient,
      'UnauthorizedClient',
      'GH_ERR_OAUTH_UNAUTHORIZED_CLIENT',
      400,
      'unauthorized_client',
    ],
    [
      UnsupportedGrantType,
      'UnsupportedGrantType',
      'GH_ERR_OAUTH_UNSUPPORTED_GRANT_TYPE',
      400,
      'unsupported_grant_type',
    ],
    [InvalidScope, 'InvalidScope', 'GH_ERR_OAUTH_INVALID_SCOPE', 400, 'invalid_scope'],
  ] as const
  for (const [ErrorClass, name, code, statusCode, error] of cases) {
    it(`${name}: ${statusCode} ${error}, exposed, no headers`, () => {
      const cause = new Error('inner')
      const err = new ErrorClass('Described.', { cause })
      assert.ok(err instanceof GatehouseHTTPError)
      assert.equal(err.name, name)
      assert.equal(err.code, code)
      assert.equal(err.statusCode, statusCode)
      assert.equal(err.error, error)
      assert.equal(err.errorDescription, 'Described.')
      assert.equal(err.message, 'Described.')
      assert.equal(err.expose, true)
      assert.deepEqual(err.headers, {})
      assert.equal(err.cause, cause)
    })
  }

  it('InvalidClient: 401 invalid_client with a Basic challenge, realm configurable and escaped', () => {
    const err = new InvalidClient('Client authentication failed.')
    assert.equal(err.code, 'GH_ERR_OAUTH_INVALID_CLIENT')
    assert.equal(err.statusCode, 401)
    assert.equal(err.error, 'invalid_client')
    assert.deepEqual(err.headers, { 'www-authenticate': 'Basic realm="gatehouse"' })
    const custom = new InvalidClient('x', { realm: 'my "realm"' })
    assert.deepEqual(custom.headers, { 'www-authenticate': 'Basic realm="my \\"realm\\""' })
  })
})
