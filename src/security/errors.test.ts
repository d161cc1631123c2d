import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GatehouseHTTPError } from '../errors.js'
import { APIKeyHeader } from './api-key.js'
import {
  InsufficientScope,
  InvalidCredentials,
  InvalidRequest,
  InvalidToken,
  NotAuthenticated,
} from './errors.js'
import { OAuth2PasswordBearer } from './oauth2.js'

const oauth2 = new OAuth2PasswordBearer({ tokenUrl: '/token', realm: 'api' })
const apiKey = new APIKeyHeader({ name: 'X-API-Key' })

function wire(err: GatehouseHTTPError): unknown {
  return {
    status: err.statusCode,
    code: err.code,
    body: { error: err.error, error_description: err.errorDescription },
    headers: err.headers,
    expose: err.expose,
  }
}

describe('RFC 6750 errors', () => {
  it('NotAuthenticated: 401 unauthorized, challenge without error', () => {
    const err = new NotAuthenticated({ schemes: [oauth2] })
    assert.ok(err instanceof GatehouseHTTPError)
    assert.equal(err.name, 'NotAuthenticated')
    assert.deepEqual(err.challengeParams, {})
    assert.deepEqual(wire(err), {
      status: 401,
      code: 'GH_ERR_AUTH_MISSING',
      body: { error: 'unauthorized', error_description: 'Not authenticated' },
      headers: { 'www-authenticate': 'Bearer realm="api"' },
      expose: true,
    })
  })

  it('InvalidToken: 401 invalid_token with its description in the challenge', () => {
    const err = new InvalidToken({
      description: 'The access token expired',
      code: 'GH_ERR_TOKEN_EXPIRED',
      schemes: [oauth2],
    })
    assert.deepEqual(wire(err), {
      status: 401,
      code: 'GH_ERR_TOKEN_EXPIRED',
      body: { error: 'invalid_token', error_description: 'The access token expired' },
      headers: {
        'www-authenticate':
          'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
      },
      expose: true,
    })
    assert.equal(new InvalidToken().code, 'GH_ERR_TOKEN_INVALID')
    assert.equal(new InvalidToken().errorDescription, 'The access token is invalid')
  })

  it('InsufficientScope: 403 with scope, from a list or a string', () => {
    const err = new InsufficientScope(['admin', 'write'], { schemes: [oauth2] })
    assert.equal(err.scope, 'admin write')
    assert.deepEqual(wire(err), {
      status: 403,
      code: 'GH_ERR_SCOPE_INSUFFICIENT',
      body: {
        error: 'insufficient_scope',
        error_description:
          'The request requires higher privileges than provided by the access token',
      },
      headers: {
        'www-authenticate':
          'Bearer realm="api", error="insufficient_scope", scope="admin write", ' +
          'error_description="The request requires higher privileges than provided by the access token"',
      },
      expose: true,
    })
    assert.equal(new InsufficientScope('read').challengeParams.scope, 'read')
  })

  it('InvalidRequest: 400 invalid_request', () => {
    const err = new InvalidRequest({ description: 'Multiple Authorization headers' })
    assert.deepEqual(wire(err), {
      status: 400,
      code: 'GH_ERR_AUTH_MALFORMED',
      body: { error: 'invalid_request', error_description: 'Multiple Authorization headers' },
      headers: {},
      expose: true,
    })
    assert.equal(new InvalidRequest().errorDescription, 'The request is malformed')
  })

  it('InvalidCredentials: 401 invalid_credentials, no challenge error for API keys', () => {
    const err = new InvalidCredentials({ schemes: [apiKey] })
    assert.deepEqual(wire(err), {
      status: 401,
      code: 'GH_ERR_AUTH_INVALID',
      body: {
        error: 'invalid_credentials',
        error_description: 'Invalid authentication credentials',
      },
      headers: { 'www-authenticate': 'APIKey' },
      expose: true,
    })
  })

  it('sends one challenge per scheme for alternatives (RFC 7235 §4.1)', () => {
    const err = new NotAuthenticated({ schemes: [oauth2, apiKey] })
    assert.deepEqual(err.headers, { 'www-authenticate': ['Bearer realm="api"', 'APIKey'] })
    assert.deepEqual(err.schemes, [oauth2, apiKey])
    assert.equal(Object.isFrozen(err.schemes), true)
  })

  it('challenges() re-challenges with other schemes', () => {
    const err = new InvalidToken()
    assert.deepEqual(err.headers, {})
    assert.deepEqual(err.challenges([oauth2, apiKey]), [
      'Bearer realm="api", error="invalid_token", error_description="The access token is invalid"',
      'APIKey',
    ])
    assert.deepEqual(err.challenges(), [])
  })

  it('keeps the cause', () => {
    const cause = new Error('ERR_JWT_EXPIRED')
    assert.equal(new InvalidToken({ cause }).cause, cause)
  })
})
