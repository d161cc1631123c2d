import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { GatehouseConfigError } from '../errors.js'
import { ScopeSyntaxError } from '../scopes/index.js'
import { createTokenIssuer, KeyRing, type TokenIssuerOptions } from './index.js'

const NOW_MS = 1_767_225_600_000 // 2026-01-01T00:00:00Z
const NOW = NOW_MS / 1000
const untyped = <T>(value: unknown): T => value as T // ill-typed input, as JavaScript callers send

async function ring(): Promise<KeyRing> {
  return KeyRing.fromSecrets([{ kid: 'k1', secret: new Uint8Array(32).fill(9) }])
}

async function issuer(overrides: Partial<TokenIssuerOptions> = {}) {
  return createTokenIssuer({
    keyRing: await ring(),
    issuer: 'https://auth.example',
    audience: 'https://api.example',
    clock: () => NOW_MS,
    ...overrides,
  })
}

describe('createTokenIssuer', () => {
  it('issues an RFC 9068 token: header, claims and response fields', async () => {
    const issued = await (
      await issuer()
    ).issueAccessToken({
      subject: 'alice',
      scope: ['read', 'write'],
    })
    assert.deepEqual(decodeProtectedHeader(issued.token), {
      alg: 'HS256',
      kid: 'k1',
      typ: 'at+jwt',
    })
    assert.deepEqual(decodeJwt(issued.token), {
      iss: 'https://auth.example',
      aud: 'https://api.example',
      sub: 'alice',
      scope: 'read write',
      iat: NOW,
      exp: NOW + 900,
      jti: issued.jti,
    })
    assert.deepEqual(
      { ...issued, token: '<token>', jti: '<jti>' },
      {
        token: '<token>',
        tokenType: 'bearer',
        expiresIn: 900,
        expiresAt: NOW + 900,
        jti: '<jti>',
        scope: 'read write',
      },
    )
  })

  it('takes iat from issuedAt when given and counts exp from it; refuses a non-integer', async () => {
    const issued = await (
      await issuer()
    ).issueAccessToken({ subject: 'alice', scope: [], issuedAt: NOW - 3 })
    const claims = decodeJwt(issued.token)
    assert.deepEqual([claims.iat, claims.exp, issued.expiresAt], [NOW - 3, NOW + 897, NOW + 897])
    for (const issuedAt of [1.5, -1, Number.NaN]) {
      await assert.rejects(
        (await issuer()).issueAccessToken({ subject: 'alice', scope: [], issuedAt }),
        { name: 'TypeError', message: `\`issuedAt\` must be a non-negative integer, got ${issuedAt}` },
      )
    }
  })

  it('uses a random 128-bit base64url jti per token', async () => {
    const tokens = await issuer()
    const jtis = await Promise.all(
      Array.from(
        { length: 50 },
        async () => (await tokens.issueAccessToken({ subject: 'a', scope: [] })).jti,
      ),
    )
    for (const jti of jtis) assert.match(jti, /^[A-Za-z0-9_-]{22}$/)
    assert.equal(new Set(jtis).size, 50)
  })

  it('adds client_id and private claims, omits an empty scope, dedupes scopes', async () => {
    const issued = await (
      await issuer({ accessTokenTtlSeconds: 60, audience: ['a', 'b'] })
    ).issueAccessToken({
      subject: 'bob',
      scope: ['read', 'read'],
      clientId: 'cli',
      claims: { tenant: 't1' },
    })
    const claims = decodeJwt(issued.token)
    assert.equal(claims.client_id, 'cli')
    assert.equal(claims['tenant'], 't1')
    assert.equal(claims['scope'], 'read')
    assert.deepEqual(claims.aud, ['a', 'b'])
    assert.equal(claims.exp, NOW + 60)
    assert.equal(issued.expiresIn, 60)

    const empty = await (await issuer()).issueAccessToken({ subject: 'bob', scope: [] })
    assert.equal('scope' in decodeJwt(empty.token), false)
    assert.equal(empty.scope, '')
  })

  it('signs with the first signing key of the ring', async () => {
    const keyRing = KeyRing.combine(await KeyRing.generate('EdDSA', { kid: 'ed' }), await ring())
    const issued = await (await issuer({ keyRing })).issueAccessToken({ subject: 'a', scope: [] })
    assert.deepEqual(decodeProtectedHeader(issued.token), {
      alg: 'EdDSA',
      kid: 'ed',
      typ: 'at+jwt',
    })
  })

  it('refuses to override registered claims', async () => {
    const tokens = await issuer()
    for (const name of ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'scope', 'client_id']) {
      await assert.rejects(
        tokens.issueAccessToken({ subject: 'a', scope: [], claims: { [name]: 1 } }),
        {
          name: 'TypeError',
          message: `claim \`${name}\` cannot be overridden`,
        },
      )
    }
  })

  it('rejects an empty subject and invalid scope tokens', async () => {
    const tokens = await issuer()
    await assert.rejects(tokens.issueAccessToken({ subject: '', scope: [] }), {
      name: 'TypeError',
      message: '`subject` must be a non-empty string',
    })
    await assert.rejects(
      tokens.issueAccessToken({ subject: 'a', scope: ['re ad'] }),
      ScopeSyntaxError,
    )
    await assert.rejects(tokens.issueAccessToken({ subject: 'a', scope: untyped('read') }), {
      name: 'TypeError',
      message: '`scope` must be an array of scope tokens',
    })
  })

  it('validates options at construction', async () => {
    const keyRing = await ring()
    const base = { keyRing, issuer: 'i', audience: 'a' }
    const cases: Array<[TokenIssuerOptions, string]> = [
      [{ ...base, issuer: '' }, '`issuer` must be a non-empty string, got ""'],
      [{ ...base, issuer: untyped(42) }, '`issuer` must be a non-empty string, got number'],
      [{ ...base, audience: [] }, '`audience` must name at least one audience'],
      [
        { ...base, accessTokenTtlSeconds: 0 },
        '`accessTokenTtlSeconds` must be a positive integer, got 0',
      ],
      [
        { ...base, accessTokenTtlSeconds: 1.5 },
        '`accessTokenTtlSeconds` must be a positive integer, got 1.5',
      ],
    ]
    for (const [options, message] of cases) {
      assert.throws(() => createTokenIssuer(options), { name: 'GatehouseConfigError', message })
    }
    const verifyOnly = await KeyRing.fromJWKs((await KeyRing.generate('ES256')).publicJWKS().keys)
    assert.throws(
      () => createTokenIssuer({ ...base, keyRing: verifyOnly }),
      (error: unknown) => {
        assert.ok(error instanceof GatehouseConfigError)
        assert.equal(error.code, 'GH_ERR_KEY_INVALID')
        assert.equal(error.message, '`keyRing` must hold a key that can sign')
        return true
      },
    )
  })
})
