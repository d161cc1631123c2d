import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { base64url, calculateJwkThumbprint } from 'jose'
import { GatehouseConfigError } from '../errors.js'
import { KeyRing, type SigningAlgorithm } from './index.js'

/** Passes a deliberately ill-typed value, as JavaScript callers can. */
const untyped = <T>(value: unknown): T => value as T

const secret = (fill: number, length = 32): Uint8Array => new Uint8Array(length).fill(fill)

function assertKeyError(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof GatehouseConfigError)
    assert.equal(error.code, 'GH_ERR_KEY_INVALID')
    assert.equal(error.message, message)
    return true
  })
}

async function assertKeyRejects(run: () => Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof GatehouseConfigError)
    assert.equal(error.code, 'GH_ERR_KEY_INVALID')
    assert.equal(error.message, message)
    return true
  })
}

describe('KeyRing.fromSecrets', () => {
  it('keeps the given kids in order; the first signs', async () => {
    const ring = await KeyRing.fromSecrets([
      { kid: 'new', secret: secret(1) },
      { kid: 'old', secret: secret(2) },
    ])
    assert.deepEqual(ring.kids, ['new', 'old'])
    assert.deepEqual(ring.algorithms, ['HS256'])
    assert.equal(ring.signingKey.kid, 'new')
    assert.equal(ring.signingKey.alg, 'HS256')
    assert.equal(ring.signingKey.key.type, 'secret')
    assert.equal(ring.signingKey.key.extractable, false)
  })

  it('derives the kid as the RFC 7638 thumbprint when none is given', async () => {
    const ring = await KeyRing.fromSecrets([{ secret: secret(7) }])
    const expected = await calculateJwkThumbprint({ kty: 'oct', k: base64url.encode(secret(7)) })
    assert.deepEqual(ring.kids, [expected])
    assert.match(expected, /^[A-Za-z0-9_-]{43}$/)
  })

  it('rejects a secret shorter than 32 bytes: GH_ERR_KEY_INVALID', async () => {
    await assertKeyRejects(
      () => KeyRing.fromSecrets([{ kid: 'k', secret: secret(1, 31) }]),
      'HS256 secrets must be at least 32 bytes, got 31',
    )
  })

  it('requires 64-byte secrets for HS512 (RFC 7518 §3.2)', async () => {
    await assertKeyRejects(
      () => KeyRing.fromSecrets([{ secret: secret(1, 32) }], { algorithm: 'HS512' }),
      'HS512 secrets must be at least 64 bytes, got 32',
    )
    const ring = await KeyRing.fromSecrets([{ secret: secret(1, 64) }], { algorithm: 'HS512' })
    assert.deepEqual(ring.algorithms, ['HS512'])
  })

  it('rejects a secret given as a string, an empty list, duplicate kids and bad kids', async () => {
    await assertKeyRejects(
      () => KeyRing.fromSecrets([{ secret: untyped<Uint8Array>('x'.repeat(40)) }]),
      '`secret` must be a Uint8Array',
    )
    await assertKeyRejects(() => KeyRing.fromSecrets([]), 'a key ring needs at least one key')
    await assertKeyRejects(
      () =>
        KeyRing.fromSecrets([
          { kid: 'a', secret: secret(1) },
          { kid: 'a', secret: secret(2) },
        ]),
      'duplicate kid "a"',
    )
    await assertKeyRejects(
      () => KeyRing.fromSecrets([{ kid: 'has space', secret: secret(1) }]),
      '`kid` must be 1-128 visible ASCII characters, got "has space"',
    )
  })

  it('never publishes secrets in the JWKS', async () => {
    const ring = await KeyRing.fromSecrets([{ kid: 'k', secret: secret(1) }])
    assert.deepEqual(ring.publicJWKS(), { keys: [] })
  })
})

describe('KeyRing.generate', () => {
  for (const [alg, kty, crv] of [
    ['ES256', 'EC', 'P-256'],
    ['EdDSA', 'OKP', 'Ed25519'],
  ] as const) {
    it(`${alg}: publishes exactly the public key with kid, alg and use`, async () => {
      const ring = await KeyRing.generate(alg, { kid: 'k1' })
      const { keys } = ring.publicJWKS()
      assert.equal(keys.length, 1)
      const [jwk] = keys
      assert.equal(jwk?.kty, kty)
      assert.equal(jwk?.crv, crv)
      assert.equal(jwk?.kid, 'k1')
      assert.equal(jwk?.alg, alg)
      assert.equal(jwk?.use, 'sig')
      assert.equal(jwk?.d, undefined)
      assert.deepEqual(ring.list(), [{ kid: 'k1', alg, canSign: true }])
    })

    it(`${alg}: defaults the kid to the public key's RFC 7638 thumbprint`, async () => {
      const ring = await KeyRing.generate(alg)
      const [jwk] = ring.publicJWKS().keys
      assert.ok(jwk)
      assert.equal(ring.kids[0], await calculateJwkThumbprint(jwk))
    })
  }

  it('HS256: generates a 32-byte secret', async () => {
    const ring = await KeyRing.generate('HS256', { kid: 'h' })
    const [jwk] = ring.exportPrivateJWKs()
    assert.equal(jwk?.kty, 'oct')
    assert.equal(base64url.decode(jwk?.k ?? '').byteLength, 32)
    assert.equal(jwk?.kid, 'h')
  })

  it('rejects an unsupported algorithm', async () => {
    await assertKeyRejects(
      () => KeyRing.generate(untyped<SigningAlgorithm>('RS256')),
      'algorithm must be one of HS256, HS384, HS512, ES256, EdDSA, got "RS256"',
    )
  })
})

