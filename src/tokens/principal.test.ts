import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidToken } from '../security/errors.js'
import { assertPrincipalActive, type PrincipalStatus } from './index.js'

const active: PrincipalStatus = { disabled: false, tokensValidAfter: 1000, scopes: ['read'] }

function assertRefused(run: () => void, description: string, code: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof InvalidToken)
    assert.equal(error.statusCode, 401)
    assert.equal(error.code, code)
    assert.equal(error.errorDescription, description)
    return true
  })
}

describe('assertPrincipalActive', () => {
  it('accepts an enabled subject whose tokens are current (iat at or after the cut-off)', () => {
    assertPrincipalActive({ iat: 1000 }, active)
    assertPrincipalActive({ iat: 5000 }, active)
  })

  it('refuses a deleted subject', () => {
    const run = () => assertPrincipalActive({ iat: 5000 }, undefined)
    assertRefused(run, 'token subject no longer exists', 'GH_ERR_TOKEN_INVALID')
  })

  it('refuses a disabled subject', () => {
    const run = () => assertPrincipalActive({ iat: 5000 }, { ...active, disabled: true })
    assertRefused(run, 'token subject is disabled', 'GH_ERR_TOKEN_INVALID')
  })

  it('refuses a token issued before the credentials changed', () => {
    const run = () => assertPrincipalActive({ iat: 999 }, active)
    assertRefused(run, 'token was issued before the credentials changed', 'GH_ERR_TOKEN_REVOKED')
  })
})
