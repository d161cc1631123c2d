import {
  base64url,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose'
import { GatehouseConfigError } from '../errors.js'
import { DEFAULT_ALGORITHM, MIN_SECRET_BYTES, SUPPORTED_ALGORITHMS } from './defaults.js'
import type { SigningAlgorithm } from './defaults.js'

/** The HMAC algorithms a shared secret can be used with. */
export type SymmetricAlgorithm = Extract<SigningAlgorithm, `HS${string}`>

/** The asymmetric algorithms whose public keys can be published as a JWKS. */
export type AsymmetricAlgorithm = Exclude<SigningAlgorithm, SymmetricAlgorithm>

/** A shared secret for {@link KeyRing.fromSecrets}. */
export interface KeySecret {
  /** Key id; defaults to the RFC 7638 thumbprint of the key. */
  readonly kid?: string
  /** The raw secret, at least 32 bytes (48 for HS384, 64 for HS512; RFC 7518 §3.2). */
  readonly secret: Uint8Array
}

/** Options of {@link KeyRing.fromSecrets}. */
export interface FromSecretsOptions {
  /** HMAC algorithm of every secret. Default `HS256`. */
  readonly algorithm?: SymmetricAlgorithm
}

/** Options of {@link KeyRing.generate}. */
export interface GenerateKeyOptions {
  /** Key id; defaults to the RFC 7638 thumbprint of the key. */
  readonly kid?: string
}

/** The key the ring signs with: the first key that holds private material. */
export interface SigningKey {
  readonly kid: string
  readonly alg: SigningAlgorithm
  readonly key: CryptoKey
}

/** A public description of one key in the ring (no key material). */
export interface KeyRingEntryInfo {
  readonly kid: string
  readonly alg: SigningAlgorithm
  /** False for verify-only keys (public JWKs). */
  readonly canSign: boolean
}

/** A JSON Web Key Set (RFC 7517 §5) of public keys. */
export interface PublicJWKS {
  readonly keys: readonly JWK[]
}

interface Entry {
  readonly kid: string
  readonly alg: SigningAlgorithm
  readonly signKey: CryptoKey | undefined
  readonly verifyKey: CryptoKey
  /** Public JWK for asymmetric keys, undefined for secrets (never published). */
  readonly publicJwk: JWK | undefined
  /** The key's full JWK, kept for persistence (`exportPrivateJWKs`); undefined when verify-only. */
  readonly privateJwk: JWK | undefined
}

const HMAC_HASH: Readonly<Record<SymmetricAlgorithm, { hash: string; minBytes: number }>> = {
  HS256: { hash: 'SHA-256', minBytes: MIN_SECRET_BYTES },
  HS384: { hash: 'SHA-384', minBytes: 48 },
  HS512: { hash: 'SHA-512', minBytes: 64 },
}

const KID_PATTERN = /^[\x21-\x7e]{1,128}$/

/**
 * The signing keys of a token service, by `kid`: the first key holding private material signs,
 * every key verifies. Keys are imported once into `CryptoKey`s at construction, never per request.
 * Rings are immutable; rotate by building a new ring with {@link KeyRing.combine}.
 *
 * @example
 * ```ts
 * const current = await KeyRing.generate('EdDSA')
 * const ring = KeyRing.combine(current, previousRing) // new key signs, old tokens still verify
 * ring.publicJWKS() // { keys: [...] } for /.well-known/jwks.json
 * ```
 */
export class KeyRing {
  readonly #entries: readonly Entry[]
  readonly #byKid: ReadonlyMap<string, Entry>

  private constructor(entries: readonly Entry[]) {
    if (entries.length === 0) throw keyError('a key ring needs at least one key')
    const byKid = new Map<string, Entry>()
    for (const entry of entries) {
      if (byKid.has(entry.kid)) throw keyError(`duplicate kid ${JSON.stringify(entry.kid)}`)
      byKid.set(entry.kid, entry)
    }
    this.#entries = Object.freeze([...entries])
    this.#byKid = byKid
  }

  /**
   * Builds a ring from shared HMAC secrets. The first secret signs.
   *
   * @throws GatehouseConfigError `GH_ERR_KEY_INVALID` for a secret shorter than 32 bytes.
   * @example
   * ```ts
   * const ring = await KeyRing.fromSecrets([{ kid: '2026-01', secret: randomBytes(32) }])
   * ```
   */
  static async fromSecrets(
    secrets: readonly KeySecret[],
    options: FromSecretsOptions = {},
  ): Promise<KeyRing> {
    const alg = options.algorithm ?? 'HS256'
    if (!(alg in HMAC_HASH))
      throw keyError(`\`algorithm\` must be HS256, HS384 or HS512, got ${String(alg)}`)
    if (!Array.isArray(secrets)) throw keyError('`secrets` must be an array')
    return new KeyRing(await Promise.all(secrets.map((s) => secretEntry(s, alg))))
  }

  /**
   * Generates a fresh key. `HS256` yields a random 32-byte secret; `ES256` and `EdDSA` yield a key
   * pair whose public half {@link KeyRing.publicJWKS} exports.
   *
   * @example
   * ```ts
   * const ring = await KeyRing.generate('ES256', { kid: 'k1' })
   * ```
   */
  static async generate(
    alg: SigningAlgorithm = DEFAULT_ALGORITHM,
    options: GenerateKeyOptions = {},
  ): Promise<KeyRing> {
    assertAlgorithm(alg)
    if (isSymmetric(alg)) {
      const secret = crypto.getRandomValues(new Uint8Array(HMAC_HASH[alg].minBytes))
      return KeyRing.fromSecrets([{ ...options, secret }], { algorithm: alg })
    }
    const pair = await generateKeyPair(alg, { extractable: true })
    return KeyRing.fromJWKs([{ ...(await exportJWK(pair.privateKey)), alg, ...options }])
  }

  /**
   * Builds a ring from JWKs. Each JWK must name its `alg` (pinned per key). Private JWKs (and
   * `oct` secrets) can sign; public JWKs are verify-only, for keys retired from signing.
   *
   * @example
   * ```ts
   * const ring = await KeyRing.fromJWKs(JSON.parse(readFileSync('keys.json', 'utf8')))
   * ```
   */
  static async fromJWKs(jwks: readonly JWK[]): Promise<KeyRing> {
    if (!Array.isArray(jwks)) throw keyError('`jwks` must be an array of JWKs')
    return new KeyRing(await Promise.all(jwks.map((jwk) => jwkEntry(jwk))))
  }

  /**
   * Joins rings in order: the first signing key of the result is the first of `rings[0]`'s.
   *
   * @example
   * ```ts
   * const rotated = KeyRing.combine(await KeyRing.generate('EdDSA'), oldRing)
   * ```
   */
  static combine(...rings: readonly KeyRing[]): KeyRing {
    return new KeyRing(rings.flatMap((ring) => ring.#entries))
  }

  /** The key ids, in ring order. */
  get kids(): readonly string[] {
    return this.#entries.map((entry) => entry.kid)
  }

  /** The distinct algorithms of the ring: exactly what verification accepts. */
  get algorithms(): readonly SigningAlgorithm[] {
    return [...new Set(this.#entries.map((entry) => entry.alg))]
  }

  /** Whether some key in the ring can sign. */
  get canSign(): boolean {
    return this.#entries.some((entry) => entry.signKey !== undefined)
  }

  /**
   * The key tokens are signed with: the first key holding private material.
   *
   * @throws GatehouseConfigError `GH_ERR_KEY_INVALID` when every key is verify-only.
   */
  get signingKey(): SigningKey {
    const entry = this.#entries.find((e) => e.signKey !== undefined)
    if (entry?.signKey === undefined) throw keyError('the key ring has no key that can sign')
    return { kid: entry.kid, alg: entry.alg, key: entry.signKey }
  }

  /** Describes the keys without their material. */
  list(): readonly KeyRingEntryInfo[] {
    return this.#entries.map(({ kid, alg, signKey }) => ({
      kid,
      alg,
      canSign: signKey !== undefined,
    }))
  }

  /** Whether a key with this `kid` is in the ring. */
  has(kid: string): boolean {
    return this.#byKid.has(kid)
  }

  /**
   * The verification key for a token header, or `undefined` when the `kid` is unknown or the
   * header's `alg` differs from the algorithm pinned to that key.
   */
  verificationKey(kid: string, alg: string): CryptoKey | undefined {
    const entry = this.#byKid.get(kid)
    return entry !== undefined && entry.alg === alg ? entry.verifyKey : undefined
  }

  /** A ring without the key `kid` (tokens it signed stop verifying). */
  withoutKey(kid: string): KeyRing {
    if (!this.#byKid.has(kid)) throw keyError(`no key with kid ${JSON.stringify(kid)}`)
    return new KeyRing(this.#entries.filter((entry) => entry.kid !== kid))
  }

  /**
   * The public keys of the asymmetric entries, for `/.well-known/jwks.json`. Secrets are never
   * included.
   */
  publicJWKS(): PublicJWKS {
    const keys = this.#entries.flatMap((entry) => (entry.publicJwk ? [{ ...entry.publicJwk }] : []))
    return { keys }
  }

  /**
   * Every key as a JWK, private material included, for persisting the ring (0600 key file,
   * database). Round-trips through {@link KeyRing.fromJWKs}. Never publish the result.
   */
  exportPrivateJWKs(): readonly JWK[] {
    return this.#entries.map((entry) => ({ ...(entry.privateJwk ?? entry.publicJwk) }))
  }
}

async function secretEntry(input: KeySecret, alg: SymmetricAlgorithm): Promise<Entry> {
  if (!(input?.secret instanceof Uint8Array)) throw keyError('`secret` must be a Uint8Array')
  const jwk: JWK = { kty: 'oct', k: base64url.encode(input.secret), alg }
  return octEntry(jwk, input.kid)
}

async function octEntry(jwk: JWK, kidOption: string | undefined): Promise<Entry> {
  const alg = jwk.alg as SymmetricAlgorithm // checked by callers
  const secret = decodeSecret(jwk.k)
  const { hash, minBytes } = HMAC_HASH[alg]
  if (secret.byteLength < minBytes) {
    throw keyError(`${alg} secrets must be at least ${minBytes} bytes, got ${secret.byteLength}`)
  }
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash }, false, [
    'sign',
    'verify',
  ])
  const kid = await resolveKid(kidOption, { kty: 'oct', k: base64url.encode(secret) })
  return {
    kid,
    alg,
    signKey: key,
    verifyKey: key,
    publicJwk: undefined,
    privateJwk: { ...jwk, kid },
  }
}

function decodeSecret(k: string | undefined): Uint8Array {
  try {
    return base64url.decode(k ?? '')
  } catch (cause) {
    throw keyError('an oct JWK needs `k`, the base64url-encoded secret', cause)
  }
}

async function jwkEntry(jwk: JWK): Promise<Entry> {
  if (typeof jwk !== 'object' || jwk === null) throw keyError('every JWK must be an object')
  const alg = jwk.alg
  assertAlgorithm(alg, 'JWK `alg`')
  if (isSymmetric(alg)) return octEntry(jwk, jwk.kid)
  const publicJwk = toPublicJwk(jwk)
  const kid = await resolveKid(jwk.kid, publicJwk)
  const verifyKey = await importKey(publicJwk, alg)
  const signKey = jwk.d === undefined ? undefined : await importKey(jwk, alg)
  const pinned = { ...publicJwk, alg, kid, use: 'sig' }
  const privateJwk = signKey === undefined ? undefined : { ...jwk, alg, kid }
  return { kid, alg, signKey, verifyKey, publicJwk: pinned, privateJwk }
}

async function importKey(jwk: JWK, alg: AsymmetricAlgorithm): Promise<CryptoKey> {
  try {
    const { kid: _kid, use: _use, key_ops: _ops, ext: _ext, ...material } = jwk
    const key = await importJWK(material, alg, { extractable: jwk.d === undefined })
    if (key instanceof Uint8Array) throw new TypeError('expected an asymmetric key')
    return key
  } catch (cause) {
    throw keyError(`the JWK cannot be imported for ${alg}`, cause)
  }
}

function toPublicJwk(jwk: JWK): JWK {
  const { kty, crv, x, y } = jwk
  const expected = jwk.alg === 'ES256' ? 'EC' : 'OKP'
  if (kty !== expected || typeof crv !== 'string' || typeof x !== 'string') {
    throw keyError(`a JWK for ${String(jwk.alg)} needs kty ${expected}, crv and x`)
  }
  return y === undefined ? { kty, crv, x } : { kty, crv, x, y }
}

async function resolveKid(kid: string | undefined, jwk: JWK): Promise<string> {
  if (kid === undefined) return calculateJwkThumbprint(jwk, 'sha256')
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) {
    throw keyError(`\`kid\` must be 1-128 visible ASCII characters, got ${JSON.stringify(kid)}`)
  }
  return kid
}

function assertAlgorithm(alg: unknown, what = 'algorithm'): asserts alg is SigningAlgorithm {
  if (!(SUPPORTED_ALGORITHMS as readonly unknown[]).includes(alg)) {
    const list = SUPPORTED_ALGORITHMS.join(', ')
    throw keyError(`${what} must be one of ${list}, got ${JSON.stringify(alg)}`)
  }
}

function isSymmetric(alg: SigningAlgorithm): alg is SymmetricAlgorithm {
  return alg.startsWith('HS')
}

function keyError(message: string, cause?: unknown): GatehouseConfigError {
  return new GatehouseConfigError(message, { code: 'GH_ERR_KEY_INVALID', cause })
}
