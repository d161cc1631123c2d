/**
 * The verified-token cache of `createTokenVerifier`: hits skip jose, but never serve a token that
 * has expired, been revoked or been altered since it was first verified.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { base64url, decodeJwt } from 'jose'
import { GatehouseConfigError } from '../errors.js'
import { InvalidToken } from '../security/errors.js'
import {
  createTokenIssuer,
  createTokenVerifier,
  DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES,
  KeyRing,
  MemoryRevocationStore,
  type TokenVerifierOptions,
} from './index.js'

const NOW_MS = 1_767_225_600_000 // 2026-01-01T00:00:00Z
const NOW = NOW_MS / 1000
const ISS = 'https://auth.example'
const AUD = 'https://api.example'

interface Setup {
  readonly clock: { now: number }
  readonly revocation: MemoryRevocationStore
  readonly keyRing: KeyRing
  /** How many times jose asked the ring for a key: once per full verification. */
  readonly keyLookups: () => number
  readonly issue: (subject?: string) => Promise<string>
  readonly verify: (token: string) => Promise<unknown>
}

async function setup(overrides: Partial<TokenVerifierOptions> = {}): Promise<Setup> {
  const clock = { now: NOW_MS }
  const keyRing = await KeyRing.fromSecrets([{ kid: 'k1', secret: new Uint8Array(32).fill(1) }])
  let lookups = 0
  const lookup = keyRing.verificationKey.bind(keyRing)
  // Test spy: counts full verifications (a cache hit never reaches jose's key resolver).
  keyRing.verificationKey = (kid, alg) => {
    lookups += 1
    return lookup(kid, alg)
  }
  const revocation = new MemoryRevocationStore({ clock: () => clock.now })
  const options = { keyRing, issuer: ISS, audience: AUD, clock: () => clock.now }
  const issuer = createTokenIssuer(options)
  const verifier = createTokenVerifier({ ...options, revocation, ...overrides })
  const issue = async (subject = 'alice') =>
    (await issuer.issueAccessToken({ subject, scope: ['read'] })).token
  return {
    clock,
    revocation,
    keyRing,
    keyLookups: () => lookups,
    issue,
    verify: (token) => verifier.verify(token),
  }
}

async function assertRefused(
  promise: Promise<unknown>,
  description: string,
  code = 'GH_ERR_TOKEN_INVALID',
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof InvalidToken, `expected InvalidToken, got ${String(error)}`)
    assert.equal(error.code, code)
    assert.equal(error.errorDescription, description)
    return true
  })
}

/** Replaces one character in the middle of the signature segment. */
function alterSignature(token: string): string {
  const at = token.lastIndexOf('.') + 10
  const replacement = token[at] === 'A' ? 'B' : 'A'
  return `${token.slice(0, at)}${replacement}${token.slice(at + 1)}`
}

describe('verified-token cache: hits', () => {
  it('a second verification of the same token skips jose and returns equal claims', async () => {
    const { issue, verify, keyLookups } = await setup()
    const token = await issue()
    const first = await verify(token)
    const second = await verify(token)
    assert.equal(keyLookups(), 1)
    assert.equal(second, first)
    const uncached = await setup({ cacheMaxEntries: 0 })
    assert.deepEqual(await uncached.verify(token), second)
  })

  it('is on by default with 10 000 entries; cacheMaxEntries: 0 turns it off', async () => {
    assert.equal(DEFAULT_VERIFIED_TOKEN_CACHE_ENTRIES, 10_000)
    const { issue, verify, keyLookups } = await setup({ cacheMaxEntries: 0 })
    const token = await issue()
    await verify(token)
    await verify(token)
    assert.equal(keyLookups(), 2)
  })

  it('caches successes only: a refused token is verified in full every time', async () => {
    const { issue, verify, keyLookups } = await setup()
    const altered = alterSignature(await issue())
    await assertRefused(verify(altered), 'token signature is invalid')
    await assertRefused(verify(altered), 'token signature is invalid')
    assert.equal(keyLookups(), 2)
  })
})