describe('KeyRing.fromJWKs', () => {
  it('round-trips exportPrivateJWKs, signing key included', async () => {
    const original = KeyRing.combine(
      await KeyRing.generate('EdDSA', { kid: 'ed' }),
      await KeyRing.generate('ES256', { kid: 'ec' }),
      await KeyRing.generate('HS256', { kid: 'hs' }),
    )
    const restored = await KeyRing.fromJWKs(original.exportPrivateJWKs())
    assert.deepEqual(restored.list(), original.list())
    assert.deepEqual(restored.publicJWKS(), original.publicJWKS())
  })

  it('makes public JWKs verify-only', async () => {
    const generated = await KeyRing.generate('ES256', { kid: 'pub' })
    const ring = await KeyRing.fromJWKs(generated.publicJWKS().keys)
    assert.deepEqual(ring.list(), [{ kid: 'pub', alg: 'ES256', canSign: false }])
    assert.equal(ring.canSign, false)
    assertKeyError(() => ring.signingKey, 'the key ring has no key that can sign')
  })

  it('imports oct JWKs and rejects a malformed or short k', async () => {
    const k = base64url.encode(secret(3))
    const ring = await KeyRing.fromJWKs([{ kty: 'oct', k, alg: 'HS256', kid: 'o' }])
    assert.deepEqual(ring.list(), [{ kid: 'o', alg: 'HS256', canSign: true }])
    await assertKeyRejects(
      () => KeyRing.fromJWKs([{ kty: 'oct', k: '!!!', alg: 'HS256' }]),
      'an oct JWK needs `k`, the base64url-encoded secret',
    )
    await assertKeyRejects(
      () => KeyRing.fromJWKs([{ kty: 'oct', k: base64url.encode(secret(3, 16)), alg: 'HS256' }]),
      'HS256 secrets must be at least 32 bytes, got 16',
    )
  })

  it('requires an alg on every JWK and a key type that matches it', async () => {
    const [jwk] = (await KeyRing.generate('ES256')).exportPrivateJWKs()
    assert.ok(jwk)
    const { alg: _alg, ...noAlg } = jwk
    await assertKeyRejects(
      () => KeyRing.fromJWKs([noAlg]),
      'JWK `alg` must be one of HS256, HS384, HS512, ES256, EdDSA, got undefined',
    )
    await assertKeyRejects(
      () => KeyRing.fromJWKs([{ ...jwk, alg: 'EdDSA' }]),
      'a JWK for EdDSA needs kty OKP, crv and x',
    )
    await assertKeyRejects(
      () => KeyRing.fromJWKs([{ ...jwk, crv: 'P-384' }]),
      'the JWK cannot be imported for ES256',
    )
  })
})

describe('KeyRing rotation helpers', () => {
  it('combine keeps order and withoutKey drops one key', async () => {
    const a = await KeyRing.fromSecrets([{ kid: 'a', secret: secret(1) }])
    const b = await KeyRing.generate('EdDSA', { kid: 'b' })
    const ring = KeyRing.combine(b, a)
    assert.deepEqual(ring.kids, ['b', 'a'])
    assert.deepEqual(ring.algorithms, ['EdDSA', 'HS256'])
    assert.equal(ring.signingKey.kid, 'b')
    assert.deepEqual(ring.withoutKey('b').kids, ['a'])
    assert.equal(ring.withoutKey('b').signingKey.kid, 'a')
    assert.equal(ring.has('a'), true)
    assert.equal(ring.withoutKey('a').has('a'), false)
    assertKeyError(() => ring.withoutKey('zzz'), 'no key with kid "zzz"')
    assertKeyError(() => ring.withoutKey('a').withoutKey('b'), 'a key ring needs at least one key')
  })

  it('verificationKey pins each kid to its own algorithm', async () => {
    const ring = KeyRing.combine(
      await KeyRing.fromSecrets([{ kid: 'h', secret: secret(1) }]),
      await KeyRing.generate('ES256', { kid: 'e' }),
    )
    assert.equal(ring.verificationKey('h', 'HS256')?.type, 'secret')
    assert.equal(ring.verificationKey('e', 'ES256')?.type, 'public')
    assert.equal(ring.verificationKey('e', 'HS256'), undefined)
    assert.equal(ring.verificationKey('h', 'ES256'), undefined)
    assert.equal(ring.verificationKey('x', 'HS256'), undefined)
    // imported once: every lookup hands out the same CryptoKey, nothing is imported per request
    assert.equal(ring.verificationKey('e', 'ES256'), ring.verificationKey('e', 'ES256'))
  })
})
