import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { base64url, decodeJwt, SignJWT, type JWTPayload } from 'jose'
import { GatehouseConfigError } from '../errors.js'
import { InvalidToken, type InvalidTokenCode } from '../security/errors.js'
import {
  createTokenIssuer,
  createTokenVerifier,
  KeyRing,
  MemoryRevocationStore,
  type TokenVerifierOptions,
} from './index.js'

const NOW_MS = 1_767_225_600_000 // 2026-01-01T00:00:00Z
const NOW = NOW_MS / 1000
const ISS = 'https://auth.example'
const AUD = 'https://api.example'
const SECRET = new Uint8Array(32).fill(1)

interface Setup {
  readonly clock: { now: number }
  readonly keyRing: KeyRing
  readonly issue: (scope?: readonly string[]) => Promise<string>
  readonly verify: (token: string) => Promise<unknown>
  /** Signs arbitrary header and payload with the ring's HS256 key. */
  readonly forge: (payload: JWTPayload, header?: Record<string, unknown>) => Promise<string>
}

async function setup(overrides: Partial<TokenVerifierOptions> = {}): Promise<Setup> {
  const clock = { now: NOW_MS }
  const keyRing = await KeyRing.fromSecrets([{ kid: 'k1', secret: SECRET }])
  const issuer = createTokenIssuer({ keyRing, issuer: ISS, audience: AUD, clock: () => clock.now })
  const verifier = createTokenVerifier({
    keyRing,
    issuer: ISS,
    audience: AUD,
    clock: () => clock.now,
    ...overrides,
  })
  const issue = async (scope: readonly string[] = ['read']) =>
    (await issuer.issueAccessToken({ subject: 'alice', scope })).token
  const forge = (payload: JWTPayload, header: Record<string, unknown> = {}) =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt', ...header })
      .sign(keyRing.signingKey.key)
  return { clock, keyRing, issue, verify: (token) => verifier.verify(token), forge }
}

function validClaims(): JWTPayload {
  return { iss: ISS, aud: AUD, sub: 'alice', iat: NOW, exp: NOW + 900, jti: 'j1', scope: 'read' }
}

async function assertInvalid(
  promise: Promise<unknown>,
  description: string,
  options: { code?: InvalidTokenCode; cause?: string } = {},
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof InvalidToken, `expected InvalidToken, got ${String(error)}`)
    assert.equal(error.statusCode, 401)
    assert.equal(error.error, 'invalid_token')
    assert.equal(error.code, options.code ?? 'GH_ERR_TOKEN_INVALID')
    assert.equal(error.errorDescription, description)
    const cause = (error.cause as { code?: string } | undefined)?.code
    assert.equal(cause, options.cause)
    return true
  })
}

const segment = (value: unknown): string => base64url.encode(JSON.stringify(value))

describe('createTokenVerifier: valid tokens', () => {
  it('returns the claims with scope parsed into a list', async () => {
    const { issue, verify } = await setup()
    const token = await issue(['read', 'write'])
    const claims = await verify(token)
    assert.deepEqual(claims, {
      iss: ISS,
      aud: AUD,
      sub: 'alice',
      iat: NOW,
      exp: NOW + 900,
      jti: decodeJwt(token).jti,
      scope: ['read', 'write'],
    })
  })

  it('parses an absent scope as an empty list', async () => {
    const { issue, verify } = await setup()
    assert.deepEqual(((await verify(await issue([]))) as { scope: unknown }).scope, [])
  })

  it('accepts typ application/at+jwt (RFC 8725 §3.11)', async () => {
    const { forge, verify } = await setup()
    const token = await forge(validClaims(), { typ: 'application/at+jwt' })
    assert.equal(((await verify(token)) as { sub: string }).sub, 'alice')
  })

  it('tolerates 5 s of clock skew on exp, and not 6', async () => {
    const { clock, issue, verify } = await setup()
    const token = await issue()
    clock.now = NOW_MS + 904_000
    await verify(token)
    clock.now = NOW_MS + 906_000
    await assertInvalid(verify(token), 'token has expired', {
      code: 'GH_ERR_TOKEN_EXPIRED',
      cause: 'ERR_JWT_EXPIRED',
    })
  })
})