describe('verified-token cache: never serves a dead token', () => {
  it('refuses a cached token once it expires (5 s skew, as uncached), and drops it', async () => {
    const { clock, issue, verify, keyLookups } = await setup()
    const token = await issue()
    await verify(token)
    clock.now = NOW_MS + 904_000
    await verify(token)
    assert.equal(keyLookups(), 1)
    clock.now = NOW_MS + 905_000
    await assertRefused(verify(token), 'token has expired', 'GH_ERR_TOKEN_EXPIRED')
    await assertRefused(verify(token), 'token has expired', 'GH_ERR_TOKEN_EXPIRED')
    assert.equal(keyLookups(), 3)
    // Were the clock to go back, the token would be verified in full again, not served stale.
    clock.now = NOW_MS
    await verify(token)
    assert.equal(keyLookups(), 4)
  })

  it('refuses a revoked jti on the very next request even though the token is cached', async () => {
    const { issue, verify, revocation } = await setup()
    const token = await issue()
    const other = await issue()
    await verify(token)
    await verify(other)
    await revocation.revoke(String(decodeJwt(token).jti), NOW + 900)
    await assertRefused(verify(token), 'token has been revoked', 'GH_ERR_TOKEN_REVOKED')
    assert.equal(((await verify(other)) as { sub: string }).sub, 'alice')
  })

  it('asks an asynchronous revocation store on every hit', async () => {
    const revoked = new Set<string>()
    const asked: string[] = []
    const revocation = {
      isRevoked: async (jti: string) => {
        asked.push(jti)
        return revoked.has(jti)
      },
      revoke: async () => {},
    }
    const { issue, verify } = await setup({ revocation })
    const token = await issue()
    const jti = String(decodeJwt(token).jti)
    await verify(token)
    await verify(token)
    revoked.add(jti)
    await assertRefused(verify(token), 'token has been revoked', 'GH_ERR_TOKEN_REVOKED')
    assert.deepEqual(asked, [jti, jti, jti])
  })

  it('refuses the cached token with one signature character changed', async () => {
    const { issue, verify } = await setup()
    const token = await issue()
    await verify(token)
    const altered = alterSignature(token)
    assert.notDeepEqual(
      base64url.decode(altered.split('.')[2] ?? ''),
      base64url.decode(token.split('.')[2] ?? ''),
    )
    await assertRefused(verify(altered), 'token signature is invalid')
  })

  it('refuses a token that reuses the cached signature over another payload; the original stays cached', async () => {
    const { issue, verify, keyLookups } = await setup()
    const token = await issue('alice')
    await verify(token)
    const [header, , signature] = token.split('.')
    const payload = base64url.encode(JSON.stringify({ ...decodeJwt(token), sub: 'mallory' }))
    const forged = `${header ?? ''}.${payload}.${signature ?? ''}`
    await assertRefused(verify(forged), 'token signature is invalid')
    assert.equal(keyLookups(), 2)
    assert.equal(((await verify(token)) as { sub: string }).sub, 'alice')
    assert.equal(keyLookups(), 2)
  })

  it('re-checks nbf and iat on a hit: refused again if the clock moves back before them', async () => {
    const { clock, issue, verify, keyLookups } = await setup()
    clock.now = NOW_MS + 60_000
    const token = await issue() // iat = NOW + 60
    await verify(token)
    clock.now = NOW_MS
    await assertRefused(verify(token), 'token was issued in the future')
    assert.equal(keyLookups(), 2)
  })

  it('a verifier over a ring without the kid does not share the cache: rotation is a new verifier', async () => {
    const { issue, verify } = await setup()
    const token = await issue()
    await verify(token)
    const rotated = await KeyRing.fromSecrets([{ kid: 'k2', secret: new Uint8Array(32).fill(2) }])
    const next = createTokenVerifier({
      keyRing: rotated,
      issuer: ISS,
      audience: AUD,
      clock: () => NOW_MS,
    })
    await assertRefused(next.verify(token), 'token signing key is unknown')
  })
})

describe('verified-token cache: bound', () => {
  it('holds at most cacheMaxEntries tokens, dropping the least recently used', async () => {
    const { issue, verify, keyLookups } = await setup({ cacheMaxEntries: 10 })
    const tokens: string[] = []
    for (let i = 0; i < 50; i += 1) tokens.push(await issue(`user-${i}`))
    for (const token of tokens) await verify(token)
    assert.equal(keyLookups(), 50)
    for (const token of tokens.slice(40)) await verify(token) // the last ten: all hits
    assert.equal(keyLookups(), 50)
    await verify(tokens[0] ?? '') // evicted long ago: a miss, which evicts tokens[40]
    assert.equal(keyLookups(), 51)
    await verify(tokens[41] ?? '')
    assert.equal(keyLookups(), 51)
    await verify(tokens[40] ?? '')
    assert.equal(keyLookups(), 52)
  })

  it('a hit makes the token the most recently used', async () => {
    const { issue, verify, keyLookups } = await setup({ cacheMaxEntries: 2 })
    const [a, b, c] = [await issue('a'), await issue('b'), await issue('c')]
    await verify(a)
    await verify(b)
    await verify(a) // hit: b is now the least recently used
    await verify(c) // evicts b
    assert.equal(keyLookups(), 3)
    await verify(a)
    assert.equal(keyLookups(), 3)
    await verify(b)
    assert.equal(keyLookups(), 4)
  })

  it('validates cacheMaxEntries at construction', async () => {
    const { keyRing } = await setup()
    for (const value of [-1, 1.5, Number.NaN]) {
      assert.throws(
        () => createTokenVerifier({ keyRing, issuer: ISS, audience: AUD, cacheMaxEntries: value }),
        (error: unknown) => {
          assert.ok(error instanceof GatehouseConfigError)
          assert.equal(
            error.message,
            `\`cacheMaxEntries\` must be a non-negative integer, got ${String(value)}`,
          )
          return true
        },
      )
    }
  })
})
