import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeProtectedHeader } from 'jose'
import { InvalidToken } from '../security/errors.js'
import { createTokenIssuer, createTokenVerifier, KeyRing, type SigningAlgorithm } from './index.js'

const NOW_MS = 1_767_225_600_000
const options = { issuer: 'https://auth.example', audience: 'api', clock: () => NOW_MS }

function issueWith(keyRing: KeyRing): Promise<string> {
  const issuer = createTokenIssuer({ keyRing, ...options })
  return issuer.issueAccessToken({ subject: 'alice', scope: ['read'] }).then((t) => t.token)
}

function verifyWith(keyRing: KeyRing, token: string) {
  return createTokenVerifier({ keyRing, ...options }).verify(token)
}

describe('asymmetric round trip', () => {
  for (const alg of ['ES256', 'EdDSA'] as const satisfies readonly SigningAlgorithm[]) {
    it(`${alg}: issues and verifies; the public JWKS alone verifies too`, async () => {
      const ring = await KeyRing.generate(alg, { kid: `${alg}-1` })
      const token = await issueWith(ring)
      assert.deepEqual(decodeProtectedHeader(token), { alg, kid: `${alg}-1`, typ: 'at+jwt' })
      assert.deepEqual((await verifyWith(ring, token)).scope, ['read'])
      const publicOnly = await KeyRing.fromJWKs(ring.publicJWKS().keys)
      assert.equal((await verifyWith(publicOnly, token)).sub, 'alice')
    })

    it(`${alg}: a token from another ${alg} key with the same kid fails`, async () => {
      const token = await issueWith(await KeyRing.generate(alg, { kid: 'same' }))
      await assert.rejects(verifyWith(await KeyRing.generate(alg, { kid: 'same' }), token), {
        name: 'InvalidToken',
        errorDescription: 'token signature is invalid',
      })
    })
  }
})

describe('key rotation', () => {
  it('an old-kid token verifies while its key is in the ring and fails once removed', async () => {
    const old = await KeyRing.fromSecrets([{ kid: 'old', secret: new Uint8Array(32).fill(1) }])
    const oldToken = await issueWith(old)

    const rotated = KeyRing.combine(await KeyRing.generate('EdDSA', { kid: 'new' }), old)
    const newToken = await issueWith(rotated)
    assert.equal(decodeProtectedHeader(newToken).kid, 'new')
    assert.equal((await verifyWith(rotated, oldToken)).sub, 'alice')
    assert.equal((await verifyWith(rotated, newToken)).sub, 'alice')

    const retired = rotated.withoutKey('old')
    assert.equal((await verifyWith(retired, newToken)).sub, 'alice')
    await assert.rejects(verifyWith(retired, oldToken), (error: unknown) => {
      assert.ok(error instanceof InvalidToken)
      // the ring no longer holds HS256 at all, so the algorithm itself is refused
      assert.equal(error.errorDescription, 'token algorithm is not allowed')
      return true
    })
  })

  it('removing one of two same-algorithm keys: unknown signing key', async () => {
    const a = await KeyRing.fromSecrets([{ kid: 'a', secret: new Uint8Array(32).fill(1) }])
    const b = await KeyRing.fromSecrets([{ kid: 'b', secret: new Uint8Array(32).fill(2) }])
    const token = await issueWith(a)
    const ring = KeyRing.combine(b, a)
    assert.equal((await verifyWith(ring, token)).sub, 'alice')
    await assert.rejects(verifyWith(ring.withoutKey('a'), token), {
      name: 'InvalidToken',
      code: 'GH_ERR_TOKEN_INVALID',
      errorDescription: 'token signing key is unknown',
    })
  })
})