describe('createTokenVerifier: attacks and bad tokens all throw InvalidToken', () => {
  it('alg none: not allowed', async () => {
    const { verify } = await setup()
    const token = `${segment({ alg: 'none', typ: 'at+jwt', kid: 'k1' })}.${segment(validClaims())}.`
    await assertInvalid(verify(token), 'token algorithm is not allowed', {
      cause: 'ERR_JOSE_ALG_NOT_ALLOWED',
    })
  })

  it('signed with another key under the same kid: bad signature', async () => {
    const { verify } = await setup()
    const other = await KeyRing.fromSecrets([{ kid: 'k1', secret: new Uint8Array(32).fill(2) }])
    const token = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
      .sign(other.signingKey.key)
    await assertInvalid(verify(token), 'token signature is invalid', {
      cause: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    })
  })

  it('tampered payload (scope escalated to admin): bad signature', async () => {
    const { issue, verify } = await setup()
    const [header, payload, signature] = (await issue(['read'])).split('.')
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? '')))
    const tampered = `${header}.${segment({ ...claims, scope: 'read admin' })}.${signature}`
    await assertInvalid(verify(tampered), 'token signature is invalid', {
      cause: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    })
  })

  it('expired: GH_ERR_TOKEN_EXPIRED', async () => {
    const { clock, issue, verify } = await setup()
    const token = await issue()
    clock.now = NOW_MS + 3600_000
    await assertInvalid(verify(token), 'token has expired', {
      code: 'GH_ERR_TOKEN_EXPIRED',
      cause: 'ERR_JWT_EXPIRED',
    })
  })

  it('wrong audience, wrong issuer', async () => {
    const { forge, verify } = await setup()
    const cause = 'ERR_JWT_CLAIM_VALIDATION_FAILED'
    await assertInvalid(
      verify(await forge({ ...validClaims(), aud: 'https://other.example' })),
      'token audience is not accepted',
      { cause },
    )
    await assertInvalid(
      verify(await forge({ ...validClaims(), iss: 'https://evil.example' })),
      'token issuer is not accepted',
      { cause },
    )
  })

  it('wrong or missing typ (an ID token or plain JWT replayed as an access token)', async () => {
    const { forge, verify } = await setup()
    const cause = 'ERR_JWT_CLAIM_VALIDATION_FAILED'
    await assertInvalid(
      verify(await forge(validClaims(), { typ: 'JWT' })),
      'token type is not at+jwt',
      { cause },
    )
    await assertInvalid(
      verify(await forge(validClaims(), { typ: undefined })),
      'token type is not at+jwt',
      { cause },
    )
  })

  for (const claim of ['iss', 'aud', 'exp', 'sub', 'jti', 'iat']) {
    it(`missing required claim ${claim}`, async () => {
      const { forge, verify } = await setup()
      const { [claim]: _dropped, ...rest } = validClaims()
      await assertInvalid(verify(await forge(rest)), `token is missing the "${claim}" claim`, {
        cause: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      })
    })
  }

  it('claims of the wrong type: sub, jti, iat, scope, client_id', async () => {
    const { forge, verify } = await setup()
    const cases: Array<[JWTPayload, string]> = [
      [{ sub: 42 as unknown as string }, 'sub'],
      [{ sub: '' }, 'sub'],
      [{ jti: 7 as unknown as string }, 'jti'],
      [{ scope: ['read'] }, 'scope'],
      [{ scope: 'read  admin' }, 'scope'],
      [{ client_id: 5 }, 'client_id'],
    ]
    for (const [patch, claim] of cases) {
      await assertInvalid(
        verify(await forge({ ...validClaims(), ...patch })),
        `token "${claim}" claim is invalid`,
      )
    }
    await assertInvalid(
      verify(await forge({ ...validClaims(), iat: 'now' as unknown as number })),
      'token "iat" claim is invalid',
      {
        cause: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      },
    )
  })

  it('nbf in the future: not yet valid; iat in the future: refused', async () => {
    const { forge, verify } = await setup()
    await assertInvalid(
      verify(await forge({ ...validClaims(), nbf: NOW + 60 })),
      'token is not yet valid',
      {
        cause: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      },
    )
    await assertInvalid(
      verify(await forge({ ...validClaims(), iat: NOW + 60 })),
      'token was issued in the future',
    )
    const claims = await verify(await forge({ ...validClaims(), nbf: NOW + 5, iat: NOW + 5 }))
    assert.equal((claims as { nbf: number }).nbf, NOW + 5)
  })

  it('unknown kid and missing kid: unknown signing key', async () => {
    const { forge, verify } = await setup()
    const cause = 'ERR_JWKS_NO_MATCHING_KEY'
    await assertInvalid(
      verify(await forge(validClaims(), { kid: 'k2' })),
      'token signing key is unknown',
      { cause },
    )
    await assertInvalid(
      verify(await forge(validClaims(), { kid: undefined })),
      'token signing key is unknown',
      { cause },
    )
  })

  it('algorithm confusion: an HS256 token under an ES256 kid is refused', async () => {
    const ec = await KeyRing.generate('ES256', { kid: 'ec' })
    const hs = await KeyRing.fromSecrets([{ kid: 'hs', secret: SECRET }])
    const keyRing = KeyRing.combine(ec, hs)
    const verifier = createTokenVerifier({
      keyRing,
      issuer: ISS,
      audience: AUD,
      clock: () => NOW_MS,
    })
    const token = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: 'HS256', kid: 'ec', typ: 'at+jwt' })
      .sign(hs.signingKey.key)
    await assertInvalid(verifier.verify(token), 'token signing key is unknown', {
      cause: 'ERR_JWKS_NO_MATCHING_KEY',
    })
  })

  it('an algorithm outside the ring (HS512 for an HS256 ring) is not allowed', async () => {
    const { verify } = await setup()
    const hs512 = await KeyRing.fromSecrets([{ kid: 'k1', secret: new Uint8Array(64) }], {
      algorithm: 'HS512',
    })
    const token = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: 'HS512', kid: 'k1', typ: 'at+jwt' })
      .sign(hs512.signingKey.key)
    await assertInvalid(verify(token), 'token algorithm is not allowed', {
      cause: 'ERR_JOSE_ALG_NOT_ALLOWED',
    })
  })

  it('malformed JWTs and non-JWT garbage', async () => {
    const { verify } = await setup()
    for (const token of [
      'abc',
      'a.b.c',
      '...',
      'eyJ.eyJ.',
      `${segment([1])}.${segment(validClaims())}.sig`,
      '\u0000\u00ff',
    ]) {
      await assertInvalid(verify(token), 'token is malformed', { cause: 'ERR_JWS_INVALID' })
    }
    await assertInvalid(verify(''), 'token is malformed')
    await assertInvalid(verify(undefined as unknown as string), 'token is malformed')
  })

  it('a payload that is not a JSON object', async () => {
    const { verify, keyRing } = await setup()
    const header = segment({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
    const payload = base64url.encode('[1,2]')
    const input = new TextEncoder().encode(`${header}.${payload}`)
    const mac = await crypto.subtle.sign('HMAC', keyRing.signingKey.key, input)
    const token = `${header}.${payload}.${base64url.encode(new Uint8Array(mac))}`
    await assertInvalid(verify(token), 'token is malformed', { cause: 'ERR_JWT_INVALID' })
  })

  it('huge tokens (> 8 KiB) are refused before parsing', async () => {
    const { forge, verify } = await setup()
    await assertInvalid(verify('a'.repeat(8193)), 'token is too large')
    const big = await forge({ ...validClaims(), pad: 'x'.repeat(9000) })
    await assertInvalid(verify(big), 'token is too large')
  })

  it('any string at all yields InvalidToken, never another error (property)', async () => {
    const { issue, verify } = await setup()
    const valid = await issue()
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc
            .array(fc.base64String(), { minLength: 1, maxLength: 4 })
            .map((parts) => parts.join('.')),
          fc.nat(valid.length - 1).map((cut) => valid.slice(0, cut)),
        ),
        async (token) => {
          await assert.rejects(verify(token), InvalidToken)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('createTokenVerifier: revocation', () => {
  it('refuses a revoked jti: "token has been revoked", GH_ERR_TOKEN_REVOKED', async () => {
    const revocation = new MemoryRevocationStore({ clock: () => NOW_MS })
    const { issue, verify } = await setup({ revocation })
    const token = await issue()
    const other = await issue()
    await revocation.revoke(String(decodeJwt(token).jti), NOW + 900)
    await assertInvalid(verify(token), 'token has been revoked', { code: 'GH_ERR_TOKEN_REVOKED' })
    assert.equal(((await verify(other)) as { sub: string }).sub, 'alice')
  })

  it('consults async stores too', async () => {
    const checked: string[] = []
    const revocation = {
      isRevoked: async (jti: string) => {
        checked.push(jti)
        return true
      },
      revoke: async () => {},
    }
    const { issue, verify } = await setup({ revocation })
    const token = await issue()
    await assertInvalid(verify(token), 'token has been revoked', { code: 'GH_ERR_TOKEN_REVOKED' })
    assert.deepEqual(checked, [decodeJwt(token).jti])
  })
})

describe('createTokenVerifier: options', () => {
  it('validates options at construction', async () => {
    const keyRing = await KeyRing.fromSecrets([{ secret: SECRET }])
    const cases: Array<[TokenVerifierOptions, string]> = [
      [
        { keyRing, issuer: '', audience: AUD },
        '`issuer` must be a non-empty string or list of strings',
      ],
      [
        { keyRing, issuer: ISS, audience: [] },
        '`audience` must be a non-empty string or list of strings',
      ],
      [
        { keyRing, issuer: ISS, audience: AUD, clockToleranceSeconds: -1 },
        '`clockToleranceSeconds` must be a non-negative number, got -1',
      ],
      [{ keyRing: {} as KeyRing, issuer: ISS, audience: AUD }, '`keyRing` must be a KeyRing'],
    ]
    for (const [options, message] of cases) {
      assert.throws(
        () => createTokenVerifier(options),
        (error: unknown) => {
          assert.ok(error instanceof GatehouseConfigError)
          assert.equal(error.message, message)
          return true
        },
      )
    }
  })

  it('accepts any of several audiences', async () => {
    const { forge } = await setup()
    const keyRing = await KeyRing.fromSecrets([{ kid: 'k1', secret: SECRET }])
    const verifier = createTokenVerifier({
      keyRing,
      issuer: [ISS],
      audience: ['x', AUD],
      clock: () => NOW_MS,
    })
    assert.equal((await verifier.verify(await forge(validClaims()))).sub, 'alice')
  })
})
